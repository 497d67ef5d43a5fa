import { zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import type { ColumnChunk } from '../../src/engine/data/dataset';
import { thumbnail } from '../../src/engine/data/images';
import { coverCrop } from '../../src/engine/data/ingest/imageDecode';
import { ingestPlanned, planFiles } from '../../src/engine/data/ingest/files';
import {
  ingestImages,
  labelOf,
  sniffImage,
  targetSize,
  type ImageDecoder,
} from '../../src/engine/data/ingest/imageFiles';
import { imageChunkRows, type InputFile } from '../../src/engine/data/ingest/imageStore';
import { MemorySink } from '../support/memorySink';
import { failure } from '../support/failure';

/**
 * A PNG header (signature + IHDR) for sniffImage, then one tag byte. Not decodable by a browser: the fake
 * decoder below paints the tag as the image's colour, or rejects a tag of 0xee.
 */
function png(width: number, height: number, colorType: number, tag: number): Uint8Array {
  const b = new Uint8Array(8 + 25 + 1);
  b.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const v = new DataView(b.buffer);
  v.setUint32(8, 13);
  b.set([0x49, 0x48, 0x44, 0x52], 12);
  v.setUint32(16, width);
  v.setUint32(20, height);
  b.set([8, colorType], 24);
  b[33] = tag;
  return b;
}

/** A JPEG start: SOI, an APP0 segment to skip, then SOF0 with the size and component count. */
function jpegHead(width: number, height: number, components: number): Uint8Array {
  return Uint8Array.of(
    ...[0xff, 0xd8, 0xff, 0xe0, 0x00, 0x06, 0x4a, 0x46, 0x49, 0x46],
    ...[0xff, 0xc0, 0x00, 0x11, 0x08, height >> 8, height & 255, width >> 8, width & 255, components],
    ...new Array<number>(12).fill(0),
  );
}

const fakeDecoder: ImageDecoder & { calls: number } = {
  calls: 0,
  size: () => Promise.reject(new Error('unknown format')),
  async rgba(blob, w, h) {
    this.calls++;
    const tag = new Uint8Array(await blob.arrayBuffer())[33] ?? 0;
    if (tag === 0xee) throw new Error('broken image data');
    const out = new Uint8Array(w * h * 4);
    for (let p = 0; p < w * h; p++) out.set([tag, tag + 1, tag + 2, 255], p * 4);
    return out;
  },
};

const file = (path: string, bytes: Uint8Array): InputFile => ({
  name: path.split('/').pop()!,
  path,
  blob: new Blob([bytes as Uint8Array<ArrayBuffer>]),
});

const names = { dataset: 'pets', source: 'pets/' };

describe('data: image files', () => {
  it('sniffs size and grayness from PNG and JPEG headers, and nothing from other bytes', () => {
    expect(sniffImage(png(28, 14, 0, 0))).toEqual({ width: 28, height: 14, gray: true });
    expect(sniffImage(png(640, 480, 6, 0))).toEqual({ width: 640, height: 480, gray: false });
    expect(sniffImage(jpegHead(300, 200, 3))).toEqual({ width: 300, height: 200, gray: false });
    expect(sniffImage(jpegHead(32, 32, 1))).toEqual({ width: 32, height: 32, gray: true });
    expect(sniffImage(new TextEncoder().encode('not an image at all'))).toBeNull();
  });

  it('labels are the immediate parent folder; the stored size is the most common, capped at 224', () => {
    expect(labelOf('pets/cat/1.png')).toBe('cat');
    expect(labelOf('dog/2.jpg')).toBe('dog');
    expect(labelOf('3.png')).toBeNull();
    const size = (w: number, h: number) => ({ width: w, height: h });
    expect(targetSize([size(28, 28), size(30, 20), size(28, 28)])).toEqual([28, 28]);
    expect(targetSize([size(640, 480), size(640, 480), size(100, 100)])).toEqual([168, 224]);
    expect(targetSize([size(10, 10), size(20, 20)])).toEqual([10, 10]); // a tie: the first in path order
    expect(coverCrop(200, 100, 50, 50)).toEqual({ x: 50, y: 0, width: 100, height: 100 });
    expect(imageChunkRows([224, 224, 3])).toBe(27);
    expect(imageChunkRows([28, 28, 1])).toBe(4096);
  });

  it('folders of PNGs become image + label columns in path order, classes in natural order', async () => {
    const sink = new MemorySink();
    const files = [
      file('pets/dog/b.png', png(4, 2, 2, 30)),
      file('pets/cat/10.png', png(4, 2, 2, 20)),
      file('pets/cat/9.png', png(4, 2, 2, 10)),
      file('pets/dog/a.png', png(8, 8, 2, 40)), // another size: resized to the common 4×2
    ];
    const meta = await ingestImages(names, files, fakeDecoder, sink, { id: 'im', kind: 'file' });
    expect(meta).toMatchObject({ name: 'pets', rows: 4, target: 'label', chunkCount: 1 });
    expect(meta.source).toMatchObject({ format: 'images', name: 'pets/' });
    expect(meta.columns).toEqual([
      { name: 'image', type: 'image', missing: 0, shape: [2, 4, 3] },
      { name: 'label', type: 'categorical', missing: 0, dictionary: ['cat', 'dog'] },
    ]);
    const img = (await sink.read('im')(0, 0)).data as Uint8Array;
    expect(img.length).toBe(4 * 2 * 4 * 3);
    // Path order: cat/9, cat/10, dog/a, dog/b; each image's first pixel is its tag in RGB.
    expect([0, 1, 2, 3].map((r) => [...img.subarray(r * 24, r * 24 + 3)])).toEqual([
      [10, 11, 12],
      [20, 21, 22],
      [40, 41, 42],
      [30, 31, 32],
    ]);
    expect([...((await sink.read('im')(1, 0)).data as Int32Array)]).toEqual([0, 0, 1, 1]);
  });

  it('all-grayscale images are stored with one channel; images outside folders have no label', async () => {
    const sink = new MemorySink();
    const meta = await ingestImages(
      { dataset: 'images', source: '2 files' },
      [file('a.png', png(3, 3, 0, 50)), file('b.png', png(3, 3, 4, 60))],
      fakeDecoder,
      sink,
      { id: 'g', kind: 'file' },
    );
    expect(meta.columns).toEqual([{ name: 'image', type: 'image', missing: 0, shape: [3, 3, 1] }]);
    expect(meta.target).toBeNull();
    expect([...((await sink.read('g')(0, 0)).data as Uint8Array)]).toEqual([
      ...new Array<number>(9).fill(50),
      ...new Array<number>(9).fill(60),
    ]);
  });

  it('an image that does not decode fails the import naming the file, and nothing stays stored', async () => {
    const sink = new MemorySink();
    const files = [file('x/ok.png', png(2, 2, 2, 1)), file('x/broken.png', png(2, 2, 2, 0xee))];
    const e = await failure(ingestImages(names, files, fakeDecoder, sink, { id: 'b', kind: 'file' }));
    expect(e.code).toBe('PARSE_ERROR');
    expect(e.message).toContain('x/broken.png could not be decoded as an image: broken image data');
    expect(sink.metas.size + sink.chunks.size).toBe(0);
    const unknown = await failure(
      ingestImages(names, [file('y/what.png', new Uint8Array(10))], fakeDecoder, sink, {
        id: 'c',
        kind: 'file',
      }),
    );
    expect(unknown.message).toContain('y/what.png could not be decoded');
  });

  it('a zip of labelled folders imports as one dataset; other entries are skipped', async () => {
    const zip = zipSync({
      'digits/0/a.png': png(2, 2, 0, 5),
      'digits/0/b.png': png(2, 2, 0, 6),
      'digits/1/c.png': png(2, 2, 0, 7),
      'digits/README.txt': new TextEncoder().encode('hello'),
      '__MACOSX/digits/0/._a.png': new Uint8Array(4),
    });
    const plan = await planFiles([file('digits.zip', zip)]);
    expect(plan.kind).toBe('images');
    const sink = new MemorySink();
    const meta = await ingestPlanned(plan as Exclude<typeof plan, { kind: 'text' }>, fakeDecoder, sink, {
      id: 'z',
      kind: 'file',
    });
    expect(meta).toMatchObject({ name: 'digits', rows: 3 });
    expect(meta.source.name).toBe('digits.zip');
    expect(meta.columns[1]!.dictionary).toEqual(['0', '1']);
    expect([...((await sink.read('z')(1, 0)).data as Int32Array)]).toEqual([0, 0, 1]);
  });

  it('a garbage or image-less zip fails with a PARSE_ERROR naming it', async () => {
    const garbage = Uint8Array.from({ length: 2000 }, (_, i) => (i * 31 + 7) % 256);
    const planned = await planFiles([file('junk.zip', garbage)]);
    const e = await failure(
      ingestPlanned(planned as Exclude<typeof planned, { kind: 'text' }>, fakeDecoder, new MemorySink(), {
        id: 'j',
        kind: 'file',
      }),
    );
    expect(e).toMatchObject({ code: 'PARSE_ERROR', message: 'junk.zip is not a zip archive' });
    const broken = zipSync({ 'a/b.png': png(2, 2, 0, 1) }).slice(0, 40);
    const b = await failure(
      ingestPlanned(
        { kind: 'images', images: [], zips: [file('cut.zip', broken)] },
        fakeDecoder,
        new MemorySink(),
        {
          id: 'k',
          kind: 'file',
        },
      ),
    );
    expect(b.code).toBe('PARSE_ERROR');
    expect(b.message).toContain('cut.zip is not a valid zip archive');
    const empty = zipSync({ 'notes.txt': new Uint8Array(3) });
    const n = await failure(
      ingestPlanned(
        { kind: 'images', images: [], zips: [file('empty.zip', empty)] },
        fakeDecoder,
        new MemorySink(),
        {
          id: 'n',
          kind: 'file',
        },
      ),
    );
    expect(n.message).toBe('empty.zip holds no PNG or JPEG images');
  });

  it('images cannot be mixed with IDX files, and unrelated files do not make one dataset', async () => {
    const idx = Uint8Array.of(0, 0, 8, 1, 0, 0, 0, 1, 3);
    const mixed = await failure(planFiles([file('a.png', png(1, 1, 0, 0)), file('labels-idx1-ubyte', idx)]));
    expect(mixed.code).toBe('INVALID_INPUT');
    const two = await failure(
      planFiles([file('a.csv', new Uint8Array(3)), file('b.csv', new Uint8Array(3))]),
    );
    expect(two.message).toContain('do not make one dataset: a.csv, b.csv');
  });

  it('thumbnails box-average big images down to 32 px and keep small ones exact', () => {
    const shape = [64, 64, 1] as const;
    const data = new Uint8Array(2 * 64 * 64);
    data.fill(100, 0, 4096);
    for (let p = 0; p < 4096; p++) data[4096 + p] = (p % 64) % 2 === 0 ? 0 : 200; // stripes
    const chunk: ColumnChunk = {
      datasetId: 'd',
      column: 0,
      index: 0,
      rows: 2,
      data,
      validity: Uint32Array.of(3),
    };
    const t0 = thumbnail(chunk, 0, shape);
    expect([t0.width, t0.height, t0.channels]).toEqual([32, 32, 1]);
    expect(t0.pixels.every((v) => v === 100)).toBe(true);
    expect(thumbnail(chunk, 1, shape).pixels.every((v) => v === 100)).toBe(true);
    const small = thumbnail({ ...chunk, data: Uint8Array.of(1, 2, 3, 4, 5, 6) }, 0, [1, 2, 3]);
    expect([...small.pixels]).toEqual([1, 2, 3, 4, 5, 6]);
  });
});
