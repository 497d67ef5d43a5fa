// Writes test/fixtures/data/formats/: one small table as CSV (the twin) and as Arrow IPC and Parquet files
// in several variants, plus penguins.csv as Parquet. A commit-time tool (`node scripts/make-format-fixtures.mjs`);
// tests read the committed files and never run this. See test/fixtures/data/formats/README.md.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { Buffer } from 'node:buffer';
import { join } from 'node:path';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import { compress as zstdCompress, init as zstdInit } from '@bokuweb/zstd-wasm';
import {
  Bool,
  CompressionType,
  Dictionary,
  Float64,
  Int32,
  Int64,
  RecordBatchFileWriter,
  RecordBatchStreamWriter,
  Table,
  TimestampMicrosecond,
  TimestampMillisecond,
  Utf8,
  compressionRegistry,
  tableFromIPC,
  tableToIPC,
  vectorFromArray,
} from 'apache-arrow';
import { parquetReadObjects } from 'hyparquet';
import { compressors as readCompressors } from 'hyparquet-compressors';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { decompress as zstdDecompress } from 'fzstd';
import lz4 from 'lz4js';
import * as pw from 'parquet-wasm';

const root = new URL('..', import.meta.url).pathname;
const out = join(root, 'test/fixtures/data/formats');
mkdirSync(out, { recursive: true });
const write = (name, data) => {
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  writeFileSync(join(out, name), bytes);
  console.log(`${name.padEnd(26)} ${bytes.byteLength} bytes`);
};

await zstdInit();
const zstd = (b) => zstdCompress(b, 19);
// lz4js writes a standard LZ4 frame (magic 04 22 4D 18, linked 4 MiB blocks, no checksums).
const lz4Frame = (b) => lz4.compress(b);
/** A raw LZ4 block (no frame), as Parquet's LZ4_RAW wants. */
const lz4Block = (b) => {
  const dst = new Uint8Array(lz4.compressBound(b.length));
  const n = lz4.compressBlock(b, dst, 0, b.length, new Uint32Array(1 << 16));
  // compressBlock returns 0 when the data does not compress: a block of literals only is still valid LZ4.
  return n > 0 ? dst.slice(0, n) : literalsBlock(b);
};
const literalsBlock = (b) => {
  const head = [Math.min(b.length, 15) << 4];
  if (b.length >= 15) {
    let rest = b.length - 15;
    for (; rest >= 255; rest -= 255) head.push(255);
    head.push(rest);
  }
  return Uint8Array.from([...head, ...b]);
};

// ---- The twin table: 20 rows, one missing score.
const N = 20;
const base = Date.UTC(2024, 0, 15, 8, 30);
const rows = Array.from({ length: N }, (_, i) => ({
  id: i + 1,
  visits: BigInt(1000 + i * 37) * (i === 7 ? 5_000_000n : 1n), // int64; one value above 2^32
  score: i === 4 ? null : Number(((i + 1) * 1.37 - 6).toFixed(2)),
  species: ['Adelie', 'Chinstrap', 'Gentoo'][(i * 7) % 3],
  active: i % 4 !== 0,
  when: new Date(base + i * 36 * 3_600_000 + i * 60_000),
}));
const columns = ['id', 'visits', 'score', 'species', 'active', 'when'];
const csvCell = (v) => (v === null ? '' : v instanceof Date ? v.toISOString() : String(v));
write(
  'twin.csv',
  `${columns.join(',')}\n${rows.map((r) => columns.map((c) => csvCell(r[c])).join(',')).join('\n')}\n`,
);

// ---- Arrow IPC: species dictionary-encoded, timestamps in ms (UTC), two record batches (12 + 8 rows).
const col = (name) => rows.map((r) => r[name]);
const whole = new Table({
  id: vectorFromArray(col('id'), new Int32()),
  visits: vectorFromArray(col('visits'), new Int64()),
  score: vectorFromArray(col('score'), new Float64()),
  species: vectorFromArray(col('species'), new Dictionary(new Utf8(), new Int32())),
  active: vectorFromArray(col('active'), new Bool()),
  when: vectorFromArray(col('when'), new TimestampMillisecond('UTC')),
});
const table = new Table([...whole.slice(0, 12).batches, ...whole.slice(12).batches]);
compressionRegistry.set(CompressionType.LZ4_FRAME, { encode: lz4Frame, decode: (b) => lz4.decompress(b) });
compressionRegistry.set(CompressionType.ZSTD, { encode: zstd, decode: (b) => zstdDecompress(b).slice() });
const ipc = (Writer, compressionType) => {
  const bytes = Writer.writeAll(table, { compressionType }).toUint8Array(true);
  checkArrow(bytes, `arrow ${compressionType}`);
  return bytes;
};
write('twin.arrow', ipc(RecordBatchFileWriter, null));
write('twin.arrows', ipc(RecordBatchStreamWriter, null));
write('twin-lz4.arrow', ipc(RecordBatchFileWriter, CompressionType.LZ4_FRAME));
write('twin-lz4.arrows', ipc(RecordBatchStreamWriter, CompressionType.LZ4_FRAME));
write('twin-zstd.arrow', ipc(RecordBatchFileWriter, CompressionType.ZSTD));
write('twin-zstd.arrows', ipc(RecordBatchStreamWriter, CompressionType.ZSTD));

// ---- Parquet with hyparquet-writer (data page v2; dictionary pages where they pay, as for species).
const hyCompressors = {
  GZIP: (b) => new Uint8Array(gzipSync(b)),
  ZSTD: zstd,
  BROTLI: (b) => new Uint8Array(brotliCompressSync(b)),
  LZ4_RAW: lz4Block,
};
const hyColumns = [
  { name: 'id', data: col('id'), type: 'INT32' },
  { name: 'visits', data: col('visits'), type: 'INT64' },
  { name: 'score', data: col('score'), type: 'DOUBLE' },
  { name: 'species', data: col('species'), type: 'STRING' },
  { name: 'active', data: col('active'), type: 'BOOLEAN' },
  { name: 'when', data: col('when'), type: 'TIMESTAMP' },
];
for (const codec of ['UNCOMPRESSED', 'SNAPPY', 'GZIP', 'ZSTD', 'BROTLI', 'LZ4_RAW']) {
  const bytes = new Uint8Array(
    parquetWriteBuffer({ columnData: hyColumns, codec, compressors: hyCompressors, rowGroupSize: 12 }),
  );
  await check(bytes, codec);
  write(`twin-${codec.toLowerCase().replace('_', '')}.parquet`, bytes);
}

// ---- Parquet with parquet-wasm (the Rust `parquet` crate, as used by arrow-rs, Polars and DataFusion): data
// page v1, dictionary-encoded strings, the Arrow schema in the key-value metadata; every codec it writes,
// including the legacy Hadoop-framed LZ4.
const wasmTable = (t) => pw.Table.fromIPCStream(tableToIPC(t, 'stream'));
const Codec = pw.Compression;
for (const [name, codec] of [
  ['snappy', Codec.SNAPPY],
  ['gzip', Codec.GZIP],
  ['brotli', Codec.BROTLI],
  ['zstd', Codec.ZSTD],
  ['lz4', Codec.LZ4],
  ['lz4raw', Codec.LZ4_RAW],
]) {
  const props = new pw.WriterPropertiesBuilder()
    .setCompression(codec)
    .setMaxRowGroupSize(12)
    .setCreatedBy('parquet-wasm 0.8.0')
    .build();
  const bytes = pw.writeParquet(wasmTable(table), props);
  await check(bytes, `rs ${name}`);
  write(`twin-rs-${name}.parquet`, bytes);
}

// Timestamps in microseconds, no dictionaries, data page v2 (so DELTA_BINARY_PACKED and DELTA_BYTE_ARRAY
// encodings), uncompressed.
const micros = new Table({
  ...Object.fromEntries(columns.filter((c) => c !== 'when').map((c) => [c, table.getChild(c)])),
  when: vectorFromArray(
    col('when').map((d) => d.getTime()),
    new TimestampMicrosecond('UTC'),
  ), // ms in, µs stored
});
const plainBytes = pw.writeParquet(
  wasmTable(micros),
  new pw.WriterPropertiesBuilder()
    .setCompression(Codec.UNCOMPRESSED)
    .setDictionaryEnabled(false)
    .setWriterVersion(pw.WriterVersion.V2)
    .setCreatedBy('parquet-wasm 0.8.0')
    .build(),
);
await check(plainBytes, 'rs delta v2 micros');
write('twin-rs-delta-v2.parquet', plainBytes);

// ---- Real-world: penguins.csv (CC0) as Parquet, written by the Rust writer (snappy, dictionary strings).
const penguins = readFileSync(join(root, 'test/fixtures/data/penguins.csv'), 'utf8').trim().split('\n');
const header = penguins[0].split(',');
const cells = penguins.slice(1).map((l) => l.split(','));
const NA = (s) => (s === 'NA' ? null : s);
const penguinVectors = Object.fromEntries(
  header.map((h, c) => {
    const values = cells.map((r) => NA(r[c]));
    if (['species', 'island', 'sex'].includes(h))
      return [h, vectorFromArray(values, new Dictionary(new Utf8(), new Int32()))];
    if (['flipper_length_mm', 'body_mass_g', 'year'].includes(h))
      return [
        h,
        vectorFromArray(
          values.map((v) => (v === null ? null : Number(v))),
          new Int32(),
        ),
      ];
    return [
      h,
      vectorFromArray(
        values.map((v) => (v === null ? null : Number(v))),
        new Float64(),
      ),
    ];
  }),
);
const penguinBytes = pw.writeParquet(
  wasmTable(new Table(penguinVectors)),
  new pw.WriterPropertiesBuilder()
    .setCompression(Codec.SNAPPY)
    .setMaxRowGroupSize(100)
    .setCreatedBy('parquet-wasm 0.8.0')
    .build(),
);
write('penguins.parquet', penguinBytes);

/** Reads an Arrow file back with apache-arrow and checks it holds the twin's values. */
function checkArrow(bytes, label) {
  const back = tableFromIPC(bytes).toArray();
  const same = back.every((r, i) =>
    columns.every(
      (c) => csvCell(c === 'when' && r[c] !== null ? new Date(r[c]) : r[c]) === csvCell(rows[i][c]),
    ),
  );
  if (back.length !== N || !same) throw new Error(`${label}: the Arrow file does not read back`);
}

/** Reads a Parquet file back with hyparquet and checks it holds the twin's values. */
async function check(bytes, label) {
  const ab = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
  const back = await parquetReadObjects({ file: ab, compressors: readCompressors });
  const same = back.every((r, i) => columns.every((c) => csvCell(r[c] ?? null) === csvCell(rows[i][c])));
  if (back.length !== N || !same) throw new Error(`${label}: the Parquet file does not read back`);
}
