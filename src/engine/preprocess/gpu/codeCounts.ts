import { WorkbenchError } from '../../../lib/errors';
import { readStaging, stageReadback, uploadUniform } from '../../gpu/buffers';
import { bufferBudget } from '../../gpu/planner';
import { withErrorScopes } from '../../gpu/scopes';
import type { CodeCountQuery } from '../program';
import { WG, type Resident } from './resident';
import { dispatch, scratchBuffer, strideGroups, uploadPadded } from './util';

const MAX_GROUPS = 64;

/**
 * Per-category counts of code columns over rows [0, fitRows), straight from the resident codes: one dispatch
 * per resident block for a batch of queries whose counts fit one buffer, one readback per batch.
 */
export async function gpuCodeCounts(
  res: Resident,
  fitRows: number,
  queries: readonly CodeCountQuery[],
): Promise<Uint32Array[]> {
  const card = res.table.codes.cardinality;
  const results = queries.map((q) => new Uint32Array(card[q.input]!));
  const { budget } = res.session;
  const cap = Math.floor(bufferBudget(budget) / 4);
  const batches: number[][] = [];
  let size = Infinity;
  queries.forEach((q, i) => {
    const c = card[q.input]!;
    if (c === 0) return;
    if (c > cap) {
      throw new WorkbenchError(
        'GPU_LIMIT',
        `Counting ${c} categories needs ${4 * c} bytes; buffers are capped lower`,
      );
    }
    if (size + c > cap || batches.at(-1)!.length >= budget.maxComputeWorkgroupsPerDimension) {
      batches.push([]);
      size = 0;
    }
    batches.at(-1)!.push(i);
    size += c;
  });
  if (fitRows === 0) return results;
  for (const batch of batches) await countBatch(res, fitRows, batch, queries, results);
  return results;
}

async function countBatch(
  res: Resident,
  fitRows: number,
  batch: readonly number[],
  queries: readonly CodeCountQuery[],
  results: Uint32Array[],
): Promise<void> {
  const { device } = res.session;
  const card = res.table.codes.cardinality;
  const words = new Int32Array(4 * batch.length);
  let total = 0;
  batch.forEach((qi, k) => {
    const q = queries[qi]!;
    words.set([q.input, q.fill, total, card[q.input]!], 4 * k);
    total += card[q.input]!;
  });
  await withErrorScopes(device, 'PreprocessCodeCounts', async () => {
    const pipeline = await res.pipeline('counts');
    const owned: GPUBuffer[] = [];
    try {
      const table = uploadPadded(device, 'PreprocessCodeCounts.queries', words);
      const counts = scratchBuffer(device, 'PreprocessCodeCounts.counts', 4 * total);
      owned.push(table, counts);
      const encoder = device.createCommandEncoder({ label: 'PreprocessCodeCounts.encoder' });
      for (const b of res.blocks) {
        const rows = Math.min(b.rows, fitRows - b.start);
        if (rows <= 0) break;
        const groups = strideGroups(rows, WG.counts, 4, MAX_GROUPS);
        const params = uploadUniform(
          device,
          'PreprocessCodeCounts.params',
          new Uint32Array([b.rows, 0, rows, groups]),
        );
        owned.push(params);
        const entries = [b.codes, table, counts, params];
        dispatch(device, encoder, 'PreprocessCodeCounts', pipeline, entries, groups, batch.length);
      }
      const staging = stageReadback(device, encoder, counts, 4 * total);
      device.queue.submit([encoder.finish()]);
      const raw = new Uint32Array(await readStaging(staging));
      batch.forEach((qi, k) =>
        results[qi]!.set(raw.subarray(words[4 * k + 2], words[4 * k + 2]! + words[4 * k + 3]!)),
      );
    } finally {
      for (const b of owned) b.destroy();
    }
  });
}
