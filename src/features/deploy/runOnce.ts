import { inferCall, releaseInferClient } from '../../bridge/clients';
import type { InferEp, InferEpChoice, InferLoad } from '../../engine/infer/inferApi';
import { readOutputs, type ReadableOutputs } from '../../engine/infer/form';
import { numbersOf, type PlainTensor } from '../../engine/infer/tensors';
import { timeoutFor } from '../../engine/infer/timeouts';

/** Values shown per output (the rest is summarised). */
const SHOWN = 1000;

/** One run's result as the Run panel shows it. */
export interface RunResult {
  readonly ep: InferEp;
  readonly reason: string;
  readonly placement: InferLoad['placement'];
  readonly loadMs: number;
  readonly runMs: number;
  readonly readable: ReadableOutputs;
  readonly outputs: readonly {
    name: string;
    type: string;
    dims: readonly number[];
    values: (number | string)[];
  }[];
}

/** Loads the model in a fresh inference worker, runs it once on `feeds`, and releases the worker. */
export async function runOnce(
  modelId: string,
  ep: InferEpChoice,
  feeds: Readonly<Record<string, PlainTensor>>,
  /** Offer the inputs to the model's drift log (predictions from the form; not random or test tensors). */
  log = false,
): Promise<RunResult> {
  try {
    const info = await inferCall((api) => api.contractInfo(modelId), timeoutFor('load'), 'Reading the model');
    const loaded = await inferCall((api) => api.load(modelId, ep), timeoutFor('load'), 'Loading the model');
    const ran = await inferCall((api) => api.run(feeds), timeoutFor('run'), 'The run');
    if (log) {
      await inferCall(
        async (api) => {
          await api.logInputs(modelId, loaded.inputNames, feeds, ran.outputs);
        },
        timeoutFor('run'),
        'Logging the inputs',
      );
    }
    return {
      ep: ran.ep,
      reason: loaded.reason,
      placement: loaded.placement,
      loadMs: loaded.loadMs,
      runMs: ran.runMs,
      readable: readOutputs(ran.outputs, info.classes),
      outputs: Object.entries(ran.outputs).map(([name, t]) => ({
        name,
        type: t.type,
        dims: t.dims,
        values: t.type === 'string' ? (t.data as string[]).slice(0, SHOWN) : numbersOf(t.data, SHOWN),
      })),
    };
  } finally {
    await releaseInferClient();
  }
}
