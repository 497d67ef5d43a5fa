import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { exportCsv, exportJsonl, neutralizeFormula } from '../../src/engine/data/export';
import { ingest } from '../../src/engine/data/ingest/ingest';
import { bytesSource, MemorySink } from '../support/memorySink';

const word = fc.constantFrom('red', 'green', 'blue', 'Adelie', 'x y', 'a,b', 'say "hi"');
const text = fc
  .tuple(
    fc.constantFrom(...'abcXYZ'),
    fc.string({ unit: fc.constantFrom(...'abc ,"\n\r1é😀'), maxLength: 12 }),
  )
  .map(([h, t]) => h + t);
const kinds = {
  number: fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e300, max: 1e300 }),
  integer: fc.integer({ min: -(2 ** 40), max: 2 ** 40 }),
  category: word,
  text,
};

/** A random table: 2–5 columns of one kind each, 1–60 rows, ~15% missing cells. */
const tableArb = fc
  .array(fc.constantFrom(...(Object.keys(kinds) as (keyof typeof kinds)[])), { minLength: 2, maxLength: 5 })
  .chain((cols) =>
    fc
      .array(
        fc.tuple(...cols.map((k) => fc.option(kinds[k] as fc.Arbitrary<string | number>, { freq: 6 }))),
        { minLength: 1, maxLength: 60 },
      )
      .map((rows) => ({ cols, rows })),
  );

function toCsv({ cols, rows }: { cols: string[]; rows: (string | number | null)[][] }): string {
  const q = (v: string): string => (/[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  const lines = [
    cols.map((_, i) => `c${i}`).join(','),
    ...rows.map((r) => r.map((v) => (v === null ? '' : q(String(v)))).join(',')),
  ];
  return lines.join('\n') + '\n';
}

async function importText(name: string, text: string, piece: number) {
  const sink = new MemorySink();
  const meta = await ingest(bytesSource(name, text, piece), sink, { id: 'p', chunkRows: 7, now: () => 0 });
  return { meta, sink };
}

async function collect(parts: AsyncIterable<string>): Promise<string> {
  let s = '';
  for await (const p of parts) s += p;
  return s;
}

describe('data: import properties', () => {
  it('any chunking of the input gives the same table', async () => {
    await fc.assert(
      fc.asyncProperty(tableArb, fc.integer({ min: 1, max: 40 }), async (table, piece) => {
        const csv = toCsv(table);
        const whole = await importText('t.csv', csv, 1 << 20);
        const pieces = await importText('t.csv', csv, piece);
        expect(pieces.meta.columns).toEqual(whole.meta.columns);
        expect(pieces.meta.contentHash).toBe(whole.meta.contentHash);
      }),
      { numRuns: 60 },
    );
  });

  it('export → import is the identity (CSV and JSON Lines)', async () => {
    await fc.assert(
      fc.asyncProperty(tableArb, async (table) => {
        const first = await importText('t.csv', toCsv(table), 13);
        const read = first.sink.read('p');
        const csv = await importText('again.csv', await collect(exportCsv(first.meta, read)), 11);
        expect(csv.meta.columns).toEqual(first.meta.columns);
        expect(csv.meta.contentHash).toBe(first.meta.contentHash);
        const jsonl = await importText('again.jsonl', await collect(exportJsonl(first.meta, read)), 17);
        expect(jsonl.meta.contentHash).toBe(first.meta.contentHash);
      }),
      { numRuns: 60 },
    );
  });

  it('CSV export neutralises formula-like text cells, never numbers', () => {
    expect(['=1+1', '+x', '-x', '@SUM(A1)', '\tx', 'ok'].map(neutralizeFormula)).toEqual([
      "'=1+1",
      "'+x",
      "'-x",
      "'@SUM(A1)",
      "'\tx",
      'ok',
    ]);
  });

  it('exported CSV of a formula cell stays inert', async () => {
    const first = await importText('f.csv', 'k,v\n1,=HYPERLINK("http://evil")\n2,-3\n', 100);
    const out = await collect(exportCsv(first.meta, first.sink.read('p')));
    expect(out).toBe('k,v\r\n1,"\'=HYPERLINK(""http://evil"")"\r\n2,\'-3\r\n');
  });
});
