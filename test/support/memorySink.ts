import type { ColumnChunk, DatasetMeta } from '../../src/engine/data/dataset';
import type { DatasetSink, IngestSource } from '../../src/engine/data/ingest/ingest';

/** An in-memory DatasetSink for parser tests (storage itself is tested against IndexedDB). */
export class MemorySink implements DatasetSink {
  readonly metas = new Map<string, DatasetMeta>();
  readonly chunks = new Map<string, ColumnChunk>();
  beginImport(meta: DatasetMeta): Promise<void> {
    this.metas.set(meta.id, meta);
    return Promise.resolve();
  }
  putChunks(chunks: ColumnChunk[]): Promise<void> {
    for (const c of chunks) this.chunks.set(`${c.datasetId}/${c.column}/${c.index}`, c);
    return Promise.resolve();
  }
  commitImport(meta: DatasetMeta): Promise<void> {
    this.metas.set(meta.id, meta);
    return Promise.resolve();
  }
  abortImport(id: string): Promise<void> {
    this.metas.delete(id);
    for (const k of [...this.chunks.keys()]) if (k.startsWith(`${id}/`)) this.chunks.delete(k);
    return Promise.resolve();
  }
  read(id: string) {
    return (column: number, index: number): Promise<ColumnChunk> => {
      const c = this.chunks.get(`${id}/${column}/${index}`);
      return c ? Promise.resolve(c) : Promise.reject(new Error(`no chunk ${column}/${index}`));
    };
  }
}

/** A source over bytes, delivered in pieces of `piece` bytes (any chunking must give the same table). */
export function bytesSource(name: string, data: Uint8Array | string, piece = 1 << 16): IngestSource {
  const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : data;
  return {
    name,
    kind: 'file',
    bytes: bytes.byteLength,
    open: () =>
      new ReadableStream<Uint8Array>({
        start(controller) {
          for (let i = 0; i < bytes.byteLength; i += piece) controller.enqueue(bytes.slice(i, i + piece));
          controller.close();
        },
      }),
  };
}
