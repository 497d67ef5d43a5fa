import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import { InferLogRepo } from '../../src/db/inferLog.repo';
import { openWorkbenchDb } from '../../src/db/open';
import { GpuContext } from '../../src/engine/gpu/context';
import { createMonitorService } from '../../src/engine/monitor/service';
import { distributionOf } from '../../src/engine/train/reference';
import type { RunRecord } from '../../src/engine/train/run';
import { mulberry32 } from '../../src/lib/random';

function sample(n: number, seed: number, shift: number): Float32Array {
  const rand = mulberry32(seed);
  return Float32Array.from({ length: n }, () => rand() + rand() + rand() + shift);
}

/** A service over a database holding a run whose training dataset is gone, and a log for model m. */
async function setup() {
  const db = await openWorkbenchDb({ factory: new IDBFactory() });
  const train = [sample(600, 1, 0), sample(600, 2, 0)];
  const run = {
    id: 'run-1',
    name: 'r1',
    datasetId: 'gone',
    datasetName: 'old data',
    features: ['a', 'b'],
    rows: { train: 600, validation: 0, test: 0 },
    status: 'completed',
    createdAt: 1,
    reference: [distributionOf('a', train[0]!, 0, 1), distributionOf('b', train[1]!, 0, 1)],
  } as unknown as RunRecord;
  await db.put('runs', run);
  const cur = [sample(500, 3, 0), sample(500, 4, 1)]; // b moved by one unit (≈ 2σ)
  const rows = new Float32Array(1000);
  for (let r = 0; r < 500; r++) rows.set([cur[0]![r]!, cur[1]![r]!], r * 2);
  await new InferLogRepo(db).append('m', 'model', 'run-1', ['a', 'b'], rows, 500);
  return { db, service: createMonitorService(new GpuContext(undefined), Promise.resolve(db)) };
}

describe('monitor: drift service', () => {
  it('compares a model log with a run whose data is gone: binned KS, said so, b flagged, on the CPU', async () => {
    const { db, service } = await setup();
    const report = await service.driftReport({
      runId: 'run-1',
      source: { kind: 'log', modelId: 'm' },
      backend: 'auto',
    });
    expect(report.backend).toBe('cpu');
    expect(report.fallbackReason).toMatch(/below 100000/);
    expect(report.ksMethod).toBe('binned');
    expect(report.warnings.join(' ')).toMatch(/old data” is no longer stored/);
    expect(report.features.map((f) => f.verdict)).toEqual(['ok', 'drift']);
    expect(report.rows).toEqual({ reference: 600, compared: 500 });
    expect(await service.listInferLogs()).toMatchObject([{ modelId: 'm', kept: 500, runId: 'run-1' }]);
    expect(await service.listReferenceRuns()).toMatchObject([{ id: 'run-1', unusable: null }]);
    db.close();
  });

  it('fails clearly: WebGPU asked without an adapter, a missing run, a test split without its data', async () => {
    const { db, service } = await setup();
    const log = { kind: 'log', modelId: 'm' } as const;
    await expect(
      service.driftReport({ runId: 'run-1', source: log, backend: 'webgpu' }),
    ).rejects.toMatchObject({
      code: 'GPU_UNAVAILABLE',
    });
    await expect(service.driftReport({ runId: 'nope', source: log, backend: 'cpu' })).rejects.toThrow(
      /No training run nope/,
    );
    await expect(
      service.driftReport({ runId: 'run-1', source: { kind: 'test-split' }, backend: 'cpu' }),
    ).rejects.toThrow(/needs its training dataset/);
    await expect(
      service.driftReport({ runId: 'run-1', source: { kind: 'dataset', datasetId: 'x' }, backend: 'cpu' }),
    ).rejects.toThrow(/Dataset x is not stored/);
    db.close();
  });
});
