import {
  newCounters,
  readStaging,
  stageReadback,
  storageBuffer,
  uploadStorage,
  uploadUniform,
} from '../gpu/buffers';
import type { GpuCounters } from '../gpu/buffers';
import type { GpuSession } from '../gpu/context';
import { planChunks } from '../gpu/planner';
import { withErrorScopes } from '../gpu/scopes';
import { KERNELS } from '../kernels/registry';
import { binParams, type ColumnHistogram } from './histogram.ref';
import { assertTableShape, wordsPerColumn, type NumericTable } from './table';

const WG = 256;
const MAX_GROUPS = 64;

/** Per-column histograms on the GPU: one dispatch per chunk, counts accumulated on the GPU, one readback. */
export async function columnHistogramsGpu(
  s: GpuSession,
  t: NumericTable,
  ranges: readonly (readonly [number, number])[],
  bins: number,
  counters: GpuCounters = newCounters(),
): Promise<ColumnHistogram[]> {
  assertTableShape(t);
  const cols = t.names.length;
  if (cols === 0) return [];
  const pipeline = await s.pipelines.get(KERNELS.columnHistogram, { WG, BINS: bins });
  const params = new Float32Array(cols * 2);
  ranges.forEach(([lo, hi], c) => params.set(binParams(lo, hi, bins), c * 2));
  const { device } = s;
  const wpcAll = wordsPerColumn(t.rows);
  const raw = await withErrorScopes(device, 'ColumnHistogram', () => {
    const counts = storageBuffer(device, 'ColumnHistogram.counts', cols * bins * 4);
    const encoder = device.createCommandEncoder({ label: 'ColumnHistogram.encoder' });
    const owned: GPUBuffer[] = [];
    for (const chunk of planChunks(t.rows, cols, 4, s.budget)) {
      const valStart = chunk.colStart * t.rows + chunk.rowStart;
      const maskStart = chunk.colStart * wpcAll + chunk.rowStart / 32;
      const maskLen = (chunk.colCount - 1) * wpcAll + wordsPerColumn(chunk.rowCount);
      const groups = Math.max(1, Math.min(MAX_GROUPS, Math.ceil(chunk.rowCount / (WG * 4))));
      const buffers = [
        uploadStorage(
          device,
          'ColumnHistogram.values',
          t.values.subarray(valStart, valStart + chunk.colCount * chunk.rowCount),
          counters,
        ),
        uploadStorage(
          device,
          'ColumnHistogram.validity',
          t.validity.subarray(maskStart, maskStart + maskLen),
          counters,
        ),
        uploadStorage(
          device,
          'ColumnHistogram.ranges',
          params.subarray(chunk.colStart * 2, (chunk.colStart + chunk.colCount) * 2),
        ),
        counts,
        uploadUniform(
          device,
          'ColumnHistogram.params',
          new Uint32Array([chunk.rowCount, chunk.colCount, wpcAll, groups, chunk.colStart]),
        ),
      ];
      const pass = encoder.beginComputePass({ label: 'ColumnHistogram.pass' });
      pass.setPipeline(pipeline);
      pass.setBindGroup(
        0,
        device.createBindGroup({
          label: 'ColumnHistogram.bindGroup',
          layout: pipeline.getBindGroupLayout(0),
          entries: buffers.map((buffer, binding) => ({ binding, resource: { buffer } })),
        }),
      );
      pass.dispatchWorkgroups(groups, chunk.colCount);
      pass.end();
      counters.dispatches++;
      owned.push(...buffers.filter((b) => b !== counts));
    }
    const staging = stageReadback(device, encoder, counts, cols * bins * 4);
    device.queue.submit([encoder.finish()]);
    counters.submits++;
    for (const b of [...owned, counts]) b.destroy();
    return staging;
  }).then((staging) => readStaging(staging, counters));
  const all = new Uint32Array(raw);
  return t.names.map((name, c) => ({
    name,
    lo: ranges[c]?.[0] ?? 0,
    hi: ranges[c]?.[1] ?? 0,
    counts: [...all.subarray(c * bins, (c + 1) * bins)],
  }));
}
