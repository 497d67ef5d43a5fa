/**
 * The ONNX model inspector: figures of a real conformance model (checked by hand against the case's known
 * Gemm), of a model built here with the graph builder (symbolic dims, initializers, Constant nodes, a
 * subgraph), and MODEL_REJECTED for garbage, truncated, empty, graph-less and oversized input.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import $protobuf from 'protobufjs/minimal.js';
import { describe, expect, it } from 'vitest';
import { inspectOnnx, MAX_MODEL_BYTES } from '../../src/engine/deploy/inspect';
import { DT, GraphBuilder, attr, valueInfo } from '../../src/engine/deploy/onnx/graph';
import { onnx } from '../../src/engine/deploy/onnx/generated/onnx.js';

const FIXTURE = join(import.meta.dirname, '../fixtures/onnx/gemm_all_attributes.onnx');

/** A Constant node holding a float tensor of `dims`. */
function constant(output: string, dims: number[]): onnx.NodeProto.$Properties {
  const n = dims.reduce((a, b) => a * b, 1);
  return {
    opType: 'Constant',
    output: [output],
    attribute: [{ name: 'value', type: 4, t: { dims, dataType: DT.float, rawData: new Uint8Array(n * 4) } }],
  };
}

/** An attribute holding a subgraph: field 6 (`g`) is outside the decoded subset, so it travels as raw bytes. */
function graphAttr(name: string, g: onnx.GraphProto.$Properties): onnx.AttributeProto.$Properties {
  const w = $protobuf.Writer.create();
  w.uint32((6 << 3) | 2).bytes(onnx.GraphProto.encode(g).finish());
  return { name, type: 5, $unknowns: [w.finish()] };
}

/** y[N, 2] = x[N, 3] · W(Constant 3×2) + b(initializer 2); an If whose branch holds a Constant of 4. */
function tinyModel(): Uint8Array {
  const g = new GraphBuilder();
  const x = g.reserve('x');
  const b = g.floats('b', [2], [0.5, -0.5]);
  const mm = g.op('MatMul', [x, 'W'], { out: 'mm' });
  g.op('Add', [mm, b], { as: 'y' });
  g.op('Constant', [], { attrs: [attr.ints('value_ints', [1, 2, 3])], as: 'shape' });
  const branch = { name: 'then', node: [constant('k', [2, 2])], output: [valueInfo('k', DT.float, [2, 2])] };
  const model: onnx.ModelProto.$Properties = {
    irVersion: 9,
    opsetImport: [
      { domain: '', version: 19 },
      { domain: 'ai.onnx.ml', version: 3 },
    ],
    producerName: 'workbench-test',
    producerVersion: '1',
    graph: {
      name: 'tiny',
      node: [
        constant('W', [3, 2]),
        ...g.nodes,
        { opType: 'If', input: ['cond'], output: ['k'], attribute: [graphAttr('then_branch', branch)] },
      ],
      initializer: g.initializers,
      input: [valueInfo('x', DT.float, ['N', 3]), valueInfo('b', DT.float, [2])],
      output: [valueInfo('y', DT.float, ['N', 2]), valueInfo('k', DT.float, [2, 2])],
    },
  };
  return onnx.ModelProto.encode(model).finish();
}

describe('deploy: ONNX model inspector', () => {
  it('reads the conformance Gemm model: opset 13, IR 7, inputs a/b/c, output y, one Gemm, no parameters', () => {
    const bytes = new Uint8Array(readFileSync(FIXTURE));
    const m = inspectOnnx(bytes);
    expect(m.sizeBytes).toBe(218);
    expect(m.irVersion).toBe(7);
    expect(m.opset).toBe(13);
    expect(m.opsets).toEqual([{ domain: '', version: 13 }]);
    expect(m.producer).toEqual({ name: 'backend-test', version: '' });
    expect(m.graphName).toBe('test_gemm_all_attributes');
    // transA = transB = 1: Aᵀ (3×4) · Bᵀ (4×5) + C (1×5) → 3×5.
    expect(m.inputs).toEqual([
      { name: 'a', elemType: 'float32', shape: [4, 3] },
      { name: 'b', elemType: 'float32', shape: [5, 4] },
      { name: 'c', elemType: 'float32', shape: [1, 5] },
    ]);
    expect(m.outputs).toEqual([{ name: 'y', elemType: 'float32', shape: [3, 5] }]);
    expect(m.ops).toEqual([{ op: 'Gemm', count: 1 }]);
    expect(m.nodeCount).toBe(1);
    expect(m.parameterCount).toBe(0);
    expect(m.initializerCount).toBe(0);
  });

  it('counts initializers, Constant tensors and value_ints, and nodes inside subgraphs; keeps symbolic dims', () => {
    const bytes = tinyModel();
    const m = inspectOnnx(bytes);
    expect(m.irVersion).toBe(9);
    expect(m.opset).toBe(19);
    expect(m.opsets).toEqual([
      { domain: '', version: 19 },
      { domain: 'ai.onnx.ml', version: 3 },
    ]);
    expect(m.producer).toEqual({ name: 'workbench-test', version: '1' });
    // `b` is an initializer listed as an input (IR < 4 style): not something the user feeds.
    expect(m.inputs).toEqual([{ name: 'x', elemType: 'float32', shape: ['N', 3] }]);
    expect(m.outputs).toEqual([
      { name: 'y', elemType: 'float32', shape: ['N', 2] },
      { name: 'k', elemType: 'float32', shape: [2, 2] },
    ]);
    // W 3×2 = 6, b 2, value_ints 3, the branch's Constant 2×2 = 4.
    expect(m.parameterCount).toBe(6 + 2 + 3 + 4);
    expect(m.initializerCount).toBe(1);
    expect(m.constantNodeCount).toBe(3);
    expect(m.ops).toEqual([
      { op: 'Constant', count: 3 },
      { op: 'Add', count: 1 },
      { op: 'If', count: 1 },
      { op: 'MatMul', count: 1 },
    ]);
    expect(m.nodeCount).toBe(6);
    expect(m.sizeBytes).toBe(bytes.byteLength);
  });

  it('rejects garbage bytes with MODEL_REJECTED', () => {
    const garbage = new TextEncoder().encode('this is not an ONNX model, just some text\n'.repeat(20));
    expect(() => inspectOnnx(garbage)).toThrow(expect.objectContaining({ code: 'MODEL_REJECTED' }));
    let seed = 42;
    const random = Uint8Array.from({ length: 4096 }, () => (seed = (seed * 1103515245 + 12345) >>> 0) >>> 24);
    expect(() => inspectOnnx(random)).toThrow(expect.objectContaining({ code: 'MODEL_REJECTED' }));
  });

  it('rejects every truncation of a model with MODEL_REJECTED, never another error', () => {
    for (const bytes of [new Uint8Array(readFileSync(FIXTURE)), tinyModel()]) {
      for (let n = 1; n < bytes.byteLength; n++) {
        let thrown: unknown = null;
        try {
          inspectOnnx(bytes.subarray(0, n));
        } catch (e) {
          thrown = e;
        }
        // A cut that happens to end between fields may still parse; anything thrown must be MODEL_REJECTED.
        if (thrown !== null) expect(thrown).toMatchObject({ name: 'WorkbenchError', code: 'MODEL_REJECTED' });
      }
      expect(() => inspectOnnx(bytes.subarray(0, bytes.byteLength - 3))).toThrow(
        expect.objectContaining({
          code: 'MODEL_REJECTED',
          message: expect.stringMatching(/truncated/) as unknown,
        }),
      );
    }
  });

  it('rejects an empty file, a model without a graph, and a file over the size cap', () => {
    expect(() => inspectOnnx(new Uint8Array(0))).toThrow(expect.objectContaining({ code: 'MODEL_REJECTED' }));
    const noGraph = onnx.ModelProto.encode({
      irVersion: 8,
      opsetImport: [{ domain: '', version: 17 }],
    }).finish();
    expect(() => inspectOnnx(noGraph)).toThrow(
      expect.objectContaining({
        code: 'MODEL_REJECTED',
        message: expect.stringMatching(/no model graph/) as unknown,
      }),
    );
    // The cap is checked before reading: a view over a large, empty buffer is enough.
    const huge = new Uint8Array(new ArrayBuffer(MAX_MODEL_BYTES + 1));
    expect(() => inspectOnnx(huge)).toThrow(
      expect.objectContaining({
        code: 'MODEL_REJECTED',
        message: expect.stringMatching(/512 MiB/) as unknown,
      }),
    );
  });
});
