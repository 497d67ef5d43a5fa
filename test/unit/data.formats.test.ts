import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  Binary,
  DateDay,
  Decimal,
  Dictionary,
  Field,
  Float32,
  Int32,
  List,
  makeData,
  RecordBatch,
  Schema,
  Struct,
  Table,
  tableToIPC,
  TimeMicrosecond,
  TimestampNanosecond,
  Utf8,
  vectorFromArray,
} from 'apache-arrow';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { describe, expect, it } from 'vitest';
import type { ColumnChunk, DatasetMeta } from '../../src/engine/data/dataset';
import { lz4FrameDecode } from '../../src/engine/data/ingest/arrowRecords';
import { ingest, type IngestSource } from '../../src/engine/data/ingest/ingest';
import { formatOf } from '../../src/engine/data/ingest/scan';
import { WorkbenchError } from '../../src/lib/errors';
import { bytesSource, MemorySink } from '../support/memorySink';

const dir = join(import.meta.dirname, '../fixtures/data');
const fixture = (name: string): Uint8Array => new Uint8Array(readFileSync(join(dir, name)));

async function load(
  name: string,
  data: Uint8Array | string,
  opts: { piece?: number; chunkRows?: number; signal?: AbortSignal; sink?: MemorySink } = {},
) {
  const sink = opts.sink ?? new MemorySink();
  const meta = await ingest(bytesSource(name, data, opts.piece), sink, {
    id: 'ds',
    now: () => 0,
    ...(opts.chunkRows ? { chunkRows: opts.chunkRows } : {}),
    ...(opts.signal ? { signal: opts.signal } : {}),
  });
  return { meta, sink };
}

/** A column's values as plain JS: null where missing; categories by name. */
async function column(meta: DatasetMeta, sink: MemorySink, name: string): Promise<unknown[]> {
  const c = meta.columns.findIndex((x) => x.name === name);
  const out: unknown[] = [];
  for (let i = 0; i < meta.chunkCount; i++) {
    const ch: ColumnChunk = await sink.read(meta.id)(c, i);
    for (let r = 0; r < ch.rows; r++) {
      const valid = ((ch.validity[r >>> 5]! >>> (r & 31)) & 1) === 1;
      const v = ch.data[r]!;
      const dict = meta.columns[c]!.dictionary;
      out.push(!valid ? null : dict !== undefined ? dict[v as number] : v);
    }
  }
  return out;
}

async function failure(p: Promise<unknown>): Promise<WorkbenchError> {
  const e = await p.then(
    () => null,
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(WorkbenchError);
  return e as WorkbenchError;
}

const ARROW = [
  'twin.arrow',
  'twin.arrows',
  'twin-lz4.arrow',
  'twin-lz4.arrows',
  'twin-zstd.arrow',
  'twin-zstd.arrows',
];
const PARQUET = [
  'twin-uncompressed.parquet',
  'twin-snappy.parquet',
  'twin-gzip.parquet',
  'twin-zstd.parquet',
  'twin-brotli.parquet',
  'twin-lz4raw.parquet',
  'twin-rs-snappy.parquet',
  'twin-rs-gzip.parquet',
  'twin-rs-brotli.parquet',
  'twin-rs-zstd.parquet',
  'twin-rs-lz4.parquet',
  'twin-rs-lz4raw.parquet',
  'twin-rs-delta-v2.parquet',
];
const twin = (name: string): Uint8Array => fixture(`formats/${name}`);

describe('data: Arrow IPC and Parquet import', () => {
  it('twin.csv: integer, int64, number with a missing value, categorical, boolean and date columns', async () => {
    const { meta } = await load('twin.csv', twin('twin.csv'));
    expect(meta.rows).toBe(20);
    expect(meta.columns.map((c) => [c.name, c.type, c.missing])).toEqual([
      ['id', 'integer', 0],
      ['visits', 'integer', 0],
      ['score', 'number', 1],
      ['species', 'categorical', 0],
      ['active', 'categorical', 0],
      ['when', 'date', 0],
    ]);
    expect(meta.columns[3]!.dictionary).toEqual(['Adelie', 'Chinstrap', 'Gentoo']);
  });

  it.each([...ARROW, ...PARQUET])(
    '%s imports to the same columns and content hash as twin.csv',
    async (name) => {
      const csv = await load('twin.csv', twin('twin.csv'));
      const { meta, sink } = await load(name, twin(name), { piece: 777 });
      expect(meta.columns).toEqual(csv.meta.columns);
      expect(meta.rows).toBe(20);
      expect(meta.contentHash).toBe(csv.meta.contentHash);
      expect(meta.source.format).toBe(name.endsWith('.parquet') ? 'parquet' : 'arrow');
      expect(meta.name).toBe(name.replace(/\.(arrows?|parquet)$/, ''));
      expect(await column(meta, sink, 'visits')).toEqual(await column(csv.meta, csv.sink, 'visits'));
    },
  );

  it('penguins.parquet (Rust parquet writer, dictionary pages, 4 row groups) imports exactly like penguins.csv', async () => {
    const csv = await load('penguins.csv', fixture('penguins.csv'));
    const { meta } = await load('penguins.parquet', fixture('formats/penguins.parquet'));
    expect(meta.rows).toBe(344);
    expect(meta.columns).toEqual(csv.meta.columns);
    expect(meta.contentHash).toBe(csv.meta.contentHash);
  });

  it.each([
    ['twin.arrow', 'arrow'],
    ['twin.arrows', 'arrow'],
    ['twin-zstd.parquet', 'parquet'],
  ])('%s is recognised by its magic bytes when the name has no extension', async (name, format) => {
    const named = await load(name, twin(name));
    const { meta } = await load('download', twin(name), { piece: 3 });
    expect(meta.source.format).toBe(format);
    expect(meta.contentHash).toBe(named.meta.contentHash);
  });

  it('format sniffing: names first, then PAR1 / ARROW1 / stream marker, then the first character', () => {
    const bytes = (s: string | number[]): Uint8Array =>
      typeof s === 'string' ? new TextEncoder().encode(s) : Uint8Array.from(s);
    expect(formatOf('a.feather', bytes('x'))).toBe('arrow');
    expect(formatOf('a.IPC', bytes('x'))).toBe('arrow');
    expect(formatOf('a.pq', bytes('x'))).toBe('parquet');
    expect(formatOf('a.csv', bytes('PAR1'))).toBe('csv');
    expect(formatOf('blob', bytes('PAR1\u0015'))).toBe('parquet');
    expect(formatOf('blob', bytes('ARROW1\0\0'))).toBe('arrow');
    expect(formatOf('blob', bytes([0xff, 0xff, 0xff, 0xff, 8, 0, 0, 0]))).toBe('arrow');
    expect(formatOf('blob', bytes('\uFEFF [{"a":1}]'))).toBe('json');
    expect(formatOf('blob', bytes('{"a":1}'))).toBe('jsonl');
    expect(formatOf('blob', bytes('a,b\n1,2'))).toBe('csv');
  });
});

describe('data: damaged Arrow and Parquet files end in PARSE_ERROR naming the file', () => {
  const junk = (n: number, seed: number): Uint8Array => {
    let s = seed;
    return Uint8Array.from({ length: n }, () => (s = (s * 1103515245 + 12345) >>> 0) >>> 24);
  };
  const ascii = (s: string): number[] => [...s].map((c) => c.charCodeAt(0));

  it.each([
    ['junk.arrow', junk(2000, 1), /is not a valid Arrow file: it starts with neither/],
    ['junk.arrows', Uint8Array.from([0xff, 0xff, 0xff, 0xff, ...junk(500, 2)]), /is not a valid Arrow file/],
    [
      'junk.feather',
      Uint8Array.from([...ascii('ARROW1\0\0'), ...junk(300, 3), ...ascii('ARROW1')]),
      /not a valid Arrow/,
    ],
    [
      'old.feather',
      Uint8Array.from([...ascii('FEA1'), ...junk(300, 4)]),
      /Feather version 1 file, which is not supported/,
    ],
    ['junk.parquet', junk(3000, 5), /is not a valid Parquet file: it does not start with the Parquet magic/],
    [
      'junk.pq',
      Uint8Array.from([...ascii('PAR1'), ...junk(300, 6), 40, 0, 0, 0, ...ascii('PAR1')]),
      /not a valid Parquet/,
    ],
    [
      'secret.parquet',
      Uint8Array.from([...ascii('PAR1'), ...junk(300, 7), ...ascii('PARE')]),
      /encrypted Parquet/,
    ],
  ])('%s', async (name, data, message) => {
    const sink = new MemorySink();
    const e = await failure(load(name, data, { sink }));
    expect(e.code).toBe('PARSE_ERROR');
    expect(e.message.startsWith(name)).toBe(true);
    expect(e.message).toMatch(message);
    expect(sink.metas.size + sink.chunks.size).toBe(0);
  });

  it.each([...ARROW, ...PARQUET, 'penguins.parquet'])('%s cut short anywhere fails cleanly', async (name) => {
    const data = name === 'penguins.parquet' ? fixture('formats/penguins.parquet') : twin(name);
    for (const cut of [6, 9, Math.floor(data.length / 3), Math.floor(data.length / 2), data.length - 12]) {
      const e = await failure(load(name, data.slice(0, cut)));
      expect(e.code, `cut at ${cut}`).toBe('PARSE_ERROR');
      expect(e.message).toMatch(new RegExp(`^${name.replace(/\./g, '\\.')} (is not a valid|holds no)`));
    }
  });

  // Each of these made apache-arrow 21.2 itself spin: for seconds over a damaged flatbuffer vector length,
  // forever on a file footer block that points at a message that is not a record batch.
  it.each([
    ['twin.arrow', 1414, 171, /its metadata is damaged/],
    ['twin-lz4.arrow', 287, 255, /Expected RecordBatch Message/],
    ['twin.arrows', 1633, 255, /a batch of 8 rows has short columns/],
  ] as const)('%s with byte %i set to %i fails at once', async (name, at, value, message) => {
    const data = twin(name);
    data[at] = value;
    const e = await failure(load(name, data));
    expect(e.code).toBe('PARSE_ERROR');
    expect(e.message).toMatch(message);
  });

  // Bytes flipped anywhere in an Arrow file, and anywhere in a Parquet footer (page data is left alone:
  // hyparquet 1.33 can spin on a damaged RLE run inside a page, see the README of the fixtures).
  it.each([...ARROW, 'twin-snappy.parquet', 'twin-rs-zstd.parquet'])(
    '%s with damaged bytes imports or fails with PARSE_ERROR, never anything else',
    async (name) => {
      const data = twin(name);
      const parquet = name.endsWith('.parquet');
      const from = parquet ? data.length - 8 - new DataView(data.buffer).getUint32(data.length - 8, true) : 0;
      let seed = 42;
      const rnd = (n: number): number =>
        Math.floor(((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32) * n);
      const outcomes = new Set<string>();
      for (let k = 0; k < 150; k++) {
        const b = data.slice();
        for (let i = 1 + rnd(4); i > 0; i--) b[from + rnd(b.length - from)] = k % 2 === 0 ? rnd(256) : 255;
        const outcome = await load(name, b).then(
          () => 'ok',
          (e: unknown) => (e instanceof WorkbenchError && e.message.startsWith(name) ? e.code : String(e)),
        );
        outcomes.add(outcome);
      }
      expect([...outcomes].filter((o) => o !== 'ok' && o !== 'PARSE_ERROR')).toEqual([]);
      expect(outcomes.has('PARSE_ERROR')).toBe(true);
    },
  );

  it('a file over 1 GiB is refused before it is read', async () => {
    const src: IngestSource = {
      name: 'huge.parquet',
      kind: 'file',
      bytes: 2 ** 30 + 1,
      open: () => bytesSource('huge.parquet', twin('twin-snappy.parquet')).open(),
    };
    const e = await failure(ingest(src, new MemorySink(), { id: 'ds' }));
    expect(e.code).toBe('INVALID_INPUT');
    expect(e.message).toMatch(/^huge\.parquet is larger than 1 GiB/);
  });
});

describe('data: Arrow and Parquet imports can be cancelled', () => {
  it.each(['twin.arrows', 'twin-gzip.parquet'])('%s: cancel while scanning stores nothing', async (name) => {
    const ac = new AbortController();
    const sink = new MemorySink();
    const p = ingest(bytesSource(name, twin(name)), sink, {
      id: 'c',
      signal: ac.signal,
      onProgress: (pr) => pr.phase === 'scanning' && ac.abort(),
    });
    const e = await failure(p);
    expect(e.code).toBe('CANCELLED');
    expect(sink.metas.size + sink.chunks.size).toBe(0);
  });

  it.each(['arrow', 'parquet'] as const)('%s: cancel while storing removes what was stored', async (kind) => {
    const { bytes } = bigTable(30_000, kind);
    const ac = new AbortController();
    const sink = new MemorySink();
    let stored = 0;
    const p = ingest(bytesSource(`big.${kind}`, bytes), sink, {
      id: 'c',
      chunkRows: 4096,
      signal: ac.signal,
      onProgress: (pr) => {
        if (pr.phase === 'storing' && pr.rows > 0) {
          stored = sink.chunks.size;
          ac.abort();
        }
      },
    });
    const e = await failure(p);
    expect(e.code).toBe('CANCELLED');
    expect(stored).toBeGreaterThan(0);
    expect(sink.metas.size + sink.chunks.size).toBe(0);
  });
});

/** A table of n rows as Arrow IPC (one record batch) or Parquet (row groups of 12,000), and as CSV. */
function bigTable(n: number, kind: 'arrow' | 'parquet'): { bytes: Uint8Array; csv: string } {
  const id = Int32Array.from({ length: n }, (_, i) => i * 3 - 7);
  const x = Array.from({ length: n }, (_, i) => (i % 97 === 0 ? null : (i % 1000) / 8));
  const g = Array.from({ length: n }, (_, i) => ['a', 'b', 'c', 'd'][i % 4]!);
  const csv = `id,x,g\n${Array.from({ length: n }, (_, i) => `${id[i]},${x[i] ?? ''},${g[i]}`).join('\n')}\n`;
  const bytes =
    kind === 'arrow'
      ? tableToIPC(
          new Table({
            id: vectorFromArray(id),
            x: vectorFromArray(x, new Float32()),
            g: vectorFromArray(g, new Dictionary(new Utf8(), new Int32())),
          }),
          'stream',
        )
      : new Uint8Array(
          parquetWriteBuffer({
            columnData: [
              { name: 'id', data: id, type: 'INT32' },
              { name: 'x', data: x, type: 'FLOAT' },
              { name: 'g', data: g, type: 'STRING' },
            ],
            rowGroupSize: 12_000,
          }),
        );
  return { bytes, csv };
}

describe('data: Arrow and Parquet values', () => {
  it.each(['arrow', 'parquet'] as const)(
    '%s: 25,000 rows read in batches of at most 10,000 import like their CSV (float32 as shortest decimals)',
    async (kind) => {
      const { bytes, csv } = bigTable(25_000, kind);
      const fromCsv = await load('big.csv', csv, { chunkRows: 4096 });
      const { meta } = await load(`big.${kind}`, bytes, { chunkRows: 4096 });
      expect(meta.rows).toBe(25_000);
      expect(meta.columns).toEqual(fromCsv.meta.columns);
      expect(meta.columns.map((c) => c.type)).toEqual(['integer', 'number', 'categorical']);
      expect(meta.contentHash).toBe(fromCsv.meta.contentHash);
    },
  );

  const big = [2n ** 53n + 1n, -(2n ** 63n), 5n];
  it('Arrow int64 beyond 2^53 stays exact, as text', async () => {
    const bytes = tableToIPC(new Table({ n: vectorFromArray(BigInt64Array.from(big)) }), 'file');
    const { meta, sink } = await load('big.arrow', bytes);
    expect(meta.columns[0]).toMatchObject({ name: 'n', type: 'text' });
    expect(await column(meta, sink, 'n')).toEqual(['9007199254740993', '-9223372036854775808', '5']);
  });

  it('Parquet INT64 beyond 2^53 stays exact, as text', async () => {
    const bytes = parquetWriteBuffer({
      columnData: [{ name: 'n', data: BigInt64Array.from(big), type: 'INT64' }],
    });
    const { meta, sink } = await load('big.parquet', new Uint8Array(bytes));
    expect(meta.columns[0]).toMatchObject({ name: 'n', type: 'text' });
    expect(await column(meta, sink, 'n')).toEqual(['9007199254740993', '-9223372036854775808', '5']);
  });

  it('Arrow: decimals exact, times as text, binary as hex, lists and structs as JSON, dates and ns timestamps as dates', async () => {
    const n = 3;
    const decimal = new Decimal(2, 10, 128);
    // 128-bit little-endian two's complement: 12345, -5, 100 at scale 2.
    const words = Uint32Array.from([
      12345,
      0,
      0,
      0,
      2 ** 32 - 5,
      2 ** 32 - 1,
      2 ** 32 - 1,
      2 ** 32 - 1,
      100,
      0,
      0,
      0,
    ]);
    const point = new Struct([new Field('x', new Int32()), new Field('at', new DateDay())]);
    const table = new Table({
      price: vectorFromArray(makeData({ type: decimal, length: n, data: words })),
      t: vectorFromArray([30_600_000_000n, 1n, null], new TimeMicrosecond()),
      raw: vectorFromArray([Uint8Array.of(0, 255), Uint8Array.of(), null], new Binary()),
      tags: vectorFromArray([[1, 2], [], null], new List(new Field('item', new Int32()))),
      p: vectorFromArray([{ x: 1, at: new Date(Date.UTC(2020, 0, 2)) }, null, { x: 3, at: null }], point),
      day: vectorFromArray([Date.UTC(2021, 5, 7), null, 0], new DateDay()),
      ns: vectorFromArray([Date.UTC(2022, 1, 3, 4, 5, 6, 789), null, 1], new TimestampNanosecond()),
    });
    const { meta, sink } = await load('types.arrow', tableToIPC(table, 'file'));
    expect(meta.columns.map((c) => [c.name, c.type])).toEqual([
      ['price', 'number'],
      ['t', 'text'],
      ['raw', 'text'],
      ['tags', 'text'],
      ['p', 'text'],
      ['day', 'date'],
      ['ns', 'date'],
    ]);
    expect(await column(meta, sink, 'price')).toEqual([123.45, -0.05, 1]);
    expect(await column(meta, sink, 't')).toEqual(['08:30:00.000000', '00:00:00.000001', null]);
    expect(await column(meta, sink, 'raw')).toEqual(['0x00ff', '0x', null]);
    expect(await column(meta, sink, 'tags')).toEqual(['[1,2]', '[]', null]);
    expect(await column(meta, sink, 'p')).toEqual([
      '{"x":1,"at":"2020-01-02T00:00:00.000Z"}',
      null,
      '{"x":3,"at":null}',
    ]);
    expect(await column(meta, sink, 'day')).toEqual([Date.UTC(2021, 5, 7), null, 0]);
    expect(await column(meta, sink, 'ns')).toEqual([Date.UTC(2022, 1, 3, 4, 5, 6, 789), null, 1]);
  });

  it('Arrow field names are made unique like CSV headers ("x", "x", "" → x, x_2, column_3)', async () => {
    const fields = [new Field('x', new Int32()), new Field('x', new Int32()), new Field('', new Int32())];
    const child = (v: number[]) => makeData({ type: new Int32(), length: 2, data: Int32Array.from(v) });
    const data = makeData({
      type: new Struct(fields),
      length: 2,
      children: [child([1, 2]), child([3, 4]), child([5, 6])],
    });
    const bytes = tableToIPC(new Table(new RecordBatch(new Schema(fields), data)), 'stream');
    const { meta, sink } = await load('dup.arrows', bytes);
    expect(meta.columns.map((c) => c.name)).toEqual(['x', 'x_2', 'column_3']);
    expect(await column(meta, sink, 'x_2')).toEqual([3, 4]);
  });
});

describe('data: LZ4 frames inside Arrow IPC', () => {
  const frame = (flags: number, ...body: number[]): Uint8Array =>
    Uint8Array.from([0x04, 0x22, 0x4d, 0x18, flags, 0x40, 0x00, ...body]);
  const u32 = (n: number): number[] => [n & 255, (n >>> 8) & 255, (n >>> 16) & 255, n >>> 24];

  it('decodes an uncompressed block, then a linked block that reaches back into it', () => {
    // FLG: version 01, block checksums, content size, content checksum (checksums are skipped).
    const flags = 0x40 | 0x10 | 0x08 | 0x04;
    const contentSize = [14, 0, 0, 0, 0, 0, 0, 0];
    const raw = [...u32(0x80000005), ...[104, 101, 108, 108, 111], ...u32(0)]; // "hello" + checksum
    // Literal "X", a 5-byte match 6 back (into the first block), then the literals "abc".
    const lz = [0x11, 88, 6, 0, 0x30, 97, 98, 99];
    const linked = [...u32(lz.length), ...lz, ...u32(0)];
    const bytes = Uint8Array.from([
      ...[0x04, 0x22, 0x4d, 0x18, flags, 0x40, ...contentSize, 0x00],
      ...[...raw, ...linked, ...u32(0), ...u32(0)],
    ]);
    expect(new TextDecoder().decode(lz4FrameDecode(bytes))).toBe('helloXhelloabc');
  });

  it.each([
    ['a bad magic number', Uint8Array.from([1, 2, 3, 4, 0x40, 0x40, 0, 0, 0, 0, 0])],
    ['a back-reference before the start', frame(0x40, ...u32(3), 0x00, 9, 0, ...u32(0))],
    ['a block longer than the input', frame(0x40, ...u32(100), 0x10, 97)],
    ['a missing end mark', frame(0x40, ...u32(2), 0x10, 97)],
  ])('throws on %s', (_, bytes) => {
    expect(() => lz4FrameDecode(bytes)).toThrow(/^LZ4 frame: /);
  });
});
