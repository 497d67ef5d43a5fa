/**
 * The inference worker's latency benchmark: for each provider, session creation, the first run, warm-ups and
 * timed runs of the core service's `run` (plain tensors in, session.run, outputs read back), on seeded random
 * inputs. Also the benchmark hooks for `npm run bench`: a bare onnxruntime session in this same worker.
 */
import type { IDBPDatabase } from 'idb';
import type { InferenceSession, Tensor } from 'onnxruntime-web';
import type { WorkbenchDB } from '../../db/schema';
import { WorkbenchError } from '../../lib/errors';
import type { InferEp, InferService, Ort } from './inferApi';
import {
  latencyPlan,
  randomFeeds,
  summarize,
  type LatencyEpResult,
  type LatencyOptions,
  type LatencyProgress,
  type LatencyReport,
} from './latency';
import type { PlainTensor } from './tensors';

export interface LatencyService {
  /** Measures the stored model on each provider in turn; progress about every 100 ms. Releases the session after. */
  latency(
    modelId: string,
    options: LatencyOptions,
    onProgress: (p: LatencyProgress) => void,
  ): Promise<LatencyReport>;
  /**
   * Bench hook: loads the model into a second, bare onnxruntime session in this worker (the options `load`
   * uses) with `feeds` made into tensors once.
   */
  benchBareLoad(modelId: string, ep: InferEp, feeds: Readonly<Record<string, PlainTensor>>): Promise<void>;
  /** Bench hook: one bare `session.run` on those tensors (outputs' data read); its time in ms inside the worker. */
  benchBareRun(): Promise<number>;
  benchBareRelease(): Promise<void>;
}

const PROGRESS_MS = 100;

export function createLatencyService(
  core: InferService,
  db: Promise<IDBPDatabase<WorkbenchDB>>,
  loadOrt: (ep: InferEp) => Promise<Ort>,
): LatencyService {
  let bare: { session: InferenceSession; feeds: Record<string, Tensor> } | null = null;
  const releaseBare = async (): Promise<void> => {
    const b = bare;
    bare = null;
    await b?.session.release();
  };
  return {
    async latency(modelId, options, onProgress) {
      const { eps, warmups, runs } = latencyPlan(options);
      const model = await (await db).get('models', modelId);
      if (model === undefined) throw new WorkbenchError('MODEL_REJECTED', `Model ${modelId} is not stored.`);
      const feeds = randomFeeds(model.inspection.inputs, options.dims, options.seed);
      const results: LatencyEpResult[] = [];
      let last = 0;
      const tell = (p: LatencyProgress, force = false): void => {
        if (!force && performance.now() - last < PROGRESS_MS) return;
        last = performance.now();
        onProgress(p);
      };
      const timed = async (): Promise<number> => {
        const t0 = performance.now();
        await core.run(feeds);
        return performance.now() - t0;
      };
      try {
        for (const ep of eps) {
          tell({ ep, phase: 'load', done: 0, total: 1 }, true);
          const loaded = await core.load(modelId, ep, { placement: false }); // no verbose log in the timings
          tell({ ep, phase: 'first', done: 0, total: 1 }, true);
          const firstMs = await timed();
          const warmupMs: number[] = [];
          for (let i = 0; i < warmups; i++) {
            warmupMs.push(await timed());
            tell({ ep, phase: 'warmup', done: i + 1, total: warmups });
          }
          const runsMs: number[] = [];
          for (let i = 0; i < runs; i++) {
            runsMs.push(await timed());
            tell({ ep, phase: 'timed', done: i + 1, total: runs });
          }
          results.push({
            ep: loaded.ep,
            reason: loaded.reason,
            loadMs: loaded.loadMs,
            firstMs,
            warmupMs,
            runsMs,
            summary: summarize(runsMs),
          });
        }
      } finally {
        await core.release();
      }
      return {
        results,
        dims: Object.fromEntries(Object.entries(feeds).map(([k, v]) => [k, v.dims])),
        warmups,
        runs,
      };
    },

    async benchBareLoad(modelId, ep, feeds) {
      await releaseBare();
      const bytes = (await (await db).get('modelBytes', modelId))?.data;
      if (bytes === undefined) throw new WorkbenchError('MODEL_REJECTED', `Model ${modelId} is not stored.`);
      const ort = await loadOrt(ep);
      ort.env.wasm.numThreads = 1; // as the core service sets it
      const session = await ort.InferenceSession.create(bytes, {
        executionProviders: ep === 'webgpu' ? [{ name: 'webgpu', preferredLayout: 'NCHW' }] : ['wasm'],
        graphOptimizationLevel: 'all',
      });
      const tensors: Record<string, Tensor> = {};
      for (const [k, v] of Object.entries(feeds)) tensors[k] = new ort.Tensor(v.type, v.data, [...v.dims]);
      bare = { session, feeds: tensors };
    },

    async benchBareRun() {
      if (bare === null)
        throw new WorkbenchError('INVALID_INPUT', 'No bare session; call benchBareLoad first.');
      const t0 = performance.now();
      const out = await bare.session.run(bare.feeds);
      for (const t of Object.values(out)) await t.getData();
      return performance.now() - t0;
    },

    benchBareRelease: releaseBare,
  };
}
