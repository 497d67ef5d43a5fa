import { version_core } from '@tensorflow/tfjs-core';
import type { GpuCounters } from '../../src/engine/gpu/buffers';
import type { GpuSession } from '../../src/engine/gpu/context';
import { newUsage, usageSince, type DeviceUsage } from '../../src/engine/gpu/instrument';
import { createCpuBackend } from '../../src/engine/preprocess/cpuBackend';
import { createGpuBackend } from '../../src/engine/preprocess/gpuBackend';
import type { Program, ProgramOutput } from '../../src/engine/preprocess/program';
import { alternate, optionsFromQuery, summarize } from '../measure';
import { intParam } from '../data';
import { defineCase, defineOnce, type OnceFigure } from '../runner';
import {
  RECIPE_PARAMS,
  bitAt,
  checkClose,
  lastWorst,
  REL_TOL,
  recipeProgram,
  recipeTable,
  stepsParam,
  sweepParam,
  type RecipeTable,
} from './recipeProgram';
import { createCountedTfjs, tfjsApply, type CountedTfjs } from './recipeTfjs';

/**
 * ONE recipe application as a user triggers it at training or inference time: upload the table
 * (createGpuBackend), run the compiled program (one fused element-wise pass), read the result back, dispose.
 * The counts come from the device wrapper (session.usage, instrument.ts), never from the code under test.
 */
async function applyOurs(session: GpuSession, rt: RecipeTable, program: Program): Promise<Applied> {
  const before = { ...session.usage };
  const backend = await createGpuBackend(session, rt.table);
  let out: ProgramOutput;
  try {
    out = await backend.run(program);
  } finally {
    backend.dispose();
  }
  return { out, usage: usageSince(before, session.usage) };
}

interface Applied {
  readonly out: ProgramOutput;
  readonly usage: DeviceUsage;
}

/** Copies the wrapper's counts into the runner's per-run counters (printed as dispatches/run etc.). */
function report(counters: GpuCounters, u: DeviceUsage): void {
  counters.dispatches += u.dispatches;
  counters.submits += u.submits;
  counters.readbacks += u.readbacks;
  counters.bytesUploaded += u.bytesUploaded;
  counters.bytesRead += u.bytesRead;
}

function checkOursVsCpu(what: string, ours: ProgramOutput, cpu: ProgramOutput): void {
  const rows = cpu.rows;
  checkClose(
    `${what}: ours vs CPU reference`,
    ours.values,
    cpu.values,
    (i) => bitAt(cpu.validity, rows, i),
    (i) => bitAt(ours.validity, rows, i),
  );
}

function checkOursVsTfjs(what: string, ours: ProgramOutput, tfjs: Float32Array): void {
  const rows = ours.rows;
  checkClose(
    `${what}: ours vs tfjs`,
    ours.values,
    tfjs,
    (i) => Number.isFinite(tfjs[i]),
    (i) => bitAt(ours.validity, rows, i),
  );
}

function tableFacts(rt: RecipeTable, steps: number): Record<string, number> {
  return {
    rows: rt.rows,
    cols: rt.cols,
    steps,
    inputBytes: rt.table.numeric.values.byteLength + rt.table.numeric.validity.byteLength,
  };
}

interface CpuState {
  readonly session: GpuSession;
  readonly rt: RecipeTable;
  readonly steps: number;
  readonly program: Program;
}

/** Row: ours against the CPU reference backend on the same program (recipeSteps steps, default 8). */
export const recipeCpuCase = defineCase<CpuState, ProgramOutput, ProgramOutput>({
  id: 'recipe-cpu',
  description: 'One recipe application (upload, fused pass, readback), WGSL vs the CPU reference backend',
  labels: {
    ours: 'createGpuBackend + run + dispose (WGSL, upload and readback included)',
    peer: 'createCpuBackend + run (JS, f32 per operation)',
  },
  params: RECIPE_PARAMS,
  setup: ({ session, params }) => {
    const rt = recipeTable(params);
    const steps = stepsParam(params);
    return { session, rt, steps, program: recipeProgram(rt, steps) };
  },
  ours: async ({ session, rt, program }, counters) => {
    const { out, usage } = await applyOurs(session, rt, program);
    report(counters, usage);
    return out;
  },
  peer: ({ rt, program }) => createCpuBackend(rt.table).run(program),
  check: (ours, cpu) => checkOursVsCpu('recipe-cpu', ours, cpu),
  counts: ({ rt, steps }) => ({
    ...tableFacts(rt, steps),
    maxRelError: lastWorst.get('recipe-cpu: ours vs CPU reference') ?? NaN,
  }),
});

interface TfjsState extends CpuState {
  readonly tfjs: CountedTfjs;
  /** tfjs's device usage summed over every peer run, and the number of runs. */
  readonly peerUsage: DeviceUsage;
  peerRuns: number;
}

/** Row: ours against the same operations composed in tfjs on its WebGPU backend, same adapter. */
export const recipeTfjsCase = defineCase<TfjsState, ProgramOutput, Float32Array>({
  id: 'recipe-tfjs',
  description: 'One recipe application, fused WGSL vs the same ops composed in tfjs-backend-webgpu',
  labels: {
    ours: 'createGpuBackend + run + dispose (one fused pass)',
    peer: `tfjs ${version_core} webgpu: tensor2d, where/isNaN, sub, mul, clipByValue, log1p, pow, await data()`,
  },
  params: RECIPE_PARAMS,
  setup: async ({ session, params }) => {
    const rt = recipeTable(params);
    const steps = stepsParam(params);
    return {
      session,
      rt,
      steps,
      program: recipeProgram(rt, steps),
      tfjs: await createCountedTfjs(session.adapter),
      peerUsage: newUsage(),
      peerRuns: 0,
    };
  },
  ours: async ({ session, rt, program }, counters) => {
    const { out, usage } = await applyOurs(session, rt, program);
    report(counters, usage);
    return out;
  },
  peer: async (s) => {
    const before = { ...s.tfjs.usage };
    const out = await tfjsApply(s.rt, s.steps);
    const u = usageSince(before, s.tfjs.usage);
    for (const k of Object.keys(u) as (keyof DeviceUsage)[]) s.peerUsage[k] += u[k];
    s.peerRuns++;
    return out;
  },
  check: (ours, tfjs) => checkOursVsTfjs('recipe-tfjs', ours, tfjs),
  counts: (s) => {
    const per = (v: number): number => v / Math.max(1, s.peerRuns);
    return {
      ...tableFacts(s.rt, s.steps),
      maxRelError: lastWorst.get('recipe-tfjs: ours vs tfjs') ?? NaN,
      peerDispatchesPerRun: per(s.peerUsage.dispatches),
      peerUploadsPerRun: per(s.peerUsage.uploads),
      peerBytesUploadedPerRun: per(s.peerUsage.bytesUploaded),
      peerReadbacksPerRun: per(s.peerUsage.readbacks),
      peerSubmitsPerRun: per(s.peerUsage.submits),
    };
  },
  teardown: (s) => s.tfjs.dispose(),
});

/** Calls counted per application; bytes uploaded also grow with the program's operation table. */
const CALL_KEYS = ['dispatches', 'uploads', 'readbacks', 'submits'] as const;
const COUNT_KEYS = [...CALL_KEYS, 'bytesUploaded'] as const;

/**
 * The sweep: for N = 1, 2, 3, 5, 8 steps (recipeSweep), the device wrapper's counts of one warm application of
 * ours and of tfjs (after one untimed first run each, which compiles their pipelines), outputs checked against
 * the CPU reference and tfjs, then a short A B A B alternation (recipeSweepRuns runs each, capped by `runs`)
 * for p50 ratios per N. The A/B rows above are the full-method measurement at one N.
 */
export const recipeCountsOnce = defineOnce({
  id: 'recipe-counts',
  description:
    'Device-wrapper counts per recipe application vs steps N (ours, tfjs webgpu), short A/B ratios per N',
  params: RECIPE_PARAMS,
  run: async ({ session, params }) => {
    const rt = recipeTable(params);
    const sweep = sweepParam(params);
    const options = optionsFromQuery(params);
    const runs = Math.min(options.minRuns, intParam(params, 'recipeSweepRuns', 10));
    const short = { warmup: Math.min(options.warmup, 2), minRuns: runs, minSeconds: 0, maxRuns: runs };
    const tfjs = await createCountedTfjs(session.adapter);
    const figures: OnceFigure[] = [];
    const notes: string[] = [];
    const series: Record<string, number[]> = { steps: [] };
    const push = (key: string, v: number): void => {
      (series[key] ??= []).push(v);
    };
    const oursCounts: DeviceUsage[] = [];
    try {
      for (const n of sweep) {
        const program = recipeProgram(rt, n);
        await applyOurs(session, rt, program);
        const ours = await applyOurs(session, rt, program);
        await tfjsApply(rt, n);
        const before = { ...tfjs.usage };
        const peerOut = await tfjsApply(rt, n);
        const peer = usageSince(before, tfjs.usage);
        const cpu = await createCpuBackend(rt.table).run(program);
        checkOursVsCpu(`N=${n}`, ours.out, cpu);
        checkOursVsTfjs(`N=${n}`, ours.out, peerOut);
        oursCounts.push(ours.usage);

        const cpuAb = await alternate(
          () => applyOurs(session, rt, program),
          () => createCpuBackend(rt.table).run(program),
          short,
        );
        const tfAb = await alternate(
          () => applyOurs(session, rt, program),
          () => tfjsApply(rt, n),
          short,
        );
        const ratio = (a: number[], b: number[]): number => summarize(a).p50 / summarize(b).p50;
        const vsCpu = ratio(cpuAb.a, cpuAb.b);
        const vsTfjs = ratio(tfAb.a, tfAb.b);

        series.steps!.push(n);
        for (const k of COUNT_KEYS) {
          push(`ours.${k}`, ours.usage[k]);
          push(`tfjs.${k}`, peer[k]);
        }
        push('maxRelError.cpu', lastWorst.get(`N=${n}: ours vs CPU reference`) ?? NaN);
        push('maxRelError.tfjs', lastWorst.get(`N=${n}: ours vs tfjs`) ?? NaN);
        push('ratioP50.oursOverCpu', vsCpu);
        push('ratioP50.oursOverTfjs', vsTfjs);
        push('p50Ms.ours', summarize([...cpuAb.a, ...tfAb.a]).p50);
        push('p50Ms.cpu', summarize(cpuAb.b).p50);
        push('p50Ms.tfjs', summarize(tfAb.b).p50);

        for (const k of CALL_KEYS) {
          figures.push({ name: `N=${n} ${k}: ours`, value: ours.usage[k], unit: 'count' });
          figures.push({ name: `N=${n} ${k}: tfjs`, value: peer[k], unit: 'count' });
        }
        figures.push({ name: `N=${n} p50 ratio ours/CPU reference`, value: vsCpu, unit: '×' });
        figures.push({ name: `N=${n} p50 ratio ours/tfjs`, value: vsTfjs, unit: '×' });
        notes.push(
          `N=${n}: ours ${ours.usage.dispatches} dispatch(es), ${ours.usage.uploads} uploads ` +
            `(${ours.usage.bytesUploaded} B), ${ours.usage.readbacks} readback(s), ${ours.usage.submits} submit(s); ` +
            `tfjs ${peer.dispatches} dispatches, ${peer.uploads} uploads (${peer.bytesUploaded} B), ` +
            `${peer.readbacks} readback(s), ${peer.submits} submit(s)`,
        );
      }
    } finally {
      tfjs.dispose();
    }
    const first = oursCounts[0];
    const constant =
      first !== undefined && oursCounts.every((u) => CALL_KEYS.every((k) => u[k] === first[k]));
    const single = oursCounts.every((u) => u.dispatches === 1);
    figures.unshift({
      name: 'ours: same dispatches, uploads, readbacks, submits at every N (1 = yes)',
      value: constant ? 1 : 0,
      unit: 'flag',
    });
    notes.unshift(
      `Counts: the engine's device wrapper (instrumentDevice) on both devices, one warm application each; ` +
        `ours' dispatches, uploads, readbacks and submits are ${constant ? 'the same at every N' : 'NOT the same at every N'}, ` +
        `${single ? 'one dispatch each' : 'NOT one dispatch each'} (only bytes uploaded grow, with the padded ` +
        `operation table). Uploads count queue.writeBuffer calls and buffers created mapped: tfjs uploads each ` +
        `tensor and each op's uniforms; its where() broadcasts the [cols, 1] fill with a CPU-forwarded tile ` +
        `(WEBGPU_CPU_FORWARD, tfjs's default), uploaded at full size.`,
      `Measured ${new Date().toISOString()} on ${tfjs.adapter} (ours and tfjs, two devices), ` +
        `${navigator.userAgent}; tfjs-core ${version_core} with tfjs-backend-webgpu of the same version.`,
      `Ratios: ${runs} timed runs per side after ${short.warmup} warm-up (short; see the A/B rows for the full ` +
        `method); outputs checked equal within ${REL_TOL.toExponential()} relative first. Table ${rt.rows} × ${rt.cols}.`,
    );
    const worst = (key: string): string =>
      Math.max(...(series[key] ?? []).map((v) => (Number.isNaN(v) ? Infinity : v))).toExponential(1);
    notes.push(
      `Largest relative error over the sweep: ours vs CPU reference ${worst('maxRelError.cpu')}, ` +
        `ours vs tfjs ${worst('maxRelError.tfjs')} (tolerance ${REL_TOL.toExponential()}).`,
    );
    return { figures, notes, series };
  },
});
