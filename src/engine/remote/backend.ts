/**
 * One call shape for every place a model can run: plain tensors in, plain tensors out, with where it ran and
 * how long it took. The local backends (onnxruntime-web on WebGPU or WASM, in the inference worker) and the
 * remote one (an Open Inference Protocol server) both implement it, so routing can swap them freely.
 */
import type { InferEp } from '../infer/inferApi';
import type { PlainTensor } from '../infer/tensors';
import type { OipClient, Transport } from './oipClient';

export interface BackendRun {
  readonly where: 'remote' | InferEp;
  readonly outputs: Readonly<Record<string, PlainTensor>>;
  readonly ms: number;
  /** Remote only: the tensor encoding used and the HTTP attempts it took. */
  readonly transport: Transport | null;
  readonly attempts: number;
}

export interface InferenceBackend {
  readonly kind: 'remote' | InferEp;
  run(feeds: Readonly<Record<string, PlainTensor>>, signal?: AbortSignal): Promise<BackendRun>;
}

/** The remote backend: `model` (and `version`) on the client's endpoint, over `transport`. */
export function remoteBackend(
  client: OipClient,
  model: string,
  opts: { readonly version?: string; readonly transport: Transport },
): InferenceBackend {
  return {
    kind: 'remote',
    async run(feeds, signal) {
      const r = await client.infer(model, feeds, {
        transport: opts.transport,
        version: opts.version,
        signal,
      });
      return { where: 'remote', outputs: r.outputs, ms: r.ms, transport: r.transport, attempts: r.attempts };
    },
  };
}
