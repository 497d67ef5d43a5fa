import { readStaging, stageReadback } from '../../gpu/buffers';
import { bufferBudget } from '../../gpu/planner';
import { withErrorScopes } from '../../gpu/scopes';
import type { Moments, Program } from '../program';
import { subProgram } from './pack';
import { WG, type Resident } from './resident';
import { ProgramRunner } from './runner';
import { distinct, dispatch, requireFits, strideGroups } from './util';

/** Bytes of one moments.wgsl Partial: n, shift, mean, M2, min, max. */
const PARTIAL_BYTES = 24;
const MAX_GROUPS = 32;

/** Running moments in f64 (mean and M2 of x itself). */
interface Acc {
  n: number;
  mean: number;
  m2: number;
  min: number;
  max: number;
}

/** Chan's merge of a GPU partial (its mean is of x − shift) into an f64 accumulator. */
function mergePartial(acc: Acc, f32: Float32Array, u32: Uint32Array, o: number): void {
  const nb = u32[o]!;
  if (nb === 0) return;
  const mean = f32[o + 1]! + f32[o + 2]!;
  const n = acc.n + nb;
  const d = mean - acc.mean;
  acc.mean = acc.n === 0 ? mean : acc.mean + d * (nb / n);
  acc.m2 += f32[o + 3]! + (acc.n === 0 ? 0 : d * d * ((acc.n * nb) / n));
  acc.min = Math.min(acc.min, f32[o + 4]!);
  acc.max = Math.max(acc.max, f32[o + 5]!);
  acc.n = n;
}

function finish(a: Acc): Moments {
  if (a.n === 0) return { n: 0, mean: NaN, std: NaN, min: NaN, max: NaN };
  return { n: a.n, mean: a.mean, std: Math.sqrt(Math.max(0, a.m2) / a.n), min: a.min, max: a.max };
}

/**
 * Moments of elementwise outputs over rows [0, fitRows): per row block, the program's passes into scratch, then
 * one moments dispatch for every column; partials of as many blocks as fit one buffer are read back together
 * and merged on the CPU in f64 (one readback when everything fits).
 */
export async function gpuMoments(
  res: Resident,
  program: Program,
  fitRows: number,
  outputs: readonly number[],
): Promise<Moments[]> {
  const cols = distinct(outputs);
  const accs = cols.map((): Acc => ({ n: 0, mean: 0, m2: 0, min: Infinity, max: -Infinity }));
  if (fitRows > 0 && cols.length > 0) await reduce(res, subProgram(program, cols), fitRows, accs);
  return outputs.map((o) => finish(accs[cols.indexOf(o)]!));
}

async function reduce(res: Resident, sub: Program, fitRows: number, accs: Acc[]): Promise<void> {
  const { device, budget } = res.session;
  const cap = bufferBudget(budget);
  const cols = accs.length;
  requireFits(budget, PARTIAL_BYTES * cols, 'Moments of these columns');
  await withErrorScopes(device, 'PreprocessMoments', async () => {
    const compiling = res.pipeline('moments');
    const runner = await ProgramRunner.create(res, sub, fitRows);
    try {
      const pipeline = await compiling;
      const maxRows = Math.max(...runner.blocks.map((b) => b.rows));
      const groups = Math.min(
        strideGroups(maxRows, WG.moments, 4, MAX_GROUPS),
        Math.floor(cap / (PARTIAL_BYTES * cols)),
      );
      const perBlock = PARTIAL_BYTES * cols * groups;
      const perFlush = Math.min(runner.blocks.length, Math.floor(cap / perBlock));
      const partials = runner.scratch('PreprocessMoments.partials', perFlush * perBlock);
      let encoder = device.createCommandEncoder({ label: 'PreprocessMoments.encoder' });
      let slot = 0;
      for (let i = 0; i < runner.blocks.length; i++) {
        runner.encodeBlock(encoder, i);
        const l = runner.layout(i);
        const slotStart = slot * cols * groups;
        const params = runner.uniform('PreprocessMoments.params', [
          l.rows,
          l.words,
          l.validityStart,
          groups,
          slotStart,
        ]);
        dispatch(
          device,
          encoder,
          'PreprocessMoments',
          pipeline,
          [runner.out, partials, params],
          groups,
          cols,
        );
        slot++;
        if (slot < perFlush && i < runner.blocks.length - 1) continue;
        const staging = stageReadback(device, encoder, partials, slot * perBlock);
        device.queue.submit([encoder.finish()]);
        const raw = await readStaging(staging);
        const f32 = new Float32Array(raw);
        const u32 = new Uint32Array(raw);
        for (let s = 0; s < slot; s++) {
          for (let c = 0; c < cols; c++) {
            for (let g = 0; g < groups; g++)
              mergePartial(accs[c]!, f32, u32, 6 * ((s * cols + c) * groups + g));
          }
        }
        slot = 0;
        encoder = device.createCommandEncoder({ label: 'PreprocessMoments.encoder' });
      }
    } finally {
      runner.destroy();
    }
  });
}
