/**
 * tfjs-backend-wasm 4.22 has no Conv2DBackpropFilter kernel, so a CNN cannot train on it. This registers one
 * written in JS for NHWC inputs (the layout our CNNs use): dW[r, c, i, o] = Σ_b,y,x x[b, y·s + r − pad,
 * x·s + c − pad, i] · dy[b, y, x, o]. The rest of the step stays in WASM; only this kernel runs in JS.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

function conv2DBackpropFilter(args: {
  inputs: tf.NamedTensorInfoMap;
  backend: unknown;
  attrs?: tf.NamedAttrMap;
}): tf.TensorInfo {
  const backend = args.backend as BackendWasm;
  const { x, dy } = args.inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
  const attrs = args.attrs as unknown as tf.Conv2DBackpropFilterAttrs;
  if (attrs.dataFormat !== 'NHWC') throw new Error('Conv2DBackpropFilter on WASM supports NHWC only');
  const info = tf.backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number],
    attrs.filterShape,
    attrs.strides,
    1,
    attrs.pad,
    attrs.dimRoundingMode,
    false,
    'channelsLast',
  );
  const { batchSize, inHeight, inWidth, inChannels, outHeight, outWidth, outChannels } = info;
  const { filterHeight, filterWidth, strideHeight, strideWidth } = info;
  const top = info.padInfo.top;
  const left = info.padInfo.left;
  const xs = backend.readSync(x.dataId) as Float32Array;
  const dys = backend.readSync(dy.dataId) as Float32Array;
  const acc = new Float64Array(filterHeight * filterWidth * inChannels * outChannels);
  for (let b = 0; b < batchSize; b++) {
    for (let yR = 0; yR < outHeight; yR++) {
      for (let yC = 0; yC < outWidth; yC++) {
        const dyAt = ((b * outHeight + yR) * outWidth + yC) * outChannels;
        for (let wR = 0; wR < filterHeight; wR++) {
          const xR = yR * strideHeight + wR - top;
          if (xR < 0 || xR >= inHeight) continue;
          for (let wC = 0; wC < filterWidth; wC++) {
            const xC = yC * strideWidth + wC - left;
            if (xC < 0 || xC >= inWidth) continue;
            const xAt = ((b * inHeight + xR) * inWidth + xC) * inChannels;
            const wAt = (wR * filterWidth + wC) * inChannels;
            for (let d1 = 0; d1 < inChannels; d1++) {
              const xv = xs[xAt + d1]!;
              if (xv === 0) continue;
              const o = (wAt + d1) * outChannels;
              for (let d2 = 0; d2 < outChannels; d2++) acc[o + d2]! += xv * dys[dyAt + d2]!;
            }
          }
        }
      }
    }
  }
  return backend.makeOutput([...attrs.filterShape], 'float32', undefined, Float32Array.from(acc));
}

/** Registers the kernel for 'wasm' unless one is there already. */
export function registerWasmConvGrad(): void {
  if (tf.getKernel(tf.Conv2DBackpropFilter, 'wasm') !== undefined) return;
  tf.registerKernel({
    kernelName: tf.Conv2DBackpropFilter,
    backendName: 'wasm',
    kernelFunc: conv2DBackpropFilter,
  });
}
