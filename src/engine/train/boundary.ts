/**
 * The decision boundary of a classifier with exactly two input features (as TensorFlow Playground shows): the
 * grid of inputs to predict, and the record built from the predictions. Pure; the model runs elsewhere.
 */
import type { BoundaryAxis, DecisionBoundary } from './run';

/** Cells per side. */
export const BOUNDARY_SIZE = 60;
/** The grid spans the training range widened by this fraction on each side. */
export const BOUNDARY_MARGIN = 0.05;
/** At most this many test points are kept to draw over the grid. */
export const MAX_BOUNDARY_POINTS = 300;

/** A feature's training range (column `j` of rows × width `x`) widened by BOUNDARY_MARGIN each side. */
export function axisOf(name: string, x: Float32Array, width: number, j: number): BoundaryAxis {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = j; i < x.length; i += width) {
    lo = Math.min(lo, x[i]!);
    hi = Math.max(hi, x[i]!);
  }
  if (!Number.isFinite(lo)) return { name, min: -1, max: 1 };
  // A constant feature still gets a visible span.
  const pad = hi > lo ? (hi - lo) * BOUNDARY_MARGIN : Math.max(1, Math.abs(lo) * BOUNDARY_MARGIN);
  return { name, min: lo - pad, max: hi + pad };
}

/** The centre of cell `i` of `size` along an axis. */
export function cellCentre(axis: BoundaryAxis, i: number, size: number): number {
  return axis.min + ((i + 0.5) * (axis.max - axis.min)) / size;
}

/** The cell an axis value falls in (clamped to the grid). */
export function cellOf(axis: BoundaryAxis, v: number, size: number): number {
  const span = axis.max - axis.min;
  const i = span > 0 ? Math.floor(((v - axis.min) / span) * size) : 0;
  return Math.min(size - 1, Math.max(0, i));
}

/** Rows (x, y) of the cell centres, cell (i, j) at row j·size + i: the inputs to predict. */
export function boundaryGrid(x: BoundaryAxis, y: BoundaryAxis, size = BOUNDARY_SIZE): Float32Array {
  const out = new Float32Array(size * size * 2);
  for (let j = 0; j < size; j++) {
    for (let i = 0; i < size; i++) {
      out[(j * size + i) * 2] = cellCentre(x, i, size);
      out[(j * size + i) * 2 + 1] = cellCentre(y, j, size);
    }
  }
  return out;
}

/**
 * The boundary record from the grid's model outputs (cells × units: one sigmoid output, or softmax) and the
 * test rows (rows × 2 features, class labels), of which an evenly spread sample is kept.
 */
export function decisionBoundary(
  x: BoundaryAxis,
  y: BoundaryAxis,
  size: number,
  outputs: Float32Array,
  units: number,
  test: { readonly x: Float32Array; readonly y: Float32Array },
): DecisionBoundary {
  const cells = size * size;
  const classes = new Array<number>(cells);
  const confidence = new Array<number>(cells);
  for (let c = 0; c < cells; c++) {
    let best = 0;
    let p: number;
    if (units === 1) {
      const q = outputs[c]!;
      best = q > 0.5 ? 1 : 0;
      p = best === 1 ? q : 1 - q;
    } else {
      for (let k = 1; k < units; k++) if (outputs[c * units + k]! > outputs[c * units + best]!) best = k;
      p = outputs[c * units + best]!;
    }
    classes[c] = best;
    confidence[c] = Math.round(p * 100) / 100;
  }
  const n = test.y.length;
  const every = Math.max(1, Math.ceil(n / MAX_BOUNDARY_POINTS));
  const points: { x: number; y: number; label: number }[] = [];
  for (let i = 0; i < n && points.length < MAX_BOUNDARY_POINTS; i += every) {
    points.push({ x: test.x[i * 2]!, y: test.x[i * 2 + 1]!, label: test.y[i]! });
  }
  return { x, y, size, classes, confidence, points };
}
