import {
  newCounters,
  stageReadback,
  readStaging,
  storageBuffer,
  uploadStorage,
  uploadUniform,
} from '../gpu/buffers';
import type { GpuCounters } from '../gpu/buffers';
import type { GpuSession } from '../gpu/context';
import { bufferBudget, planChunks, type Chunk } from '../gpu/planner';
import { withErrorScopes } from '../gpu/scopes';
import type { PassTimer } from '../gpu/timing';
import { KERNELS } from '../kernels/registry';
import { emptyStat, finalizeStat, mergeStats, type ColumnStats } from './runningStat';
import { assertTableShape, isValid, wordsPerColumn, type NumericTable } from './table';

const WG = 256;
const STAT_BYTES = 20;
/** Upper bound on workgroups per column in pass 1 (pass 2 merges them in one workgroup). */
const MAX_GROUPS = 256;
/** Rows each thread folds before another workgroup is worth starting. */
const ROWS_PER_THREAD = 4;

/** Options for a GPU statistics run. */
export interface GpuStatsOptions {
  readonly counters?: GpuCounters;
  readonly timer?: PassTimer | null;
}

/** Per-column statistics on the GPU: two dispatches per chunk, one readback for the whole table. */
export async function columnStatsGpu(
  s: GpuSession,
  table: NumericTable,
  options: GpuStatsOptions = {},
): Promise<ColumnStats[]> {
  assertTableShape(table);
  const cols = table.names.length;
  const counters = options.counters ?? newCounters();
  const chunks = planChunks(table.rows, cols, 4, s.budget);
  if (chunks.length === 0) return table.names.map((n) => finalizeStat(n, table.rows, emptyStat()));
  const shifts = firstValidValues(table);
  const [partialPipe, mergePipe] = await Promise.all([
    s.pipelines.get(KERNELS.columnStatsPartial, { WG }),
    s.pipelines.get(KERNELS.columnStatsMerge, { WG }),
  ]);
  const slots = chunks.reduce((sum, c) => sum + c.colCount, 0);
  const device = s.device;
  const raw = await withErrorScopes(device, 'ColumnStats', () => {
    const results = storageBuffer(device, 'ColumnStats.results', slots * STAT_BYTES);
    let slot = 0;
    let staging: GPUBuffer | null = null;
    for (const [i, chunk] of chunks.entries()) {
      const encoder = device.createCommandEncoder({ label: `ColumnStats.encoder${i}` });
      const owned = encodeChunk(
        s,
        encoder,
        table,
        shifts,
        chunk,
        [partialPipe, mergePipe],
        counters,
        options.timer,
      );
      encoder.copyBufferToBuffer(owned.result, 0, results, slot * STAT_BYTES, chunk.colCount * STAT_BYTES);
      slot += chunk.colCount;
      if (i === chunks.length - 1) {
        staging = stageReadback(device, encoder, results, slots * STAT_BYTES);
        options.timer?.resolveInto(encoder);
      }
      device.queue.submit([encoder.finish()]);
      counters.submits++;
      for (const b of owned.buffers) b.destroy();
    }
    results.destroy();
    return staging!;
  }).then((staging) => readStaging(staging, counters));
  return mergeChunkResults(table, chunks, shifts, raw);
}

interface EncodedChunk {
  readonly result: GPUBuffer;
  readonly buffers: GPUBuffer[];
}

function encodeChunk(
  s: GpuSession,
  encoder: GPUCommandEncoder,
  t: NumericTable,
  shifts: Float32Array,
  chunk: Chunk,
  [partialPipe, mergePipe]: [GPUComputePipeline, GPUComputePipeline],
  counters: GpuCounters,
  timer: PassTimer | null | undefined,
): EncodedChunk {
  const { device } = s;
  const wpcAll = wordsPerColumn(t.rows);
  const wpc = wordsPerColumn(chunk.rowCount);
  const valStart = chunk.colStart * t.rows + chunk.rowStart;
  // Whole columns or one column's row range: both are contiguous in the column-major layout.
  const values = t.values.subarray(valStart, valStart + chunk.colCount * chunk.rowCount);
  const maskStart = chunk.colStart * wpcAll + chunk.rowStart / 32;
  const mask = t.validity.subarray(maskStart, maskStart + (chunk.colCount - 1) * wpcAll + wpc);
  const groupsByRows = Math.ceil(chunk.rowCount / (WG * ROWS_PER_THREAD));
  const groupsByBudget = Math.floor(bufferBudget(s.budget) / (STAT_BYTES * chunk.colCount));
  const groups = Math.max(1, Math.min(MAX_GROUPS, groupsByRows, groupsByBudget));
  const buffers = [
    uploadStorage(device, 'ColumnStats.values', values, counters),
    uploadStorage(device, 'ColumnStats.validity', mask, counters),
    uploadStorage(
      device,
      'ColumnStats.shifts',
      shifts.subarray(chunk.colStart, chunk.colStart + chunk.colCount),
    ),
    storageBuffer(device, 'ColumnStats.partials', chunk.colCount * groups * STAT_BYTES),
    uploadUniform(
      device,
      'ColumnStats.params',
      new Uint32Array([chunk.rowCount, chunk.colCount, wpcAll, groups]),
    ),
    storageBuffer(device, 'ColumnStats.chunkResult', chunk.colCount * STAT_BYTES),
  ] as const;
  const [vb, mb, sb, pb, ub, rb] = buffers;
  // Row-range chunks are single columns, so the column stride of the mask (wpcAll) never matters there.
  const pass1 = device.createBindGroup({
    label: 'ColumnStatsPartial.bindGroup',
    layout: partialPipe.getBindGroupLayout(0),
    entries: [vb, mb, sb, pb, ub].map((buffer, binding) => ({ binding, resource: { buffer } })),
  });
  const pass2 = device.createBindGroup({
    label: 'ColumnStatsMerge.bindGroup',
    layout: mergePipe.getBindGroupLayout(0),
    entries: [pb, rb, ub].map((buffer, binding) => ({ binding, resource: { buffer } })),
  });
  dispatch(encoder, 'ColumnStatsPartial', partialPipe, pass1, [groups, chunk.colCount], timer);
  dispatch(encoder, 'ColumnStatsMerge', mergePipe, pass2, [chunk.colCount, 1], timer);
  counters.dispatches += 2;
  return { result: rb, buffers: [vb, mb, sb, pb, ub, rb] };
}

function dispatch(
  encoder: GPUCommandEncoder,
  label: string,
  pipeline: GPUComputePipeline,
  bindGroup: GPUBindGroup,
  [x, y]: [number, number],
  timer: PassTimer | null | undefined,
): void {
  const timestampWrites = timer?.writes(label);
  const pass = encoder.beginComputePass(timestampWrites ? { label, timestampWrites } : { label });
  pass.setPipeline(pipeline);
  pass.setBindGroup(0, bindGroup);
  pass.dispatchWorkgroups(x, y);
  pass.end();
}

/** First present value of each column: reducing (x − shift) keeps f32 precise when |mean| ≫ std. */
function firstValidValues(t: NumericTable): Float32Array {
  const shifts = new Float32Array(t.names.length);
  for (let c = 0; c < t.names.length; c++) {
    for (let r = 0; r < t.rows; r++) {
      if (isValid(t, c, r)) {
        shifts[c] = t.values[c * t.rows + r] ?? 0;
        break;
      }
    }
  }
  return shifts;
}

function mergeChunkResults(
  t: NumericTable,
  chunks: readonly Chunk[],
  shifts: Float32Array,
  raw: ArrayBuffer,
) {
  const u32 = new Uint32Array(raw);
  const f32 = new Float32Array(raw);
  const perColumn = t.names.map(() => emptyStat());
  let slot = 0;
  for (const chunk of chunks) {
    for (let k = 0; k < chunk.colCount; k++, slot++) {
      const o = slot * 5;
      const n = u32[o] ?? 0;
      const part = {
        n,
        mean: f32[o + 1] ?? 0,
        m2: f32[o + 2] ?? 0,
        min: f32[o + 3] ?? 0,
        max: f32[o + 4] ?? 0,
      };
      const c = chunk.colStart + k;
      if (n > 0) perColumn[c] = mergeStats(perColumn[c]!, part);
    }
  }
  return perColumn.map((st, c) => finalizeStat(t.names[c]!, t.rows, st, shifts[c] ?? 0));
}
