/**
 * Drift figures on the GPU: per-feature counts in the reference's bins (atomics, drift_histogram.wgsl) and
 * the exact two-sample KS statistic (ks_cdf.wgsl: CDFs at every sample point by binary search, max
 * reduction). Sorting the samples stays on the CPU (O(n log n), once per feature); the GPU does the
 * O((n + m) log) CDF evaluations. Counts equal the CPU reference exactly; D within 1e-6 (f32 ratios).
 */
import {
  newCounters,
  readStaging,
  stageReadback,
  storageBuffer,
  uploadStorage,
  uploadUniform,
  type GpuCounters,
} from '../gpu/buffers';
import type { GpuSession } from '../gpu/context';
import { bufferBudget } from '../gpu/planner';
import { withErrorScopes } from '../gpu/scopes';
import { KERNELS } from '../kernels/registry';
import { WorkbenchError } from '../../lib/errors';
import { binParams } from '../data/histogram.ref';
import { ksBinned, sortedCopy } from './drift';
import type { FeatureCounts, FeatureInput } from './report';

const WG = 256;
const MAX_GROUPS = 64;

/** Per-feature counts and KS statistics, in groups of features whose buffers fit the device's budget. */
export async function driftCountsGpu(
  s: GpuSession,
  inputs: readonly FeatureInput[],
  counters: GpuCounters = newCounters(),
): Promise<FeatureCounts[]> {
  const out: FeatureCounts[] = [];
  const budget = Math.floor(bufferBudget(s.budget) / 4);
  let group: FeatureInput[] = [];
  let size = 0;
  const flush = async (): Promise<void> => {
    if (group.length > 0) out.push(...(await groupCounts(s, group, counters)));
    group = [];
    size = 0;
  };
  for (const input of inputs) {
    const n = input.curValues.length + (input.refValues?.length ?? 0);
    if (n > budget)
      throw new WorkbenchError('GPU_LIMIT', `${input.reference.feature}: ${n} values exceed one GPU buffer`);
    const bins = input.reference.counts.length;
    if (size + n > budget || (group[0] !== undefined && group[0].reference.counts.length !== bins))
      await flush();
    group.push(input);
    size += n;
  }
  await flush();
  return out;
}

/** Segment layout of a group: compared values first, then training values, one segment each per feature. */
function histogramInputs(group: readonly FeatureInput[]): {
  values: Float32Array;
  segs: Uint32Array;
  ranges: Float32Array;
  refSeg: number[];
} {
  const parts: Float32Array[] = [];
  const segs: number[] = [];
  const ranges: number[] = [];
  const refSeg: number[] = [];
  let offset = 0;
  const add = (values: Float32Array, lo: number, hi: number, bins: number): void => {
    parts.push(values);
    segs.push(offset, values.length);
    ranges.push(...binParams(lo, hi, bins));
    offset += values.length;
  };
  for (const { reference: r, curValues } of group) add(curValues, r.lo, r.hi, r.counts.length);
  for (const { reference: r, refValues } of group) {
    refSeg.push(refValues === null ? -1 : segs.length / 2);
    if (refValues !== null) add(refValues, r.lo, r.hi, r.counts.length);
  }
  const values = new Float32Array(offset);
  let at = 0;
  for (const p of parts) {
    values.set(p, at);
    at += p.length;
  }
  return { values, segs: Uint32Array.from(segs), ranges: Float32Array.from(ranges), refSeg };
}

/** Sorted samples back to back for the KS kernel, for the features with training values and both non-empty. */
function ksInputs(group: readonly FeatureInput[]): {
  a: Float32Array;
  b: Float32Array;
  segs: Uint32Array;
  index: number[];
} {
  const index: number[] = [];
  const as: Float32Array[] = [];
  const bs: Float32Array[] = [];
  const segs: number[] = [];
  let ao = 0;
  let bo = 0;
  group.forEach((g, f) => {
    if (g.refValues === null || g.refValues.length === 0 || g.curValues.length === 0) return;
    const a = Float32Array.from(sortedCopy(g.refValues));
    const b = Float32Array.from(sortedCopy(g.curValues));
    segs.push(ao, a.length, bo, b.length);
    as.push(a);
    bs.push(b);
    ao += a.length;
    bo += b.length;
    index.push(f);
  });
  const join = (xs: Float32Array[], n: number): Float32Array => {
    const out = new Float32Array(n);
    let at = 0;
    for (const x of xs) {
      out.set(x, at);
      at += x.length;
    }
    return out;
  };
  return { a: join(as, ao), b: join(bs, bo), segs: Uint32Array.from(segs), index };
}

function groupsFor(longest: number): number {
  return Math.max(1, Math.min(MAX_GROUPS, Math.ceil(longest / (WG * 4))));
}

async function groupCounts(
  s: GpuSession,
  group: readonly FeatureInput[],
  counters: GpuCounters,
): Promise<FeatureCounts[]> {
  const { device } = s;
  const bins = group[0]!.reference.counts.length;
  const hist = histogramInputs(group);
  const ks = ksInputs(group);
  const segCount = hist.segs.length / 2;
  const histPipeline = await s.pipelines.get(KERNELS.driftHistogram, { WG, BINS: bins });
  const ksPipeline = ks.index.length > 0 ? await s.pipelines.get(KERNELS.ksCdf, { WG }) : null;
  const [rawCounts, rawD] = await withErrorScopes(device, 'DriftHistogram', () => {
    const encoder = device.createCommandEncoder({ label: 'Drift.encoder' });
    const owned: GPUBuffer[] = [];
    const pass = (
      pipeline: GPUComputePipeline,
      label: string,
      buffers: GPUBuffer[],
      x: number,
      y: number,
    ) => {
      const p = encoder.beginComputePass({ label: `${label}.pass` });
      p.setPipeline(pipeline);
      p.setBindGroup(
        0,
        device.createBindGroup({
          label: `${label}.bindGroup`,
          layout: pipeline.getBindGroupLayout(0),
          entries: buffers.map((buffer, binding) => ({ binding, resource: { buffer } })),
        }),
      );
      p.dispatchWorkgroups(x, y);
      p.end();
      counters.dispatches++;
      owned.push(...buffers);
    };
    let longest = 0;
    for (let i = 1; i < hist.segs.length; i += 2) longest = Math.max(longest, hist.segs[i]!);
    const hGroups = groupsFor(longest);
    const counts = storageBuffer(device, 'DriftHistogram.counts', segCount * bins * 4);
    pass(
      histPipeline,
      'DriftHistogram',
      [
        uploadStorage(device, 'DriftHistogram.values', hist.values, counters),
        uploadStorage(device, 'DriftHistogram.segs', hist.segs, counters),
        uploadStorage(device, 'DriftHistogram.ranges', hist.ranges, counters),
        counts,
        uploadUniform(device, 'DriftHistogram.params', new Uint32Array([hGroups])),
      ],
      hGroups,
      segCount,
    );
    const stagings = [stageReadback(device, encoder, counts, segCount * bins * 4)];
    if (ksPipeline !== null) {
      let most = 0;
      for (let i = 0; i < ks.segs.length; i += 4) most = Math.max(most, ks.segs[i + 1]! + ks.segs[i + 3]!);
      const kGroups = groupsFor(most);
      const dmax = storageBuffer(device, 'KsCdf.dmax', ks.index.length * 4);
      pass(
        ksPipeline,
        'KsCdf',
        [
          uploadStorage(device, 'KsCdf.a', ks.a, counters),
          uploadStorage(device, 'KsCdf.b', ks.b, counters),
          uploadStorage(device, 'KsCdf.segs', ks.segs, counters),
          dmax,
          uploadUniform(device, 'KsCdf.params', new Uint32Array([kGroups])),
        ],
        kGroups,
        ks.index.length,
      );
      stagings.push(stageReadback(device, encoder, dmax, ks.index.length * 4));
    }
    device.queue.submit([encoder.finish()]);
    counters.submits++;
    for (const b of owned) b.destroy();
    return stagings;
  }).then((stagings) => Promise.all(stagings.map((st) => readStaging(st, counters))));
  const all = new Uint32Array(rawCounts!);
  const d = rawD === undefined ? new Float32Array(0) : new Float32Array(rawD);
  const seg = (k: number): number[] => [...all.subarray(k * bins, (k + 1) * bins)];
  return group.map((g, f) => {
    const curCounts = seg(f);
    const refSeg = hist.refSeg[f]!;
    if (refSeg < 0)
      return { refCounts: g.reference.counts, curCounts, ks: ksBinned(g.reference.counts, curCounts) };
    const k = ks.index.indexOf(f);
    return { refCounts: seg(refSeg), curCounts, ks: k < 0 ? NaN : d[k]! };
  });
}
