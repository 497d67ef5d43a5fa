import 'fake-indexeddb/auto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { IDBFactory } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import { DatasetRepo } from '../../src/db/datasets.repo';
import { openWorkbenchDb } from '../../src/db/open';
import type { DatasetMeta } from '../../src/engine/data/dataset';
import { exportCsv, exportJsonl } from '../../src/engine/data/export';
import { ingestPlanned, planFiles } from '../../src/engine/data/ingest/files';
import { idxDatasetName, ingestIdx, parseIdx } from '../../src/engine/data/ingest/idx';
import type { InputFile } from '../../src/engine/data/ingest/imageStore';
import { categoryCounts, numericTableOf } from '../../src/engine/data/numericTable';
import { MemorySink } from '../support/memorySink';
import { failure } from '../support/failure';

const MNIST = join(import.meta.dirname, '../../public/samples');
const mnistImages = readFileSync(join(MNIST, 'mnist-3000-images-idx3-ubyte.gz'));
const mnistLabels = readFileSync(join(MNIST, 'mnist-3000-labels-idx1-ubyte.gz'));

/** An unsigned-byte IDX file: magic 0x0000080N, big-endian dims, then the values. */
function idx(dims: number[], values: ArrayLike<number>): Uint8Array {
  const out = new Uint8Array(4 + 4 * dims.length + values.length);
  const view = new DataView(out.buffer);
  out.set([0, 0, 0x08, dims.length]);
  dims.forEach((d, i) => view.setUint32(4 + 4 * i, d));
  out.set(Array.from(values), 4 + 4 * dims.length);
  return out;
}

const file = (name: string, bytes: Uint8Array): InputFile => ({
  name,
  path: name,
  blob: new Blob([bytes as Uint8Array<ArrayBuffer>]),
});

/** 5 images of 2×3 pixels: image i holds i*10 + p at pixel p; labels 0 2 1 2 0. */
const pixels = Array.from({ length: 5 * 6 }, (_, k) => Math.floor(k / 6) * 10 + (k % 6));
const smallImages = idx([5, 2, 3], pixels);
const smallLabels = idx([5], [0, 2, 1, 2, 0]);

async function load(files: InputFile[], sink = new MemorySink(), signal?: AbortSignal) {
  const meta = await ingestIdx(files, sink, {
    id: 'ds',
    kind: 'file',
    now: () => 0,
    ...(signal ? { signal } : {}),
  });
  return { meta, sink };
}

async function labelsOf(meta: DatasetMeta, sink: MemorySink): Promise<string[]> {
  const out: string[] = [];
  for (let i = 0; i < meta.chunkCount; i++) {
    const c = await sink.read(meta.id)(1, i);
    for (const code of c.data as Int32Array) out.push(meta.columns[1]!.dictionary![code]!);
  }
  return out;
}

describe('data: IDX import', () => {
  it('an images + labels pair becomes image (h×w×1) and categorical label columns, label the target', async () => {
    const { meta, sink } = await load([
      file('tiny-images-idx3-ubyte', smallImages),
      file('tiny-labels-idx1-ubyte', smallLabels),
    ]);
    expect(meta).toMatchObject({ name: 'tiny', rows: 5, target: 'label', chunkCount: 1, status: 'ready' });
    expect(meta.source).toMatchObject({ format: 'idx', kind: 'file' });
    expect(meta.columns).toEqual([
      { name: 'image', type: 'image', missing: 0, shape: [2, 3, 1] },
      { name: 'label', type: 'categorical', missing: 0, dictionary: ['0', '1', '2'] },
    ]);
    const img = await sink.read('ds')(0, 0);
    expect(img.data).toBeInstanceOf(Uint8Array);
    expect([...(img.data as Uint8Array)]).toEqual(pixels);
    expect((img.data as Uint8Array).buffer.byteLength).toBe(30); // a copy, not a view of the whole file
    expect(await labelsOf(meta, sink)).toEqual(['0', '2', '1', '2', '0']);
    expect(meta.contentHash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('gzipped files give the same dataset as plain ones (same content hash)', async () => {
    const plain = await load([
      file('a-images-idx3-ubyte', smallImages),
      file('a-labels-idx1-ubyte', smallLabels),
    ]);
    const gz = await load([
      file('a-images-idx3-ubyte.gz', gzipSync(smallImages)),
      file('a-labels-idx1-ubyte.gz', gzipSync(smallLabels)),
    ]);
    expect(gz.meta.contentHash).toBe(plain.meta.contentHash);
    expect(gz.meta.columns).toEqual(plain.meta.columns);
  });

  it('the files may come in either order, and an images file alone has no label and no target', async () => {
    const swapped = await load([file('l.idx1-ubyte', smallLabels), file('i.idx3-ubyte', smallImages)]);
    expect(swapped.meta.columns.map((c) => c.name)).toEqual(['image', 'label']);
    const alone = await load([file('t10k-images.idx3-ubyte', smallImages)]);
    expect(alone.meta.columns).toEqual([{ name: 'image', type: 'image', missing: 0, shape: [2, 3, 1] }]);
    expect(alone.meta.target).toBeNull();
    expect(alone.meta.name).toBe('t10k');
  });

  it('the real MNIST-3000 pair: 3000 rows of 28×28×1, 300 images of each digit 0…9', async () => {
    const { meta, sink } = await load([
      file('mnist-3000-images-idx3-ubyte.gz', mnistImages),
      file('mnist-3000-labels-idx1-ubyte.gz', mnistLabels),
    ]);
    expect(meta).toMatchObject({ name: 'mnist-3000', rows: 3000, chunkRows: 4096, chunkCount: 1 });
    expect(meta.columns[0]).toMatchObject({ type: 'image', shape: [28, 28, 1] });
    expect(meta.columns[1]!.dictionary).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
    const counts = categoryCounts(meta.columns[1]!.dictionary!, [await sink.read('ds')(1, 0)]);
    expect(counts.map((c) => c.count)).toEqual(new Array(10).fill(300));
    expect((await labelsOf(meta, sink)).slice(0, 8)).toEqual(['4', '4', '1', '1', '2', '7', '4', '0']);
    const img = (await sink.read('ds')(0, 0)).data as Uint8Array;
    expect(img.length).toBe(3000 * 784);
    const sum = (from: number) => img.subarray(from, from + 784).reduce((a, b) => a + b, 0);
    expect([sum(0), sum(2999 * 784)]).toEqual([21111, 24475]); // checked against Python's gzip module
    expect(meta.bytes).toBe(3000 * 784 + 3000 * 4 + 2 * Math.ceil(3000 / 32) * 4);
  });

  it('image and label counts that differ fail with a PARSE_ERROR naming both files, storing nothing', async () => {
    const sink = new MemorySink();
    const e = await failure(
      load(
        [
          file('train-images.idx3-ubyte', smallImages),
          file('t10k-labels.idx1-ubyte', idx([4], [1, 2, 3, 4])),
        ],
        sink,
      ),
    );
    expect(e.code).toBe('PARSE_ERROR');
    expect(e.message).toContain('train-images.idx3-ubyte has 5 images');
    expect(e.message).toContain('t10k-labels.idx1-ubyte has 4 labels');
    expect(sink.metas.size + sink.chunks.size).toBe(0);
  });

  it('garbage, truncated, non-byte and broken-gzip files fail with a PARSE_ERROR naming the file', async () => {
    const garbage = Uint8Array.from({ length: 3000 }, (_, i) => (i * 7919 + 13) % 256);
    const cases: [string, Uint8Array, string][] = [
      ['junk-images-idx3-ubyte', garbage, 'junk-images-idx3-ubyte is not an IDX file'],
      ['short-images-idx3-ubyte', smallImages.subarray(0, 30), 'short-images-idx3-ubyte has 14 data bytes'],
      [
        'f32-images-idx3-ubyte',
        Uint8Array.of(0, 0, 0x0d, 3, 0, 0, 0, 0),
        'f32-images-idx3-ubyte holds IDX values of type 0x0d',
      ],
      ['bad.gz', Uint8Array.of(0x1f, 0x8b, 8, 0, 1, 2, 3, 4, 5, 6, 7, 8), 'bad.gz is not a valid gzip file'],
      ['two-d-idx2-ubyte', idx([2, 2], [1, 2, 3, 4]), 'two-d-idx2-ubyte is a 2-D IDX array'],
    ];
    for (const [name, bytes, message] of cases) {
      const e = await failure(load([file(name, bytes)]));
      expect(e.code, name).toBe('PARSE_ERROR');
      expect(e.message, name).toContain(message);
    }
  });

  it('two images files, or a labels file alone, are refused as INVALID_INPUT', async () => {
    const two = await failure(load([file('a-images', smallImages), file('b-images', smallImages)]));
    expect(two.code).toBe('INVALID_INPUT');
    expect(two.message).toContain('a-images (images), b-images (images)');
    const labels = await failure(load([file('only-labels', smallLabels)]));
    expect(labels.code).toBe('INVALID_INPUT');
  });

  it('a cancelled import ends CANCELLED and stores nothing', async () => {
    const sink = new MemorySink();
    const controller = new AbortController();
    controller.abort();
    const e = await failure(load([file('x-images-idx3-ubyte', smallImages)], sink, controller.signal));
    expect(e.code).toBe('CANCELLED');
    expect(sink.metas.size + sink.chunks.size).toBe(0);
  });

  it('parseIdx reads dims big-endian and dataset names drop the MNIST suffixes', () => {
    expect(parseIdx('x', idx([1, 300, 2], new Array(600).fill(7))).dims).toEqual([1, 300, 2]);
    expect(idxDatasetName('train-images-idx3-ubyte.gz')).toBe('train');
    expect(idxDatasetName('t10k-images.idx3-ubyte')).toBe('t10k');
    expect(idxDatasetName('emnist-letters-train-images-idx3-ubyte')).toBe('emnist-letters-train');
  });
});

describe('data: image datasets downstream', () => {
  it('files are planned as an IDX pair by their magic numbers, whatever their names', async () => {
    const plan = await planFiles([file('one', gzipSync(smallImages)), file('two.bin', smallLabels)]);
    expect(plan.kind).toBe('idx');
    const sink = new MemorySink();
    const meta = await ingestPlanned(plan as Exclude<typeof plan, { kind: 'text' }>, noDecoder, sink, {
      id: 'p',
      kind: 'sample',
    });
    expect(meta.rows).toBe(5);
    expect(meta.source.kind).toBe('sample');
    expect((await planFiles([file('table.csv', new TextEncoder().encode('a\n1\n'))])).kind).toBe('text');
  });

  it('CSV and JSON Lines exports write image cells as the placeholder "image HxWxC"', async () => {
    const { meta, sink } = await load([
      file('t-images-idx3-ubyte', smallImages),
      file('t-labels-idx1-ubyte', smallLabels),
    ]);
    let csv = '';
    for await (const part of exportCsv(meta, sink.read('ds'))) csv += part;
    expect(csv.split('\r\n').slice(0, 3)).toEqual(['image,label', 'image 2x3x1,0', 'image 2x3x1,2']);
    let jsonl = '';
    for await (const part of exportJsonl(meta, sink.read('ds'))) jsonl += part;
    expect(jsonl.split('\n')[1]).toBe('{"image":"image 2x3x1","label":"2"}');
  });

  it('the statistics table skips image columns', async () => {
    const { meta, sink } = await load([file('t-images-idx3-ubyte', smallImages)]);
    const table = await numericTableOf(meta, async (c) => [await sink.read('ds')(c, 0)]);
    expect(table.names).toEqual([]);
  });

  it('image chunks round-trip through IndexedDB as Uint8Array, and the import is listed', async () => {
    const db = await openWorkbenchDb({ factory: new IDBFactory() });
    const repo = new DatasetRepo(db);
    const meta = await ingestIdx(
      [file('r-images-idx3-ubyte', smallImages), file('r-labels-idx1-ubyte', smallLabels)],
      repo,
      {
        id: 'r',
        kind: 'file',
      },
    );
    const chunk = await repo.readChunk('r', 0, 0);
    expect(chunk?.data).toBeInstanceOf(Uint8Array);
    expect([...(chunk!.data as Uint8Array)]).toEqual(pixels);
    expect((await repo.listDatasets()).map((d) => d.id)).toEqual(['r']);
    expect((await repo.getDataset('r'))?.columns[0]?.shape).toEqual([2, 3, 1]);
    expect(meta.status).toBe('ready');
    db.close();
  });
});

const noDecoder = {
  size: () => Promise.reject(new Error('not used')),
  rgba: () => Promise.reject(new Error('not used')),
};
