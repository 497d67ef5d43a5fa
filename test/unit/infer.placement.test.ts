import { describe, expect, it } from 'vitest';
import { ortRecord, parsePlacement, tapOrtLog } from '../../src/engine/infer/placement';

// Console lines captured from onnxruntime-web 1.30.0's WebGPU build (ort-wasm-simd-threaded.asyncify) in
// Chromium 156 on SwiftShader, session created with logSeverityLevel 0 (see placement.ts).

/** test_gemm_all_attributes on WebGPU: one node, all on the WebGPU EP. */
const GEMM = [
  '2026-11-29 10:46:33.549905 [I:onnxruntime:, graph_transformer.cc:15 Apply] GraphTransformer MemcpyTransformer modified: 0 with status: OK',
  '2026-11-29 10:46:33.552979 [V:onnxruntime:, session_state.cc:1377 VerifyEachNodeIsAssignedToAnEp] Node placements',
  '2026-11-29 10:46:33.554249 [V:onnxruntime:, session_state.cc:1380 VerifyEachNodeIsAssignedToAnEp]  All nodes placed on [WebGpuExecutionProvider]. Number of nodes: 1',
  '2026-11-29 10:46:33.583215 [V:onnxruntime:, session_state.cc:186 CreateGraphInfo] SaveMLValueNameIndexMapping',
];

/**
 * Relu → Shape → Reshape → Sigmoid → Mod(fmod) with the Sigmoid forced onto the CPU (the WebGPU EP's
 * forceCpuNodeNames) and Mod, which the WebGPU EP lacks: two groups, and a copy node onnxruntime inserted.
 */
const MIXED = [
  '2026-11-29 10:47:35.744123 [I:onnxruntime:, transformer_memcpy.cc:393 AddCopyNode] Add MemcpyToHost before y0 for WebGpuExecutionProvider',
  '2026-11-29 10:47:35.745313 [I:onnxruntime:, graph_transformer.cc:15 Apply] GraphTransformer MemcpyTransformer modified: 1 with status: OK',
  '2026-11-29 10:47:35.748708 [V:onnxruntime:, session_state.cc:1377 VerifyEachNodeIsAssignedToAnEp] Node placements',
  '2026-11-29 10:47:35.749243 [V:onnxruntime:, session_state.cc:1383 VerifyEachNodeIsAssignedToAnEp]  Node(s) placed on [CPUExecutionProvider]. Number of nodes: 2',
  '2026-11-29 10:47:35.750428 [V:onnxruntime:, session_state.cc:1385 VerifyEachNodeIsAssignedToAnEp]   Sigmoid (sig0)',
  '2026-11-29 10:47:35.751528 [V:onnxruntime:, session_state.cc:1385 VerifyEachNodeIsAssignedToAnEp]   Mod (mod0)',
  '2026-11-29 10:47:35.752378 [V:onnxruntime:, session_state.cc:1383 VerifyEachNodeIsAssignedToAnEp]  Node(s) placed on [WebGpuExecutionProvider]. Number of nodes: 4',
  '2026-11-29 10:47:35.753874 [V:onnxruntime:, session_state.cc:1385 VerifyEachNodeIsAssignedToAnEp]   Relu (relu0)',
  '2026-11-29 10:47:35.754383 [V:onnxruntime:, session_state.cc:1385 VerifyEachNodeIsAssignedToAnEp]   Shape (shape0)',
  '2026-11-29 10:47:35.755643 [V:onnxruntime:, session_state.cc:1385 VerifyEachNodeIsAssignedToAnEp]   Reshape (reshape0)',
  '2026-11-29 10:47:35.756093 [V:onnxruntime:, session_state.cc:1385 VerifyEachNodeIsAssignedToAnEp]   MemcpyToHost (Memcpy)',
  '\u001b[0;93m2026-11-29 10:47:35.757283 [W:onnxruntime:, session_state.cc:1397 VerifyEachNodeIsAssignedToAnEp] Some nodes were not assigned to the preferred execution providers which may or may not have an negative impact on performance. e.g. ORT explicitly assigns shape related ops to CPU to improve perf.\u001b[m',
  '2026-11-29 10:47:35.789428 [V:onnxruntime:, session_state.cc:186 CreateGraphInfo] SaveMLValueNameIndexMapping',
];

/** test_logsoftmax_axis_1 on WebGPU: the WebGPU EP has no LogSoftmax kernel, so the one node runs on the CPU. */
const LOGSOFTMAX = [
  '2026-11-29 10:56:06.435344 [I:onnxruntime:, webgpu_execution_provider.cc:665 GetCapability] webgpu kernel not found in registries for Op type: LogSoftmax node name: ',
  '2026-11-29 10:56:06.626729 [V:onnxruntime:, session_state.cc:1377 VerifyEachNodeIsAssignedToAnEp] Node placements',
  '2026-11-29 10:56:06.627634 [V:onnxruntime:, session_state.cc:1380 VerifyEachNodeIsAssignedToAnEp]  All nodes placed on [CPUExecutionProvider]. Number of nodes: 1',
];

describe('parsePlacement (onnxruntime-web session log)', () => {
  it('all nodes on WebGPU', () => {
    expect(parsePlacement(GEMM)).toEqual({ onWebgpu: 1, total: 1, cpuNodes: [] });
  });

  it('nodes split between the CPU and WebGPU EPs; inserted copies are not counted', () => {
    expect(parsePlacement(MIXED)).toEqual({ onWebgpu: 3, total: 5, cpuNodes: ['Sigmoid', 'Mod'] });
  });

  it('sums the blocks of several graphs (a subgraph logs its own block)', () => {
    expect(parsePlacement([...MIXED, ...GEMM])).toEqual({
      onWebgpu: 4,
      total: 6,
      cpuNodes: ['Sigmoid', 'Mod'],
    });
  });

  it('everything on the CPU: the op types come from the WebGPU EP saying it has no kernel', () => {
    expect(parsePlacement(LOGSOFTMAX)).toEqual({ onWebgpu: 0, total: 1, cpuNodes: ['LogSoftmax'] });
    expect(parsePlacement(LOGSOFTMAX.slice(1))).toEqual({ onWebgpu: 0, total: 1, cpuNodes: [] });
  });

  it('"no kernel" lines do not add to nodes the log listed', () => {
    expect(parsePlacement([LOGSOFTMAX[0]!, ...MIXED])).toEqual({
      onWebgpu: 3,
      total: 5,
      cpuNodes: ['Sigmoid', 'Mod'],
    });
  });

  it('node lines outside a placement block are ignored', () => {
    // A group line without its "Node placements" header, and the header with nothing after it.
    expect(parsePlacement(MIXED.slice(3))).toBeNull();
    expect(parsePlacement(MIXED.slice(0, 3))).toBeNull();
  });

  it('null for a log without placements (a session that did not log verbosely)', () => {
    expect(parsePlacement([])).toBeNull();
    expect(parsePlacement(['hello', GEMM[0]!])).toBeNull();
  });

  it('reads the severity and message of a record, colour codes stripped', () => {
    expect(ortRecord(MIXED[11]!)).toMatchObject({ severity: 'W' });
    expect(ortRecord(MIXED[11]!)?.message).toMatch(/^Some nodes were not assigned.*improve perf\.$/);
    expect(ortRecord('plain text')).toBeNull();
  });
});

describe('tapOrtLog', () => {
  function fakeConsole() {
    const seen: string[] = [];
    const push = (...a: unknown[]): void => void seen.push(a.map(String).join(' '));
    return { seen, target: { log: push, info: push, warn: push, error: push, debug: push } };
  }

  it('collects onnxruntime records during a capture and keeps verbose/info ones off the console', async () => {
    const { seen, target } = fakeConsole();
    const tap = tapOrtLog(target);
    const { value, lines } = await tap.capture(() => {
      for (const l of MIXED) target.error(l);
      target.error('an app error');
      return Promise.resolve(42);
    });
    expect(value).toBe(42);
    expect(lines).toEqual(MIXED);
    expect(parsePlacement(lines)).toEqual({ onWebgpu: 3, total: 5, cpuNodes: ['Sigmoid', 'Mod'] });
    // Only the non-onnxruntime line reached the console; the placement warning is reported instead.
    expect(seen).toEqual(['an app error']);
  });

  it('outside a capture: verbose/info records stay quiet, warnings and errors pass, nothing is collected', async () => {
    const { seen, target } = fakeConsole();
    const tap = tapOrtLog(target);
    target.error(GEMM[1]!);
    const warn = '2026-11-29 10:00:00.000000 [W:onnxruntime:, x.cc:1 F] something odd';
    const err = '2026-11-29 10:00:00.000000 [E:onnxruntime:, x.cc:1 F] something broke';
    target.error(warn);
    target.log(err);
    target.log('plain', 3);
    expect(seen).toEqual([warn, err, 'plain 3']);
    const { lines } = await tap.capture(() => Promise.resolve(undefined));
    expect(lines).toEqual([]);
  });

  it('a failing capture still ends the capture', async () => {
    const { target } = fakeConsole();
    const tap = tapOrtLog(target);
    await expect(tap.capture(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    const { lines } = await tap.capture(() => {
      target.error(GEMM[1]!);
      return Promise.resolve(0);
    });
    expect(lines).toEqual([GEMM[1]]);
  });
});
