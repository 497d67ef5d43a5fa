import { readStaging, stageReadback } from '../../gpu/buffers';
import { withErrorScopes } from '../../gpu/scopes';
import { wordsPerColumn } from '../../data/table';
import type { Program, ProgramOutput } from '../program';
import type { Resident } from './resident';
import { ProgramRunner, scratchBytes } from './runner';

/**
 * Runs a whole program over every row: per row block, the encode pass (when an output reads it) and ONE fused
 * element-wise dispatch (code passes included) into one output buffer, then ONE readback of that buffer.
 */
export async function gpuRun(res: Resident, program: Program): Promise<ProgramOutput> {
  const rows = res.table.rows;
  const outCols = program.elementwise.length;
  const codeOuts = program.codes.length;
  const wpc = wordsPerColumn(rows);
  const values = new Float32Array(outCols * rows);
  const validity = new Uint32Array(outCols * wpc);
  const codes = new Int32Array(codeOuts * rows);
  if (rows === 0 || outCols + codeOuts === 0) return { rows, values, validity, codes };
  const { device } = res.session;
  await withErrorScopes(device, 'PreprocessRun', async () => {
    const runner = await ProgramRunner.create(res, program, rows);
    try {
      for (let i = 0; i < runner.blocks.length; i++) {
        const b = runner.blocks[i]!;
        const encoder = device.createCommandEncoder({ label: 'PreprocessRun.encoder' });
        runner.encodeBlock(encoder, i);
        const staging = stageReadback(device, encoder, runner.out, scratchBytes(runner.packed, b.rows).out);
        device.queue.submit([encoder.finish()]);
        const raw = await readStaging(staging);
        const f32 = new Float32Array(raw);
        const u32 = new Uint32Array(raw);
        const i32 = new Int32Array(raw);
        for (let j = 0; j < outCols; j++) {
          values.set(f32.subarray(j * b.rows, (j + 1) * b.rows), j * rows + b.start);
          const v = runner.layout(i).validityStart + j * b.words;
          validity.set(u32.subarray(v, v + b.words), j * wpc + b.start / 32);
        }
        for (let k = 0; k < codeOuts; k++) {
          const o = (outCols + k) * b.rows;
          codes.set(i32.subarray(o, o + b.rows), k * rows + b.start);
        }
      }
    } finally {
      runner.destroy();
    }
  });
  return { rows, values, validity, codes };
}
