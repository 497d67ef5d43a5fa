import { WorkbenchError } from '../../../lib/errors';
import { readStaging, stageReadback } from '../../gpu/buffers';
import { bufferBudget } from '../../gpu/planner';
import { withErrorScopes } from '../../gpu/scopes';
import type { Program, QuantileQuery } from '../program';
import { interpolate, quantileRanks } from './checks';
import { subProgram } from './pack';
import { WG, type Resident } from './resident';
import { ProgramRunner } from './runner';
import { distinct, dispatch, strideGroups } from './util';

const BINS = 256;
const HIST_BYTES = BINS * 4;
const MAX_GROUPS = 64;

/** A pending order statistic: the rank-th smallest key (0-based) among keys with (key & mask) == prefix. */
interface Selection {
  readonly column: number;
  rank: number;
  prefix: number;
}

/** f32 value of an order-preserving key (inverse of order_key in radix_select.wgsl). */
export function keyToFloat(key: number): number {
  const bits = key >= 0x80000000 ? key & 0x7fffffff : ~key >>> 0;
  return new Float32Array(new Uint32Array([bits]).buffer)[0]!;
}

/**
 * Exact quantiles by radix select: four rounds of 8-bit digits of order-preserving u32 keys, each round one
 * histogram dispatch per row block for every pending selection; the CPU picks each digit from the counts. The
 * first round's histograms (no prefix yet) also give each column's count n, hence the wanted ranks.
 */
export async function gpuQuantiles(
  res: Resident,
  program: Program,
  fitRows: number,
  queries: readonly QuantileQuery[],
): Promise<number[]> {
  const cols = distinct(queries.map((q) => q.output));
  if (fitRows === 0 || cols.length === 0) return queries.map(() => NaN);
  const sub = subProgram(program, cols);
  const { device } = res.session;
  return withErrorScopes(device, 'PreprocessQuantiles', async () => {
    const runner = await ProgramRunner.create(res, sub, fitRows);
    try {
      const first = await histograms(
        res,
        runner,
        cols.map((_, c) => [c, 0, 0, 24] as const),
      );
      const counts = cols.map((_, c) => first.subarray(c * BINS, (c + 1) * BINS).reduce((s, x) => s + x, 0));
      const selections = new Map<string, Selection>();
      const want = (column: number, rank: number): void => {
        const key = `${column}:${rank}`;
        if (!selections.has(key)) selections.set(key, { column, rank, prefix: 0 });
      };
      const plans = queries.map(({ output, q }) => {
        const column = cols.indexOf(output);
        const n = counts[column]!;
        if (n === 0) return null;
        const r = quantileRanks(n, q);
        want(column, r.lo);
        want(column, r.hi);
        return { column, ...r };
      });
      const pending = [...selections.values()];
      for (const s of pending) pickDigit(s, first.subarray(s.column * BINS, (s.column + 1) * BINS), 24);
      for (let shift = 16; shift >= 0; shift -= 8) {
        const mask = (0xffffffff << (shift + 8)) >>> 0;
        const hist = await histograms(
          res,
          runner,
          pending.map((s) => [s.column, s.prefix, mask, shift] as const),
        );
        pending.forEach((s, i) => pickDigit(s, hist.subarray(i * BINS, (i + 1) * BINS), shift));
      }
      const value = (column: number, rank: number): number =>
        keyToFloat(selections.get(`${column}:${rank}`)!.prefix);
      return plans.map((p) =>
        p === null ? NaN : interpolate(value(p.column, p.lo), value(p.column, p.hi), p.frac),
      );
    } finally {
      runner.destroy();
    }
  });
}

/** Moves `s` one digit down: the bin holding its rank becomes part of the prefix. */
function pickDigit(s: Selection, hist: Uint32Array, shift: number): void {
  for (let d = 0; d < BINS; d++) {
    const c = hist[d]!;
    if (s.rank < c) {
      s.prefix = (s.prefix | (d << shift)) >>> 0;
      return;
    }
    s.rank -= c;
  }
  throw new WorkbenchError('INTERNAL', `Radix select lost rank ${s.rank} of column ${s.column}`);
}

/** One radix round: 256-bin histograms for each (column, prefix, mask, shift) query, summed over row blocks. */
async function histograms(
  res: Resident,
  runner: ProgramRunner,
  queries: readonly (readonly [number, number, number, number])[],
): Promise<Uint32Array> {
  const { device, budget } = res.session;
  const perBatch = Math.min(
    Math.floor(bufferBudget(budget) / HIST_BYTES),
    budget.maxComputeWorkgroupsPerDimension,
  );
  if (perBatch === 0) {
    throw new WorkbenchError(
      'GPU_LIMIT',
      `Radix select needs ${HIST_BYTES}-byte buffers; the cap is smaller`,
    );
  }
  const result = new Uint32Array(queries.length * BINS);
  const maxRows = Math.max(...runner.blocks.map((b) => b.rows));
  const groups = strideGroups(maxRows, WG.radix, 4, MAX_GROUPS);
  const pipeline = await res.pipeline('radix');
  for (let q0 = 0; q0 < queries.length; q0 += perBatch) {
    const batch = queries.slice(q0, q0 + perBatch);
    const table = runner.upload('PreprocessRadixSelect.queries', new Uint32Array(batch.flat()));
    const hist = runner.scratch('PreprocessRadixSelect.hist', batch.length * HIST_BYTES);
    const encoder = device.createCommandEncoder({ label: 'PreprocessRadixSelect.encoder' });
    runner.blocks.forEach((_, i) => {
      runner.encodeBlock(encoder, i);
      const l = runner.layout(i);
      const params = runner.uniform('PreprocessRadixSelect.params', [
        l.rows,
        l.words,
        l.validityStart,
        groups,
      ]);
      const entries = [runner.out, table, hist, params];
      dispatch(device, encoder, 'PreprocessRadixSelect', pipeline, entries, groups, batch.length);
    });
    const staging = stageReadback(device, encoder, hist, batch.length * HIST_BYTES);
    device.queue.submit([encoder.finish()]);
    result.set(new Uint32Array(await readStaging(staging)), q0 * BINS);
    hist.destroy();
    table.destroy();
  }
  return result;
}
