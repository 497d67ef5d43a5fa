import { WorkbenchError, toWorkbenchError } from '../../../lib/errors';
import type { DatasetMeta, ImageShape } from '../dataset';
import type { DatasetSink } from './ingest';
import {
  checkCancelled,
  imageChunkRows,
  writeImageDataset,
  type ImageBlock,
  type InputFile,
  type MultiIngestOptions,
} from './imageStore';

/** An IDX array (LeCun's MNIST format): big-endian header, then u8 values row-major. */
export interface IdxArray {
  readonly name: string;
  readonly dims: readonly number[];
  readonly data: Uint8Array;
}

/** True when `bytes` start like a gzip stream (1f 8b). */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/** True when `bytes` (already gunzipped) start with an unsigned-byte IDX magic number 0x0000080N. */
export function isIdx(bytes: Uint8Array): boolean {
  return (
    bytes[0] === 0 && bytes[1] === 0 && bytes[2] === 0x08 && (bytes[3] ?? 0) >= 1 && (bytes[3] ?? 0) <= 4
  );
}

/** The bytes, gunzipped through DecompressionStream when they start with the gzip magic. */
export async function gunzipIfNeeded(
  name: string,
  bytes: Uint8Array,
  signal?: AbortSignal,
): Promise<Uint8Array> {
  if (!isGzip(bytes)) return bytes;
  const parts: Uint8Array[] = [];
  let total = 0;
  try {
    const copy = new Uint8Array(bytes.byteLength);
    copy.set(bytes);
    const reader = new Blob([copy]).stream().pipeThrough(new DecompressionStream('gzip')).getReader();
    for (;;) {
      checkCancelled(signal);
      const { done, value } = await reader.read();
      if (done) break;
      parts.push(value);
      total += value.byteLength;
    }
  } catch (e) {
    if (e instanceof WorkbenchError) throw e;
    throw new WorkbenchError('PARSE_ERROR', `${name} is not a valid gzip file: ${(e as Error).message}`);
  }
  const out = new Uint8Array(total);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.byteLength;
  }
  return out;
}

/** Parses an unsigned-byte IDX file, checking its magic number, dimensions and byte count. */
export function parseIdx(name: string, bytes: Uint8Array): IdxArray {
  const magic = [...bytes.subarray(0, 4)].map((b) => b.toString(16).padStart(2, '0')).join('');
  if (bytes.length < 4 || bytes[0] !== 0 || bytes[1] !== 0) {
    throw new WorkbenchError(
      'PARSE_ERROR',
      `${name} is not an IDX file: it starts with 0x${magic || '(nothing)'}, not 0x0000080N`,
    );
  }
  if (bytes[2] !== 0x08) {
    throw new WorkbenchError(
      'PARSE_ERROR',
      `${name} holds IDX values of type 0x${bytes[2]!.toString(16).padStart(2, '0')}; only unsigned bytes (0x08, as in MNIST) are supported`,
    );
  }
  const nd = bytes[3]!;
  const header = 4 + 4 * nd;
  if (nd < 1 || nd > 4 || bytes.length < header) {
    throw new WorkbenchError('PARSE_ERROR', `${name} has a broken IDX header (${nd} dimensions)`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, header);
  const dims = Array.from({ length: nd }, (_, i) => view.getUint32(4 + 4 * i));
  const count = dims.reduce((a, b) => a * b, 1);
  if (bytes.length - header !== count) {
    throw new WorkbenchError(
      'PARSE_ERROR',
      `${name} has ${bytes.length - header} data bytes, but its header (${dims.join('×')}) needs ${count}: the file is truncated or not IDX`,
    );
  }
  return { name, dims, data: bytes.subarray(header) };
}

/** The shape of each image in an IDX images array (n×h×w, or n×h×w×c with c = 1 or 3). */
function imageShapeOf(a: IdxArray): ImageShape | null {
  const [n, h, w, c = 1] = a.dims;
  if (a.dims.length < 3 || n === undefined || h === undefined || w === undefined) return null;
  if (h < 1 || w < 1 || (c !== 1 && c !== 3)) return null;
  return [h, w, c];
}

/** A dataset name from an MNIST-style file name: 'train-images-idx3-ubyte.gz' → 'train'. */
export function idxDatasetName(fileName: string): string {
  const base = fileName
    .replace(/\.gz$/i, '')
    .replace(/[-_.]?idx\d-ubyte$/i, '')
    .replace(/\.(idx\d?|ubyte)$/i, '')
    .replace(/[-_.]?images?$/i, '');
  return base === '' ? fileName : base;
}

/**
 * Imports one IDX images file (magic 0x803), or an images file with its labels file (0x801, one u8 per
 * image): an `image` column (h×w×1), plus a categorical `label` column (classes '0'…'max', in natural
 * order so a code is the digit itself) that becomes the target. Either file may be gzipped.
 */
export async function ingestIdx(
  files: readonly InputFile[],
  sink: DatasetSink,
  opts: MultiIngestOptions,
): Promise<DatasetMeta> {
  const totalBytes = files.reduce((n, f) => n + f.blob.size, 0);
  const arrays: IdxArray[] = [];
  let read = 0;
  try {
    for (const f of files) {
      checkCancelled(opts.signal);
      const raw = new Uint8Array(await f.blob.arrayBuffer());
      arrays.push(parseIdx(f.name, await gunzipIfNeeded(f.name, raw, opts.signal)));
      read += f.blob.size;
      opts.onProgress?.({ phase: 'scanning', bytes: read, totalBytes, rows: 0 });
    }
  } catch (e) {
    throw toWorkbenchError(e);
  }
  const images = arrays.filter((a) => a.dims.length >= 3);
  const labels = arrays.filter((a) => a.dims.length === 1);
  const other = arrays.find((a) => a.dims.length === 2);
  if (other !== undefined) {
    throw new WorkbenchError(
      'PARSE_ERROR',
      `${other.name} is a 2-D IDX array; expected images (magic 0x803) or labels (0x801)`,
    );
  }
  const img = images[0];
  if (images.length !== 1 || labels.length > 1 || img === undefined) {
    const names = arrays.map((a) => `${a.name} (${a.dims.length === 1 ? 'labels' : 'images'})`).join(', ');
    throw new WorkbenchError(
      'INVALID_INPUT',
      `Choose one IDX images file, optionally with its labels file; got ${names}`,
    );
  }
  const shape = imageShapeOf(img);
  if (shape === null) throw new WorkbenchError('PARSE_ERROR', `${img.name} has unsupported image dimensions`);
  const rows = img.dims[0]!;
  if (rows === 0) throw new WorkbenchError('PARSE_ERROR', `${img.name} holds no images`);
  const lab = labels[0];
  if (lab !== undefined && lab.dims[0] !== rows) {
    throw new WorkbenchError(
      'PARSE_ERROR',
      `${img.name} has ${rows} images but ${lab.name} has ${lab.dims[0]} labels; choose files from the same set`,
    );
  }
  const max = lab === undefined ? -1 : lab.data.reduce((m, v) => Math.max(m, v), 0);
  const classes = lab === undefined ? null : Array.from({ length: max + 1 }, (_, i) => String(i));
  const chunkRows = imageChunkRows(shape);
  const rowBytes = shape[0] * shape[1] * shape[2];
  function* blocks(): Generator<ImageBlock> {
    for (let start = 0; start < rows; start += chunkRows) {
      const end = Math.min(rows, start + chunkRows);
      yield {
        rows: end - start,
        // slice, not subarray: a stored view would clone the whole file's buffer into every chunk.
        pixels: img!.data.slice(start * rowBytes, end * rowBytes),
        labels: lab === undefined ? null : Int32Array.from(lab.data.subarray(start, end)),
      };
    }
  }
  return writeImageDataset(
    {
      name: idxDatasetName(img.name),
      source: {
        kind: opts.kind,
        name: files.map((f) => f.name).join(' + '),
        bytes: totalBytes,
        format: 'idx',
      },
      shape,
      rows,
      classes,
      labelMissing: 0,
    },
    blocks(),
    sink,
    opts,
  );
}
