import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bufferBudget, planChunks, type MemoryBudget } from '../../src/engine/gpu/planner';
import { WorkbenchError } from '../../src/lib/errors';

const MiB = 2 ** 20;
/** Limit tables seen in the field: WebGPU defaults (256/128 MiB) and a 1 GiB adapter. */
const TABLES: MemoryBudget[] = [
  {
    maxBufferSize: 256 * MiB,
    maxStorageBufferBindingSize: 128 * MiB,
    maxComputeWorkgroupsPerDimension: 65535,
    engineCap: Infinity,
  },
  {
    maxBufferSize: 256 * MiB,
    maxStorageBufferBindingSize: 256 * MiB,
    maxComputeWorkgroupsPerDimension: 65535,
    engineCap: Infinity,
  },
  {
    maxBufferSize: 1024 * MiB,
    maxStorageBufferBindingSize: 1024 * MiB,
    maxComputeWorkgroupsPerDimension: 65535,
    engineCap: Infinity,
  },
];

const budgetArb = fc.record({
  table: fc.constantFrom(...TABLES),
  engineCap: fc.oneof(fc.constant(Infinity), fc.integer({ min: 128, max: 64 * MiB })),
});

describe('gpu: memory planner', () => {
  it('covers every cell exactly once, within the budget, on row boundaries that keep masks sliceable', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.integer({ min: 0, max: 5000 }), fc.integer({ min: 0, max: 500_000_000 })),
        fc.integer({ min: 0, max: 300 }),
        budgetArb,
        (rows, cols, { table, engineCap }) => {
          const budget = { ...table, engineCap };
          fc.pre((rows * cols * 4) / bufferBudget(budget) < 5_000); // keep the chunk list small enough to check
          const chunks = planChunks(rows, cols, 4, budget);
          const cap = bufferBudget(budget);
          let covered = 0;
          const perColumnRows = new Map<number, number>();
          for (const c of chunks) {
            const bad =
              c.colCount * c.rowCount * 4 > cap ||
              c.colCount > budget.maxComputeWorkgroupsPerDimension ||
              c.rowStart % 32 !== 0 ||
              (c.rowCount !== rows && c.colCount !== 1);
            if (bad) throw new Error(`chunk ${JSON.stringify(c)} breaks the budget ${cap}`);
            for (let k = 0; k < c.colCount; k++) {
              const col = c.colStart + k;
              // chunks of one column arrive in row order without gaps
              if (c.rowStart !== (perColumnRows.get(col) ?? 0))
                throw new Error(`gap before ${JSON.stringify(c)}`);
              perColumnRows.set(col, c.rowStart + c.rowCount);
            }
            covered += c.colCount * c.rowCount;
          }
          expect(covered).toBe(rows * cols);
          if (rows > 0) for (let col = 0; col < cols; col++) expect(perColumnRows.get(col)).toBe(rows);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('uses one chunk when everything fits', () => {
    expect(planChunks(1000, 7, 4, TABLES[0]!)).toEqual([
      { colStart: 0, colCount: 7, rowStart: 0, rowCount: 1000 },
    ]);
  });

  it('splits a 10^8-row column under the 128 MiB binding limit', () => {
    const chunks = planChunks(100_000_000, 1, 4, TABLES[0]!);
    expect(chunks.length).toBe(3);
    expect(chunks[0]!.rowCount * 4).toBeLessThanOrEqual(128 * MiB);
  });

  it('refuses a budget too small for one aligned row block with GPU_LIMIT', () => {
    const tiny = { ...TABLES[0]!, engineCap: 64 };
    expect(() => planChunks(1000, 1, 4, tiny)).toThrow(WorkbenchError);
    try {
      planChunks(1000, 1, 4, tiny);
    } catch (e) {
      expect((e as WorkbenchError).code).toBe('GPU_LIMIT');
    }
  });

  it('rejects a negative or fractional shape with INVALID_INPUT', () => {
    expect(() => planChunks(-1, 2, 4, TABLES[0]!)).toThrow(/not valid/);
    expect(() => planChunks(1.5, 2, 4, TABLES[0]!)).toThrow(/not valid/);
  });
});
