import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ColumnChunk, DatasetMeta } from '../../src/engine/data/dataset';
import { ingest } from '../../src/engine/data/ingest/ingest';
import { bytesSource, MemorySink } from '../support/memorySink';
import { failure } from '../support/failure';

const fixture = (name: string): string =>
  readFileSync(join(import.meta.dirname, '../fixtures/data', name), 'utf8');

async function load(name: string, text: string | Uint8Array, piece?: number, chunkRows?: number) {
  const sink = new MemorySink();
  const meta = await ingest(bytesSource(name, text, piece), sink, {
    id: 'ds',
    ...(chunkRows ? { chunkRows } : {}),
    now: () => 0,
  });
  return { meta, sink };
}

/** A column's values as plain JS: null where missing; categories by name. */
async function column(
  meta: DatasetMeta,
  sink: MemorySink,
  name: string,
): Promise<(number | string | null)[]> {
  const c = meta.columns.findIndex((x) => x.name === name);
  const out: (number | string | null)[] = [];
  for (let i = 0; i < meta.chunkCount; i++) {
    const ch: ColumnChunk = await sink.read(meta.id)(c, i);
    for (let r = 0; r < ch.rows; r++) {
      const valid = ((ch.validity[r >>> 5]! >>> (r & 31)) & 1) === 1;
      const v = ch.data[r]!;
      out.push(
        !valid
          ? null
          : meta.columns[c]!.type === 'categorical'
            ? meta.columns[c]!.dictionary![v as number]!
            : v,
      );
    }
  }
  return out;
}

describe('data: import', () => {
  it('penguins.csv: 3 categorical columns, integer and number columns, NA as missing', async () => {
    const { meta } = await load('penguins.csv', fixture('penguins.csv'));
    expect(meta.rows).toBe(344);
    expect(meta.status).toBe('ready');
    const byName = Object.fromEntries(meta.columns.map((c) => [c.name, c]));
    expect(meta.columns.filter((c) => c.type === 'categorical').map((c) => c.name)).toEqual([
      'species',
      'island',
      'sex',
    ]);
    expect(byName.species!.dictionary).toEqual(['Adelie', 'Chinstrap', 'Gentoo']);
    expect(byName.bill_length_mm).toMatchObject({ type: 'number', missing: 2 });
    expect(byName.flipper_length_mm).toMatchObject({ type: 'integer', missing: 2 });
    expect(byName.sex).toMatchObject({ missing: 11 });
    expect(byName.year).toMatchObject({ type: 'integer', missing: 0 });
    expect(meta.contentHash).toMatch(/^[0-9a-f]{64}$/);
  });

  it("iris.csv: scikit-learn's metadata line names the target's classes", async () => {
    const { meta, sink } = await load('iris.csv', fixture('iris.csv'));
    expect(meta.rows).toBe(150);
    expect(meta.columns.map((c) => c.name)).toEqual([
      'feature_1',
      'feature_2',
      'feature_3',
      'feature_4',
      'target',
    ]);
    expect(meta.target).toBe('target');
    expect(meta.columns[4]).toMatchObject({
      type: 'categorical',
      dictionary: ['setosa', 'versicolor', 'virginica'],
    });
    const target = await column(meta, sink, 'target');
    expect([target[0], target[50], target[149]]).toEqual(['setosa', 'versicolor', 'virginica']);
    expect((await column(meta, sink, 'feature_1'))[0]).toBe(5.1);
  });

  it('wine_data.csv: a metadata line wider than the class list', async () => {
    const { meta } = await load('wine_data.csv', fixture('wine_data.csv'));
    expect(meta.rows).toBe(178);
    expect(meta.columns).toHaveLength(14);
    expect(meta.columns[13]!.dictionary).toEqual(['class_0', 'class_1', 'class_2']);
  });

  it('a line of counts followed by the column names', async () => {
    const { meta } = await load('counts.csv', '3 2\nx,label\n1,a\n2,b\n3,a\n');
    expect(meta.columns.map((c) => c.name)).toEqual(['x', 'label']);
    expect(meta.rows).toBe(3);
  });

  it('no header: numeric first row means generated names', async () => {
    const { meta } = await load('nohead.csv', '1,2\n3,4\n');
    expect(meta.columns.map((c) => c.name)).toEqual(['column_1', 'column_2']);
    expect(meta.rows).toBe(2);
  });

  it('semicolons with decimal commas, a BOM and CRLF', async () => {
    const { meta, sink } = await load('eu.csv', '\uFEFFname;price\r\nA;1,5\r\nB;2\r\nC;NA\r\n');
    expect(meta.columns.map((c) => [c.name, c.type])).toEqual([
      ['name', 'text'],
      ['price', 'number'],
    ]);
    expect(await column(meta, sink, 'price')).toEqual([1.5, 2, null]);
  });

  it('quoted fields with commas, quotes and newlines, across any chunking', async () => {
    const text = 'id,note\n1,"a, b"\n2,"line1\nline2"\n3,"say ""hi"""\n4,plain\n';
    for (const piece of [1, 2, 3, 7, 64]) {
      const { meta, sink } = await load('q.csv', text, piece);
      expect(await column(meta, sink, 'note')).toEqual(['a, b', 'line1\nline2', 'say "hi"', 'plain']);
    }
  });

  it('every missing marker is missing', async () => {
    const cells = ['1', '', 'NA', 'NaN', '?', 'null', '.', '2'];
    const { meta, sink } = await load('m.csv', `k,x\n${cells.map((c, i) => `${i},${c}`).join('\n')}\n`);
    expect(await column(meta, sink, 'x')).toEqual([1, null, null, null, null, null, null, 2]);
  });

  it('numeric-looking text stays text: ZIP codes with leading zeros, titles like 1776', async () => {
    const { meta, sink } = await load(
      't.csv',
      'zip,title\n02134,Dune\n10001,1776\n00501,Emma\n94105,Ulysses\n60601,Beloved\n',
    );
    expect(meta.columns.map((c) => c.type)).toEqual(['text', 'text']);
    expect(await column(meta, sink, 'zip')).toEqual(['02134', '10001', '00501', '94105', '60601']);
    expect((await column(meta, sink, 'title'))[1]).toBe('1776');
  });

  it('types come from all rows, not a prefix: a late decimal widens integer to number', async () => {
    const rows = Array.from({ length: 5000 }, (_, i) => String(i));
    rows.push('0.5');
    const { meta, sink } = await load('late.csv', `v\n${rows.join('\n')}\n`, 512, 1000);
    expect(meta.columns[0]!.type).toBe('number');
    expect((await column(meta, sink, 'v')).at(-1)).toBe(0.5);
    expect(meta.chunkCount).toBe(6);
  });

  it('dates: ISO, and day-first when a day exceeds 12', async () => {
    const { meta, sink } = await load(
      'd.csv',
      'iso,eu\n2024-01-31,31/01/2024\n2024-02-29T12:00:00Z,01/02/2024\n',
    );
    expect(meta.columns.map((c) => [c.type, c.dateFormat])).toEqual([
      ['date', 'YYYY-MM-DD'],
      ['date', 'DD/MM/YYYY'],
    ]);
    expect(await column(meta, sink, 'eu')).toEqual([Date.UTC(2024, 0, 31), Date.UTC(2024, 1, 1)]);
    expect((await column(meta, sink, 'iso'))[1]).toBe(Date.UTC(2024, 1, 29, 12));
  });

  it('keeps full precision: IDs, money and large integers', async () => {
    const { meta, sink } = await load(
      'p.csv',
      'id,amount\n9007199254740991,0.1\n12345678901234567890,1234567.89\n',
    );
    expect(meta.columns[0]!.type).toBe('text'); // beyond 2^53: kept as written
    expect(await column(meta, sink, 'amount')).toEqual([0.1, 1234567.89]);
  });

  it('JSON and JSON Lines import to the same columns as their CSV twin', async () => {
    const csv = await load('t.csv', 'a,b,c\n1,x,2.5\n2,y,\n3,x,4\n');
    const json = await load(
      't.json',
      JSON.stringify([
        { a: 1, b: 'x', c: 2.5 },
        { a: 2, b: 'y', c: null },
        { a: 3, b: 'x', c: 4 },
      ]),
    );
    const jsonl = await load(
      't.jsonl',
      '{"a":1,"b":"x","c":2.5}\n{"a":2,"b":"y"}\n{"a":3,"b":"x","c":4}\n',
      5,
    );
    for (const other of [json, jsonl]) {
      expect(other.meta.columns).toEqual(csv.meta.columns);
      expect(other.meta.contentHash).toBe(csv.meta.contentHash);
    }
  });

  it('JSON fields mixing numbers and strings become text', async () => {
    const { meta } = await load(
      'mix.json',
      JSON.stringify(Array.from({ length: 50 }, (_, i) => ({ v: i % 2 ? i : `s${i}` }))),
    );
    expect(meta.columns[0]!.type).toBe('text');
  });
});

describe('data: bad input ends in a clear error and stores nothing', () => {
  it.each([
    ['empty.csv', '', /empty\.csv is empty/],
    ['header.csv', 'a,b\n', /header but no data rows/],
    ['ragged.csv', 'a,b\n1,2\n3\n4,5\n', /ragged\.csv: row 3 has 1 fields, expected 2/],
    ['bad.json', '[{"a":1},', /bad\.json is not valid JSON/],
    ['bad.jsonl', '{"a":1}\nnope\n', /bad\.jsonl: line 2 is not valid JSON/],
  ])('%s', async (name, text, message) => {
    const sink = new MemorySink();
    const e = await failure(ingest(bytesSource(name, text), sink, { id: 'x' }));
    expect(e.code).toBe('PARSE_ERROR');
    expect(e.message).toMatch(message);
    expect(sink.metas.size + sink.chunks.size).toBe(0);
  });

  it('binary garbage', async () => {
    const bytes = new Uint8Array(4096).map((_, i) => (i * 7919) % 256);
    const e = await failure(ingest(bytesSource('garbage.csv', bytes), new MemorySink(), { id: 'x' }));
    expect(e.message).toMatch(/garbage\.csv is not a text file/);
  });

  it('non-UTF-8 text names the file and where', async () => {
    const latin1 = new Uint8Array([...new TextEncoder().encode('name\ncaf'), 0xe9, 0x0a]);
    const e = await failure(ingest(bytesSource('latin1.csv', latin1), new MemorySink(), { id: 'x' }));
    expect(e.message).toMatch(/latin1\.csv is not valid UTF-8 text/);
  });

  it('a cancelled import stores nothing', async () => {
    const sink = new MemorySink();
    const ac = new AbortController();
    const text = `v\n${Array.from({ length: 20000 }, (_, i) => i).join('\n')}\n`;
    const p = ingest(bytesSource('big.csv', text, 1024), sink, {
      id: 'c',
      chunkRows: 1000,
      signal: ac.signal,
      onProgress: (pr) => pr.phase === 'storing' && pr.rows > 3000 && ac.abort(),
    });
    const e = await failure(p);
    expect(e.code).toBe('CANCELLED');
    expect(sink.metas.size + sink.chunks.size).toBe(0);
  });
});

describe('data: numbers are stored only when float64 holds them as written', () => {
  it.each([
    ['100000000000000000', 'number'],
    ['9007199254740993', 'text'],
    ['0.1', 'number'],
    ['18.70', 'number'],
    ['-5e-324', 'number'],
    ['3.14159265358979323846', 'text'],
    ['42', 'integer'],
  ])('%s is %s', async (cell, type) => {
    const { meta } = await load('n.csv', `k,v\n1,${cell}\n2,1\n3,2\n`);
    expect(meta.columns[1]!.type).toBe(type);
  });
});
