import type { ComputeApi, DatasetSummary, WorkerEvent } from '../../bridge/contracts';
import { WorkbenchError } from '../../lib/errors';
import { parseCsv } from '../data/csv';
import { computeColumnStats, missingDataset } from '../data/statsService';
import { assertTableShape, type NumericTable } from '../data/table';
import { GpuContext } from '../gpu/context';
import { probeGpu } from '../gpu/probe';

/** Largest CSV the sample path reads into memory; the data stage streams bigger files. */
const MAX_CSV_BYTES = 256 * 2 ** 20;

/** Builds the compute worker's API over a WebGPU entry point (navigator.gpu, or Node's in tests). */
export function createComputeApi(gpu: GPU | undefined): ComputeApi & { emit(e: WorkerEvent): void } {
  let listener: (e: WorkerEvent) => void = () => undefined;
  const emit = (e: WorkerEvent): void => listener(e);
  const context = new GpuContext(gpu, { onEvent: emit });
  const datasets = new Map<string, { table: NumericTable; summary: DatasetSummary }>();
  let nextId = 1;

  function keep(name: string, table: NumericTable, extra: Partial<DatasetSummary> = {}): DatasetSummary {
    const id = `ds${nextId++}`;
    const summary: DatasetSummary = {
      id,
      name,
      rows: table.rows,
      numericColumns: [...table.names],
      textColumns: extra.textColumns ?? [],
      header: extra.header ?? [...table.names],
      preview: extra.preview ?? [],
    };
    datasets.set(id, { table, summary });
    return summary;
  }

  return {
    emit,
    probe: () => probeGpu(gpu),
    subscribe(l) {
      listener = l;
    },
    async loadCsvUrl(name, url) {
      if (new URL(url).origin !== self.location.origin) {
        throw new WorkbenchError('INVALID_INPUT', 'Only same-origin sample URLs are loaded here');
      }
      const res = await fetch(url);
      if (!res.ok) throw new WorkbenchError('PARSE_ERROR', `Could not fetch ${url}: HTTP ${res.status}`);
      const size = Number(res.headers.get('content-length') ?? 0);
      if (size > MAX_CSV_BYTES) throw new WorkbenchError('INVALID_INPUT', `${name} is larger than 256 MiB`);
      const parsed = parseCsv(await res.text());
      return keep(name, parsed.table, parsed);
    },
    async putTable(name, table) {
      assertTableShape(table);
      return Promise.resolve(keep(name, table));
    },
    async columnStats(id, backend) {
      const ds = datasets.get(id);
      if (ds === undefined) throw missingDataset(id);
      return computeColumnStats(context, ds.table, backend);
    },
    async injectBadDispatch() {
      const session = await context.session();
      const { device } = session;
      const encoder = device.createCommandEncoder({ label: 'Canary.encoder' });
      const pass = encoder.beginComputePass({ label: 'Canary.pass' });
      pass.dispatchWorkgroups(1); // no pipeline set: a validation error, deliberately outside any scope
      pass.end();
      device.queue.submit([encoder.finish()]);
      await device.queue.onSubmittedWorkDone();
    },
  };
}
