import { WorkbenchError } from '../../../lib/errors';
import { wordsPerColumn } from '../../data/table';
import { uploadUniform } from '../../gpu/buffers';
import { bufferBudget } from '../../gpu/planner';
import type { Program } from '../program';
import { elementwiseOverrides, packProgram, type PackedProgram } from './pack';
import { programBuffer, type ProgramBuffer } from './programBuffer';
import { WG, type Resident, type TableBlock } from './resident';
import { dispatch, scratchBuffer, uploadPadded } from './util';

/** Rows [start, start + rows) of the table, at `offset` within resident block `table`. */
export interface ProgramBlock {
  readonly table: TableBlock;
  readonly offset: number;
  readonly start: number;
  readonly rows: number;
  readonly words: number;
}

/** Where a block's outputs lie in `out` (32-bit words): values at col·rows, validity at validityStart + col·words. */
export interface OutLayout {
  readonly rows: number;
  readonly words: number;
  readonly validityStart: number;
}

/** Bytes of the encode and output scratch buffers for a block of `rows` rows. */
export function scratchBytes(p: PackedProgram, rows: number): { enc: number; out: number } {
  const words = wordsPerColumn(rows);
  return {
    enc: 4 * p.encCols * (rows + words),
    out: 4 * ((p.outCols + p.codeOuts) * rows + p.outCols * words),
  };
}

/** Rows per program block: at most `tableRows`, else the most 32-row multiples whose scratch buffers fit. */
export function programBlockRows(p: PackedProgram, tableRows: number, cap: number): number {
  const whole = scratchBytes(p, tableRows);
  if (Math.max(whole.enc, whole.out) <= cap) return tableRows;
  const per32 = scratchBytes(p, 32);
  const fit = Math.floor(cap / Math.max(per32.enc, per32.out)) * 32;
  if (fit === 0) {
    throw new WorkbenchError(
      'GPU_LIMIT',
      `A 32-row block of this program (${p.outCols} outputs, ${p.codeOuts} code outputs, ${p.encCols} encoded ` +
        `columns) needs ${Math.max(per32.enc, per32.out)}-byte buffers, but buffers are capped at ${cap} bytes`,
    );
  }
  return Math.min(fit, tableRows);
}

/**
 * Runs a program's encode and fused element-wise passes over rows [0, limit) block by block into resident
 * scratch buffers (`out`), for run() to read back or a reduction to consume. Create inside an error scope.
 */
export class ProgramRunner {
  readonly packed: PackedProgram;
  readonly blocks: readonly ProgramBlock[];
  /** Output scratch: outCols × rows f32 | codeOuts × rows i32 | outCols × words validity. */
  readonly out: GPUBuffer;
  private readonly enc: GPUBuffer;
  private readonly program: ProgramBuffer;
  private readonly owned: GPUBuffer[] = [];
  /** Index of the block whose outputs `out` holds (after the encoded work runs), or −1. */
  private current = -1;

  /**
   * Compiles (or finds) the passes `program` needs, the element-wise one specialised to its operation codes, then
   * lays out its blocks and scratch buffers.
   */
  static async create(res: Resident, program: Program, limit: number): Promise<ProgramRunner> {
    const packed = packProgram(program, res.table.numeric.cols);
    const [encode, elementwise] = await Promise.all([
      packed.encCols > 0 ? res.pipeline('encode') : null,
      packed.outCols + packed.codeOuts > 0 ? res.pipeline('elementwise', elementwiseOverrides(packed)) : null,
    ]);
    return new ProgramRunner(res, packed, limit, encode, elementwise);
  }

  private constructor(
    private readonly res: Resident,
    packed: PackedProgram,
    limit: number,
    private readonly encodePipe: GPUComputePipeline | null,
    private readonly elementwisePipe: GPUComputePipeline | null,
  ) {
    const { device, budget } = res.session;
    this.packed = packed;
    const widest = Math.max(this.packed.outCols + this.packed.codeOuts, this.packed.encCols);
    if (widest > budget.maxComputeWorkgroupsPerDimension) {
      throw new WorkbenchError(
        'GPU_LIMIT',
        `${widest} columns in one pass exceed this device's dispatch limit`,
      );
    }
    const blockRows = res.blocks[0]?.rows ?? 0;
    const step = blockRows === 0 ? 1 : programBlockRows(this.packed, blockRows, bufferBudget(budget));
    const blocks: ProgramBlock[] = [];
    for (const table of res.blocks) {
      const end = Math.min(table.rows, limit - table.start);
      for (let offset = 0; offset < end; offset += step) {
        const rows = Math.min(step, end - offset);
        blocks.push({ table, offset, start: table.start + offset, rows, words: wordsPerColumn(rows) });
      }
    }
    this.blocks = blocks;
    const maxRows = Math.max(0, ...blocks.map((b) => b.rows));
    const bytes = scratchBytes(this.packed, maxRows);
    this.enc = this.own(scratchBuffer(device, 'Preprocess.encoded', bytes.enc));
    this.out = this.own(scratchBuffer(device, 'Preprocess.out', bytes.out));
    const params = blocks.map((b) => ({
      tableRows: b.table.rows,
      tableWords: b.table.words,
      rowOffset: b.offset,
      rows: b.rows,
      words: b.words,
    }));
    this.program = programBuffer(device, this.packed, params);
    this.own(this.program.buffer);
  }

  /** The layout of block `i`'s outputs in `out`. */
  layout(i: number): OutLayout {
    const b = this.blocks[i]!;
    return {
      rows: b.rows,
      words: b.words,
      validityStart: (this.packed.outCols + this.packed.codeOuts) * b.rows,
    };
  }

  /** A uniform buffer freed with the runner. */
  uniform(label: string, words: readonly number[]): GPUBuffer {
    return this.own(uploadUniform(this.res.session.device, label, new Uint32Array(words)));
  }

  /** A scratch storage buffer freed with the runner. */
  scratch(label: string, bytes: number): GPUBuffer {
    return this.own(scratchBuffer(this.res.session.device, label, bytes));
  }

  /** A storage buffer holding `data`, freed with the runner. */
  upload(label: string, data: ArrayBufferView): GPUBuffer {
    return this.own(uploadPadded(this.res.session.device, label, data));
  }

  /** Encodes block `i`'s encode pass (if any output reads one) and ONE element-wise dispatch, unless `out` has it. */
  encodeBlock(encoder: GPUCommandEncoder, i: number): void {
    if (this.current === i) return;
    this.current = i;
    const { device } = this.res.session;
    const b = this.blocks[i]!;
    const p = this.packed;
    const { columns, ops, encColumns, maps } = this.program;
    const params = this.program.params(i);
    const groups = Math.ceil(b.words / WG.words);
    if (this.encodePipe !== null) {
      const entries = [b.table.codes, encColumns, maps, this.enc, params];
      dispatch(device, encoder, 'PreprocessEncode', this.encodePipe, entries, groups, p.encCols);
    }
    const outputs = p.outCols + p.codeOuts;
    if (this.elementwisePipe === null) return;
    const entries = [
      b.table.values,
      b.table.validity,
      b.table.codes,
      this.enc,
      columns,
      ops,
      this.out,
      params,
    ];
    dispatch(device, encoder, 'PreprocessElementwise', this.elementwisePipe, entries, groups, outputs);
  }

  destroy(): void {
    for (const b of this.owned.splice(0)) b.destroy();
  }

  private own(b: GPUBuffer): GPUBuffer {
    this.owned.push(b);
    return b;
  }
}
