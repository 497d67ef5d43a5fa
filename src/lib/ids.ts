/** A new dataset id: time-ordered and unique enough for one browser profile. */
export function newDatasetId(): string {
  return `ds-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
}
