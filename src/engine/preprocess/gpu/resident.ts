import { WorkbenchError } from '../../../lib/errors';
import { wordsPerColumn } from '../../data/table';
import type { GpuSession } from '../../gpu/context';
import { bufferBudget } from '../../gpu/planner';
import { withErrorScopes } from '../../gpu/scopes';
import { KERNELS } from '../../kernels/registry';
import type { WorkTable } from '../program';
import { uploadPadded } from './util';

/** Workgroup sizes (override WG) of the preprocess kernels. */
export const WG = { words: 64, moments: 128, radix: 256, counts: 256 } as const;

/** The preprocess pipelines and their workgroup sizes; each compiles on first use (the session's cache keeps it). */
const PIPELINES = {
  encode: [KERNELS.preprocessEncode, WG.words],
  elementwise: [KERNELS.preprocessElementwise, WG.words],
  moments: [KERNELS.preprocessMoments, WG.moments],
  radix: [KERNELS.preprocessRadixSelect, WG.radix],
  counts: [KERNELS.preprocessCodeCounts, WG.counts],
} as const;

export type PipelineKind = keyof typeof PIPELINES;

/** Rows [start, start + rows) of the table, resident on the GPU (column-major within the block). */
export interface TableBlock {
  readonly start: number;
  readonly rows: number;
  readonly words: number;
  readonly values: GPUBuffer;
  readonly validity: GPUBuffer;
  readonly codes: GPUBuffer;
}

/** A WorkTable uploaded once, in row blocks that each fit the buffer budget. */
export interface Resident {
  readonly session: GpuSession;
  readonly table: WorkTable;
  readonly blocks: readonly TableBlock[];
  /**
   * The pipeline of `kind` (with extra override constants), compiled on first use: a call pays only for the
   * kernels it runs.
   */
  pipeline(kind: PipelineKind, overrides?: Readonly<Record<string, number>>): Promise<GPUComputePipeline>;
  destroy(): void;
}

/**
 * Rows per resident block: the whole table when its widest buffer fits the budget, else the largest multiple
 * of 32 rows that does (so validity masks split on words). Throws GPU_LIMIT when not even 32 rows fit.
 */
export function tableBlockRows(rows: number, numericCols: number, codeCols: number, cap: number): number {
  const rowBytes = 4 * Math.max(numericCols, codeCols, 1);
  if (rows * rowBytes <= cap) return rows;
  const fit = Math.floor(cap / rowBytes / 32) * 32;
  if (fit === 0) {
    throw new WorkbenchError(
      'GPU_LIMIT',
      `A 32-row block of this table needs ${32 * rowBytes}-byte buffers, but buffers are capped at ${cap} bytes here`,
    );
  }
  return fit;
}

/** Uploads `table` in row blocks; pipelines compile later, when a call first needs them. */
export async function createResident(session: GpuSession, table: WorkTable): Promise<Resident> {
  const { device, pipelines, budget } = session;
  const n = table.numeric.cols;
  const k = table.codes.cardinality.length;
  const blockRows = tableBlockRows(table.rows, n, k, bufferBudget(budget));
  const blocks: TableBlock[] = [];
  await withErrorScopes(device, 'Preprocess.upload', () => {
    for (let start = 0; start < table.rows; start += blockRows) {
      blocks.push(uploadBlock(device, table, start, Math.min(blockRows, table.rows - start)));
    }
  }).catch((e: unknown) => {
    destroyBlocks(blocks);
    throw e;
  });
  return {
    session,
    table,
    blocks,
    pipeline: (kind, overrides = {}) => {
      const [kernel, wg] = PIPELINES[kind];
      return pipelines.get(kernel, { ...overrides, WG: wg });
    },
    destroy: () => destroyBlocks(blocks.splice(0)),
  };
}

function destroyBlocks(blocks: readonly TableBlock[]): void {
  for (const b of blocks) for (const buf of [b.values, b.validity, b.codes]) buf.destroy();
}

/** Column-major slice of rows [start, start + rows) from cols columns of `rowsAll` rows each. */
function sliceColumns<T extends Float32Array | Int32Array | Uint32Array>(
  src: T,
  cols: number,
  stride: number,
  start: number,
  length: number,
  make: (n: number) => T,
): T {
  if (start === 0 && length === stride) return src;
  const out = make(cols * length);
  for (let c = 0; c < cols; c++)
    out.set(src.subarray(c * stride + start, c * stride + start + length), c * length);
  return out;
}

function uploadBlock(device: GPUDevice, t: WorkTable, start: number, rows: number): TableBlock {
  const n = t.numeric.cols;
  const k = t.codes.cardinality.length;
  const words = wordsPerColumn(rows);
  const values = sliceColumns(t.numeric.values, n, t.rows, start, rows, (m) => new Float32Array(m));
  const validity = sliceColumns(
    t.numeric.validity,
    n,
    wordsPerColumn(t.rows),
    start / 32,
    words,
    (m) => new Uint32Array(m),
  );
  const codes = sliceColumns(t.codes.codes, k, t.rows, start, rows, (m) => new Int32Array(m));
  return {
    start,
    rows,
    words,
    values: uploadPadded(device, 'Preprocess.values', values),
    validity: uploadPadded(device, 'Preprocess.validity', validity),
    codes: uploadPadded(device, 'Preprocess.codes', codes),
  };
}
