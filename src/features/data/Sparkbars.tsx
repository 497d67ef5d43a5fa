/** A small bar chart of histogram counts, with a text alternative for screen readers. */
export function Sparkbars({ counts, label }: { counts: readonly number[]; label: string }) {
  const max = Math.max(1, ...counts);
  const w = 4;
  const h = 24;
  return (
    <svg
      width={counts.length * w}
      height={h}
      role="img"
      aria-label={`${label}: ${counts.join(', ')}`}
      className="sparkbars"
      data-counts={counts.join(',')}
    >
      {counts.map((c, i) => {
        const bh = c === 0 ? 0 : Math.max(1, (c / max) * h);
        return <rect key={i} x={i * w} y={h - bh} width={w - 1} height={bh} />;
      })}
    </svg>
  );
}
