import { WorkbenchError } from '../../../lib/errors';
import { eventLoopYielder } from '../../../lib/yieldToEventLoop';

/** Largest JSON array read whole (JSON Lines streams with no such limit). */
export const MAX_JSON_CHARS = 256 * 2 ** 20;
const BATCH = 10_000;

type JsonRecord = Record<string, unknown>;

/** Streams records of a JSON array of objects, or of JSON Lines, in batches. */
export async function* jsonRecords(
  text: AsyncIterable<string>,
  format: 'json' | 'jsonl',
  fileName: string,
): AsyncGenerator<JsonRecord[]> {
  const breathe = eventLoopYielder();
  if (format === 'json') {
    let all = '';
    for await (const t of text) {
      all += t;
      if (all.length > MAX_JSON_CHARS) {
        throw new WorkbenchError(
          'INVALID_INPUT',
          `${fileName}: a JSON array over 256 MB; use JSON Lines instead`,
        );
      }
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(all.replace(/^\uFEFF/, ''));
    } catch (e) {
      throw new WorkbenchError('PARSE_ERROR', `${fileName} is not valid JSON: ${(e as Error).message}`);
    }
    if (!Array.isArray(parsed))
      throw new WorkbenchError('PARSE_ERROR', `${fileName}: expected an array of records`);
    for (let i = 0; i < parsed.length; i += BATCH) {
      yield parsed.slice(i, i + BATCH).map((r, k) => asRecord(r, fileName, `record ${i + k + 1}`));
      await breathe();
    }
    return;
  }
  let pending = '';
  let line = 0;
  let batch: JsonRecord[] = [];
  const take = (raw: string): void => {
    line++;
    const s = raw.trim();
    if (s === '') return;
    let v: unknown;
    try {
      v = JSON.parse(s);
    } catch (e) {
      throw new WorkbenchError(
        'PARSE_ERROR',
        `${fileName}: line ${line} is not valid JSON: ${(e as Error).message}`,
      );
    }
    batch.push(asRecord(v, fileName, `line ${line}`));
  };
  for await (const t of text) {
    const parts = (pending + t).split('\n');
    pending = parts.pop() ?? '';
    for (const p of parts) take(p);
    if (batch.length >= BATCH) {
      yield batch;
      batch = [];
    }
    await breathe();
  }
  take(pending);
  if (batch.length > 0) yield batch;
}

function asRecord(v: unknown, fileName: string, where: string): JsonRecord {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) {
    throw new WorkbenchError('PARSE_ERROR', `${fileName}: ${where} is not an object`);
  }
  return v as JsonRecord;
}

/** A record value as cell text: null is missing; numbers, bigints and booleans as written; dates as ISO. */
export function jsonCell(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? '' : v.toISOString();
  return JSON.stringify(v);
}
