import { columnStatsCase } from './cases/columnStats';
import type { AnyBenchCase } from './runner';

/**
 * Every benchmark row, in table order. To add one: write `bench/cases/<name>.ts` exporting
 * `defineCase({ id, description, labels, setup, ours, peer, check?, counts? })` and list it here.
 */
export const CASES: readonly AnyBenchCase[] = [columnStatsCase];

/** The cases named in `?cases=a,b` (all when absent); unknown ids are an error, not a silent skip. */
export function selectCases(params: URLSearchParams): AnyBenchCase[] {
  const wanted = params.get('cases');
  if (wanted === null || wanted.trim() === '') return [...CASES];
  const ids = wanted.split(',').map((s) => s.trim());
  const unknown = ids.filter((id) => !CASES.some((c) => c.id === id));
  if (unknown.length > 0) {
    throw new Error(`Unknown case(s): ${unknown.join(', ')}; known: ${CASES.map((c) => c.id).join(', ')}`);
  }
  return CASES.filter((c) => ids.includes(c.id));
}
