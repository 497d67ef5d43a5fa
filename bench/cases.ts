import { columnStatsCase } from './cases/columnStats';
import { importBigWorkerCase } from './cases/importBigWorker';
import { inferAppPageWasmCase, inferAppPageWebgpuCase, inferOverheadOnce } from './cases/infer';
import { ingestCsvCase } from './cases/ingestCsv';
import { recipeCountsOnce, recipeCpuCase, recipeTfjsCase } from './cases/recipe';
import {
  trainFitCpuCase,
  trainFitWasmCase,
  trainOursWasmCase,
  trainOursWebgpuCase,
  trainRatesOnce,
} from './cases/train';
import type { AnyBenchCase, OnceCase } from './runner';

/**
 * Every benchmark row, in table order. To add one: write `bench/cases/<name>.ts` exporting
 * `defineCase({ id, description, labels, setup, ours, peer, check?, afterOurs?, counts?, throughputBytes? })`
 * and list it here.
 */
export const CASES: readonly AnyBenchCase[] = [
  columnStatsCase,
  ingestCsvCase,
  recipeCpuCase,
  recipeTfjsCase,
  trainFitWasmCase,
  trainFitCpuCase,
  trainOursWasmCase,
  trainOursWebgpuCase,
  inferAppPageWasmCase,
  inferAppPageWebgpuCase,
];

/**
 * One-off measurements (`defineOnce`), run once after the rows and printed under the table: jobs too big
 * to repeat A/B, reported as named figures.
 */
export const ONCE: readonly OnceCase[] = [
  importBigWorkerCase,
  recipeCountsOnce,
  trainRatesOnce,
  inferOverheadOnce,
];

/** What `?cases=` selected. */
export interface Selection {
  readonly cases: AnyBenchCase[];
  readonly once: OnceCase[];
}

/** The rows and one-offs named in `?cases=a,b` (all when absent); unknown ids are an error, not a silent skip. */
export function selectCases(params: URLSearchParams): Selection {
  const wanted = params.get('cases');
  if (wanted === null || wanted.trim() === '') return { cases: [...CASES], once: [...ONCE] };
  const ids = wanted.split(',').map((s) => s.trim());
  const known = [...CASES, ...ONCE].map((c) => c.id);
  const unknown = ids.filter((id) => !known.includes(id));
  if (unknown.length > 0) {
    throw new Error(`Unknown case(s): ${unknown.join(', ')}; known: ${known.join(', ')}`);
  }
  return {
    cases: CASES.filter((c) => ids.includes(c.id)),
    once: ONCE.filter((c) => ids.includes(c.id)),
  };
}
