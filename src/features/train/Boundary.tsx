import { useEffect, useMemo, useRef } from 'react';
import { cellOf } from '../../engine/train/boundary';
import type { DecisionBoundary } from '../../engine/train/run';
import { PALETTE, num, pct } from './format';

/** Okabe–Ito colours by class index (cycled), and a marker shape each, so colour is never the only cue. */
const COLOURS = [
  PALETTE.blue,
  PALETTE.vermillion,
  PALETTE.green,
  PALETTE.purple,
  PALETTE.orange,
  '#56B4E9',
  '#F0E442',
  PALETTE.black,
];
const SHAPES = ['circle', 'square', 'triangle', 'diamond'] as const;
type Shape = (typeof SHAPES)[number];
const colourOf = (k: number): string => COLOURS[k % COLOURS.length]!;
const shapeOf = (k: number): Shape => SHAPES[k % SHAPES.length]!;

/** CSS pixels per side of the plot. */
const SIDE = 320;

/** A #rrggbb colour mixed with white: `amount` of the colour (opaque, so overlapping cells show no seams). */
function tint(hex: string, amount: number): string {
  const mix = (at: number): number => Math.round(255 + (parseInt(hex.slice(at, at + 2), 16) - 255) * amount);
  return `rgb(${mix(1)}, ${mix(3)}, ${mix(5)})`;
}

function marker(g: CanvasRenderingContext2D, shape: Shape, x: number, y: number, r: number): void {
  g.beginPath();
  if (shape === 'circle') g.arc(x, y, r, 0, Math.PI * 2);
  else if (shape === 'square') g.rect(x - r, y - r, 2 * r, 2 * r);
  else if (shape === 'triangle') {
    g.moveTo(x, y - r * 1.2);
    g.lineTo(x + r * 1.1, y + r * 0.8);
    g.lineTo(x - r * 1.1, y + r * 0.8);
    g.closePath();
  } else {
    g.moveTo(x, y - r * 1.3);
    g.lineTo(x + r * 1.3, y);
    g.lineTo(x, y + r * 1.3);
    g.lineTo(x - r * 1.3, y);
    g.closePath();
  }
  g.fill();
  g.stroke();
}

function draw(canvas: HTMLCanvasElement, b: DecisionBoundary, k: number): void {
  const g = canvas.getContext('2d');
  if (g === null) return;
  const ratio = window.devicePixelRatio || 1;
  canvas.width = SIDE * ratio;
  canvas.height = SIDE * ratio;
  g.setTransform(ratio, 0, 0, ratio, 0, 0);
  g.clearRect(0, 0, SIDE, SIDE);
  const cell = SIDE / b.size;
  const chance = 1 / Math.max(2, k);
  for (let j = 0; j < b.size; j++) {
    for (let i = 0; i < b.size; i++) {
      const c = j * b.size + i;
      const sure = Math.min(1, Math.max(0, ((b.confidence[c] ?? 1) - chance) / (1 - chance)));
      g.fillStyle = tint(colourOf(b.classes[c] ?? 0), 0.12 + 0.38 * sure);
      // Row j = 0 is the lowest y: drawn at the bottom. Opaque cells overlap slightly to hide seams.
      g.fillRect(i * cell, SIDE - (j + 1) * cell, cell + 0.5, cell + 0.5);
    }
  }
  g.strokeStyle = '#ffffff';
  g.lineWidth = 1;
  const px = (v: number, a: DecisionBoundary['x']): number =>
    a.max > a.min ? ((v - a.min) / (a.max - a.min)) * SIDE : SIDE / 2;
  for (const p of b.points) {
    g.fillStyle = colourOf(p.label);
    marker(g, shapeOf(p.label), px(p.x, b.x), SIDE - px(p.y, b.y), 4);
  }
}

/**
 * The decision boundary of a two-feature classifier: the class predicted over a grid spanning the training
 * range (shaded by the model's confidence), test points on top (marker shape and colour by actual class).
 * A text summary and legend carry the same information for screen readers.
 */
export function Boundary({ boundary, classes }: { boundary: DecisionBoundary; classes: readonly string[] }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const k = Math.max(classes.length, ...boundary.classes.map((c) => c + 1));
  const label = (c: number): string => classes[c] ?? String(c);
  const summary = useMemo(() => {
    const share = new Array<number>(k).fill(0);
    for (const c of boundary.classes) share[c]!++;
    let inOwn = 0;
    for (const p of boundary.points) {
      const cell =
        cellOf(boundary.y, p.y, boundary.size) * boundary.size + cellOf(boundary.x, p.x, boundary.size);
      if (boundary.classes[cell] === p.label) inOwn++;
    }
    return { share: share.map((n) => n / boundary.classes.length), inOwn };
  }, [boundary, k]);
  useEffect(() => {
    if (canvas.current !== null) draw(canvas.current, boundary, k);
  }, [boundary, k]);
  const { x, y } = boundary;
  const regions = summary.share
    .map((s, c) => ({ s, c }))
    .filter(({ s }) => s > 0)
    .map(({ s, c }) => `${label(c)} ${pct(s)}`)
    .join(', ');
  const text =
    `Predicted class over ${x.name} ${num(x.min, 3)} to ${num(x.max, 3)} (across) and ${y.name} ` +
    `${num(y.min, 3)} to ${num(y.max, 3)} (up): ${regions} of the area. ` +
    `${summary.inOwn} of the ${boundary.points.length} test points shown lie in their own class's region.`;
  return (
    <section aria-labelledby="eval-boundary-title" className="eval-section">
      <h3 id="eval-boundary-title">Decision boundary</h3>
      <figure
        className="boundary"
        data-testid="train-boundary"
        data-size={boundary.size}
        data-points={boundary.points.length}
        data-in-own-region={summary.inOwn}
      >
        <div className="boundary-plot">
          <span className="boundary-y">{y.name} ↑</span>
          <canvas
            ref={canvas}
            role="img"
            aria-label={`Decision boundary: ${text}`}
            style={{ width: SIDE, height: SIDE }}
          />
          <span className="boundary-x">{x.name} →</span>
        </div>
        <figcaption>
          <p>{text}</p>
          <ul className="legend" aria-label="Classes">
            {Array.from({ length: k }, (_, c) => (
              <li key={c}>
                <span
                  aria-hidden="true"
                  className={`swatch shape-${shapeOf(c)}`}
                  style={{ backgroundColor: colourOf(c) }}
                />
                {label(c)} ({shapeOf(c)}; shaded region: predicted {label(c)}, darker where the model is more
                sure)
              </li>
            ))}
          </ul>
        </figcaption>
      </figure>
    </section>
  );
}
