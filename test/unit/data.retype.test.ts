import { describe, expect, it } from 'vitest';
import type { ColumnChunk, DatasetMeta } from '../../src/engine/data/dataset';
import { ingest } from '../../src/engine/data/ingest/ingest';
import { retypeColumn } from '../../src/engine/data/retype';
import { bytesSource, MemorySink } from '../support/memorySink';

async function load(text: string) {
  const sink = new MemorySink();
  const meta = await ingest(bytesSource('t.csv', text), sink, { id: 'ds', chunkRows: 2, now: () => 0 });
  const chunks = async (c: number): Promise<ColumnChunk[]> => {
    const out: ColumnChunk[] = [];
    for (let i = 0; i < meta.chunkCount; i++) out.push(await sink.read('ds')(c, i));
    return out;
  };
  return { meta, chunks };
}

function texts(meta: DatasetMeta['columns'][number], chunks: ColumnChunk[]): (string | number | null)[] {
  return chunks.flatMap((c) =>
    Array.from({ length: c.rows }, (_, r) => {
      if ((((c.validity[r >>> 5] ?? 0) >>> (r & 31)) & 1) === 0) return null;
      const v = c.data[r]!;
      return meta.type === 'categorical' ? meta.dictionary![v as number]! : v;
    }),
  );
}

describe('data: change a column type', () => {
  it('integer class codes become categories, and back', async () => {
    const { meta, chunks } = await load('label,x\n0,a\n2,b\n1,c\n2,d\n,e\n');
    expect(meta.columns[0]!.type).toBe('integer');
    const cat = retypeColumn(meta.columns[0]!, await chunks(0), 'categorical');
    expect(cat.meta).toMatchObject({ type: 'categorical', dictionary: ['0', '1', '2'], missing: 1 });
    expect(texts(cat.meta, cat.chunks)).toEqual(['0', '2', '1', '2', null]);
    const back = retypeColumn(cat.meta, cat.chunks, 'integer');
    expect(texts(back.meta, back.chunks)).toEqual([0, 2, 1, 2, null]);
  });

  it('a numeric-looking text column becomes numbers when every value is one', async () => {
    const { meta, chunks } = await load('v,k\n1.5,a\n2,b\nNA,c\n');
    const asText = retypeColumn(meta.columns[0]!, await chunks(0), 'text');
    expect(texts(asText.meta, asText.chunks)).toEqual(['1.5', '2', null]);
    const asNumber = retypeColumn(asText.meta, asText.chunks, 'number');
    expect(texts(asNumber.meta, asNumber.chunks)).toEqual([1.5, 2, null]);
  });

  it('refuses a conversion that would lose a value, naming it', async () => {
    const { meta, chunks } = await load('v,k\n1,a\nabc,b\n3,c\n');
    const text = await chunks(0);
    expect(() => retypeColumn(meta.columns[0]!, text, 'number')).toThrow(
      /cannot become number: "abc" is not a number/,
    );
  });
});
