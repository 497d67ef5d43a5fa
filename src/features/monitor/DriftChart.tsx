import type { FeatureDrift } from '../../engine/monitor/report';

/** Okabe–Ito colours (colour-blind safe); the verdict is also written in each bar's label and the table. */
export const VERDICT_COLOURS = { ok: '#0072B2', warn: '#E69F00', drift: '#D55E00' } as const;

const ROW = 18;
const LEFT = 170;
const WIDTH = 620;

/**
 * PSI per feature as horizontal bars on a square-root scale (so small and large shifts both show), with the
 * 0.1 and 0.25 thresholds drawn. The table beside it holds the same figures for screen readers.
 */
export function DriftChart({ features }: { features: readonly FeatureDrift[] }) {
  const top = Math.max(0.3, ...features.map((f) => (Number.isFinite(f.psi) ? f.psi : 0)));
  const x = (v: number): number => LEFT + (Math.sqrt(Math.max(0, v)) / Math.sqrt(top)) * (WIDTH - LEFT - 60);
  const height = features.length * ROW + 30;
  return (
    <figure className="drift-chart">
      <svg
        role="img"
        aria-label="PSI per feature, with the 0.1 and 0.25 thresholds"
        viewBox={`0 0 ${WIDTH} ${height}`}
        width="100%"
        data-testid="drift-chart"
      >
        {features.map((f, i) => (
          <g key={f.feature} data-feature={f.feature} data-verdict={f.verdict}>
            <text x={LEFT - 6} y={i * ROW + 13} textAnchor="end" fontSize="11">
              {f.feature}
            </text>
            <rect
              x={LEFT}
              y={i * ROW + 3}
              width={Math.max(1, x(f.psi) - LEFT)}
              height={ROW - 6}
              fill={VERDICT_COLOURS[f.verdict]}
            >
              <title>{`${f.feature}: PSI ${f.psi.toFixed(3)}, ${f.verdict}`}</title>
            </rect>
            <text x={x(f.psi) + 4} y={i * ROW + 13} fontSize="10">
              {Number.isFinite(f.psi) ? f.psi.toFixed(2) : '—'}
              {f.verdict === 'ok' ? '' : ` ${f.verdict}`}
            </text>
          </g>
        ))}
        {[0.1, 0.25].map((t) => (
          <g key={t}>
            <line
              x1={x(t)}
              x2={x(t)}
              y1={0}
              y2={features.length * ROW}
              stroke="#000"
              strokeDasharray={t === 0.1 ? '2 3' : '6 3'}
            />
            <text x={x(t)} y={features.length * ROW + 14} fontSize="10" textAnchor="middle">
              {t}
            </text>
          </g>
        ))}
        <text x={LEFT} y={features.length * ROW + 27} fontSize="10">
          PSI (square-root scale)
        </text>
      </svg>
      <figcaption className="muted">
        Bars: <span style={{ color: VERDICT_COLOURS.ok }}>■</span> no drift,{' '}
        <span style={{ color: VERDICT_COLOURS.warn }}>■</span> warning,{' '}
        <span style={{ color: VERDICT_COLOURS.drift }}>■</span> drift. Dashed lines: PSI 0.1 and 0.25.
      </figcaption>
    </figure>
  );
}
