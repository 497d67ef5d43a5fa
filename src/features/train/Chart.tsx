import { useEffect, useId, useRef, useState } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

declare global {
  interface Window {
    /** How many times any chart has redrawn with new data, for the e2e tests. */
    __WORKBENCH_CHART_UPDATES__?: number;
  }
}

/** One plotted series: its name, colour, dash pattern (so colour is never the only cue), points only. */
export interface SeriesDef {
  readonly label: string;
  readonly color: string;
  readonly dash?: readonly number[];
  /** Draw points without lines (scatter). */
  readonly points?: boolean;
  /** Decimals in the table view. */
  readonly digits?: number;
  /** Plot against the right-hand axis. */
  readonly right?: boolean;
}

/** Axis labels and formats: x, left y, and an optional right y for series marked `right`. */
export interface Axes {
  readonly x: string;
  readonly y: string;
  readonly y2?: string;
  /** Formats left-axis values (ticks and table cells of left series). */
  readonly yFormat?: (v: number) => string;
}

/** x values then one array per series (null: no value there). */
export type ChartData = readonly [readonly number[], ...(readonly (number | null)[])[]];

/** The data table shows at most this many rows (the most recent). */
const TABLE_ROWS = 1000;

function options(axes: Axes, series: readonly SeriesDef[], width: number): uPlot.Options {
  const yf = axes.yFormat;
  return {
    width,
    height: 220,
    legend: { show: true, live: false },
    cursor: { drag: { x: false, y: false } },
    scales: { x: { time: false } },
    axes: [
      { label: axes.x },
      { label: axes.y, size: 70, ...(yf !== undefined && { values: (_u, vs) => vs.map(yf) }) },
      ...(axes.y2 !== undefined
        ? [{ label: axes.y2, scale: 'y2', side: 1, size: 70, grid: { show: false } }]
        : []),
    ],
    series: [
      { label: axes.x },
      ...series.map((s): uPlot.Series => ({
        label: s.label,
        stroke: s.color,
        width: 2,
        spanGaps: false,
        scale: s.right === true ? 'y2' : 'y',
        ...(s.dash !== undefined && { dash: [...s.dash] }),
        ...(s.points === true && { paths: () => null, points: { show: true, size: 5, fill: s.color } }),
      })),
    ],
  };
}

const fmt = (v: number | null | undefined, digits: number): string =>
  v === null || v === undefined || !Number.isFinite(v) ? '—' : Number(v.toFixed(digits)).toString();

/**
 * A uPlot chart created once; new data is drawn at most once per animation frame with setData. A data table
 * under <details> gives the same numbers to screen readers and keyboard users.
 */
export function Chart({
  testId,
  title,
  axes,
  series,
  data,
}: {
  testId: string;
  title: string;
  axes: Axes;
  series: readonly SeriesDef[];
  data: ChartData;
}) {
  const id = useId();
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const latest = useRef(data);
  const frame = useRef(0);
  const [tableOpen, setTableOpen] = useState(false);

  useEffect(() => {
    const el = box.current;
    if (el === null) return;
    const width = Math.max(280, el.clientWidth);
    const u = new uPlot(options(axes, series, width), toAligned(latest.current), el);
    plot.current = u;
    const resize = new ResizeObserver(() => u.setSize({ width: Math.max(280, el.clientWidth), height: 220 }));
    resize.observe(el);
    return () => {
      resize.disconnect();
      cancelAnimationFrame(frame.current);
      frame.current = 0;
      u.destroy();
      plot.current = null;
    };
    // The chart is made once per mount; its series never change.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  useEffect(() => {
    latest.current = data;
    if (frame.current !== 0) return;
    frame.current = requestAnimationFrame(() => {
      frame.current = 0;
      if (plot.current === null) return;
      plot.current.setData(toAligned(latest.current));
      window.__WORKBENCH_CHART_UPDATES__ = (window.__WORKBENCH_CHART_UPDATES__ ?? 0) + 1;
    });
  }, [data]);

  const [xs, ...ys] = data;
  const first = Math.max(0, xs.length - TABLE_ROWS);
  return (
    <figure className="chart" data-testid={testId} data-points={xs.length} aria-labelledby={`${id}-t`}>
      <figcaption id={`${id}-t`}>{title}</figcaption>
      <div ref={box} className="chart-canvas" aria-hidden="true" />
      <details onToggle={(e) => setTableOpen(e.currentTarget.open)}>
        <summary>Data table: {title}</summary>
        {tableOpen && (
          <div className="chart-table" tabIndex={0} role="region" aria-label={`${title}: data`}>
            <table>
              <caption>
                {title}
                {first > 0 ? ` (last ${TABLE_ROWS} of ${xs.length} points)` : ''}
              </caption>
              <thead>
                <tr>
                  <th scope="col">{axes.x}</th>
                  {series.map((s) => (
                    <th scope="col" key={s.label}>
                      {s.label}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {xs.slice(first).map((x, i) => (
                  <tr key={first + i}>
                    <th scope="row">{fmt(x, 4)}</th>
                    {ys.map((col, j) => (
                      <td key={j}>{cell(col[first + i], series[j], axes.yFormat)}</td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </details>
    </figure>
  );
}

function cell(
  v: number | null | undefined,
  s: SeriesDef | undefined,
  yFormat?: (v: number) => string,
): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '—';
  return s?.right !== true && yFormat !== undefined ? yFormat(v) : fmt(v, s?.digits ?? 4);
}

function toAligned(data: ChartData): uPlot.AlignedData {
  const [xs, ...ys] = data;
  return [[...xs], ...ys.map((y) => [...y])];
}
