/**
 * The analyses added to a test-split evaluation: ROC / PR curves (binary classifiers), permutation importance
 * (tabular models) and the decision boundary (classifiers with two tabular features). The model is reached
 * only through `predict`, so this file needs no tfjs.
 */
import { axisOf, BOUNDARY_SIZE, boundaryGrid, decisionBoundary } from './boundary';
import { binaryCurves, spread } from './curves';
import { predictedClasses } from './evaluate';
import type { PreparedFeatures } from './features';
import { MAX_IMPORTANCE_ROWS, permutationImportance, type ErrorOf } from './importance';
import type { ClassificationEval, RegressionEval } from './run';

/** Model outputs (rows × units) for raw row-major inputs. */
export type Predict = (x: Float32Array, rows: number) => Promise<Float32Array>;

type Extras = Pick<ClassificationEval, 'curves' | 'boundary' | 'importance' | 'importanceRows' | 'skipped'> &
  Pick<RegressionEval, 'importance' | 'importanceRows' | 'skipped'>;

/** At most MAX_IMPORTANCE_ROWS test rows, evenly spread: their inputs and labels. */
function importanceRowsOf(f: PreparedFeatures): { x: Float32Array; y: Float32Array; rows: number } {
  const n = f.test.y.length;
  if (n <= MAX_IMPORTANCE_ROWS) return { x: f.test.x, y: f.test.y, rows: n };
  const keep = spread(n, MAX_IMPORTANCE_ROWS);
  const x = new Float32Array(keep.length * f.width);
  keep.forEach((r, i) => x.set(f.test.x.subarray(r * f.width, (r + 1) * f.width), i * f.width));
  return { x, y: Float32Array.from(keep, (r) => f.test.y[r]!), rows: keep.length };
}

/**
 * Curves, importance and boundary for a trained model on `f`'s test rows, given its test outputs `out`
 * (rows × units). Fields that do not apply are left out, with the reason in `skipped`.
 */
export async function evaluationExtras(
  f: PreparedFeatures,
  out: Float32Array,
  units: number,
  predict: Predict,
  seed: number,
): Promise<Extras> {
  const skipped: string[] = [];
  const extras: { -readonly [K in keyof Extras]: Extras[K] } = {};
  const classification = f.task === 'classification';
  if (classification) {
    if (f.classes.length === 2) {
      const curves = binaryCurves(out, f.test.y, f.classes[1]!);
      if (curves !== null) extras.curves = curves;
      else skipped.push('ROC and precision–recall curves: the test rows hold only one class.');
    } else {
      skipped.push(
        `ROC and precision–recall curves: binary classification only (${f.classes.length} classes).`,
      );
    }
  }
  if (f.image !== null) {
    skipped.push(
      'Permutation importance: tabular features only (this model reads an image, and one shuffled pixel says little).',
    );
    if (classification) skipped.push('Decision boundary: tabular models with exactly two features only.');
    return { ...extras, skipped };
  }
  const sample = importanceRowsOf(f);
  const error: ErrorOf = async (x, rows) => {
    const y = await predict(x, rows);
    let e = 0;
    if (classification) {
      const predicted = predictedClasses(y, rows, units);
      for (let i = 0; i < rows; i++) if (predicted[i] !== sample.y[i]) e++;
      return rows === 0 ? 0 : e / rows;
    }
    for (let i = 0; i < rows; i++) e += (y[i]! - sample.y[i]!) ** 2;
    return rows === 0 ? 0 : Math.sqrt(e / rows);
  };
  extras.importance = await permutationImportance(sample.x, sample.rows, f.features, error, seed);
  extras.importanceRows = sample.rows;
  if (classification) {
    if (f.width === 2) {
      const x = axisOf(f.features[0]!, f.train.x, 2, 0);
      const y = axisOf(f.features[1]!, f.train.x, 2, 1);
      const grid = await predict(boundaryGrid(x, y, BOUNDARY_SIZE), BOUNDARY_SIZE * BOUNDARY_SIZE);
      extras.boundary = decisionBoundary(x, y, BOUNDARY_SIZE, grid, units, f.test);
    } else {
      skipped.push(
        `Decision boundary: models with exactly two input features only (this one has ${f.width}).`,
      );
    }
  }
  return skipped.length > 0 ? { ...extras, skipped } : extras;
}
