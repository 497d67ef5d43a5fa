import Papa from 'papaparse';
import { WorkbenchError, toWorkbenchError } from '../../../lib/errors';
import { eventLoopYielder } from '../../../lib/yieldToEventLoop';
import { abortError } from './textStream';

/** Delimiters tried when the caller does not name one. */
export const DELIMITERS = [',', '\t', ';', '|'] as const;

/** Options for streaming CSV parsing. */
export interface CsvOptions {
  readonly fileName: string;
  /** Omit to detect from the first chunk. */
  readonly delimiter?: string;
  readonly signal?: AbortSignal;
}

/** A batch of parsed rows, with the delimiter actually used. */
export interface RowBatch {
  readonly rows: string[][];
  readonly delimiter: string;
}

type Listener = (arg?: unknown) => void;

/**
 * Adapts an async iterable of text to the Node-style stream Papa Parse's streaming reader expects
 * (`readable`, `on`, `pause`, `resume`), so Papa handles rows split across chunks, quoted newlines included.
 */
class TextEmitter {
  readonly readable = true;
  private readonly listeners = new Map<string, Listener[]>();
  private paused = false;
  private wake: (() => void) | null = null;

  constructor(private readonly source: AsyncIterable<string>) {}

  read(): null {
    return null;
  }
  on(event: string, fn: Listener): void {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), fn]);
    if (event === 'end') void this.pump();
  }
  removeListener(event: string, fn: Listener): void {
    this.listeners.set(
      event,
      (this.listeners.get(event) ?? []).filter((f) => f !== fn),
    );
  }
  pause(): void {
    this.paused = true;
  }
  resume(): void {
    this.paused = false;
    this.wake?.();
  }
  private emit(event: string, arg?: unknown): void {
    for (const fn of this.listeners.get(event) ?? []) fn(arg);
  }
  private async pump(): Promise<void> {
    try {
      for await (const text of this.source) {
        while (this.paused) await new Promise<void>((r) => (this.wake = r));
        this.emit('data', text);
      }
      while (this.paused) await new Promise<void>((r) => (this.wake = r));
      this.emit('end');
    } catch (e) {
      this.emit('error', e);
    }
  }
}

/** Bytes of text read before the delimiter and line ending are decided (Papa would guess per tiny chunk). */
const SNIFF_CHARS = 64 * 1024;

/** Reads the first SNIFF_CHARS of a text stream, returning them and an iterable over the whole text. */
async function sniff(text: AsyncIterable<string>): Promise<{ head: string; all: AsyncIterable<string> }> {
  const it = text[Symbol.asyncIterator]();
  let head = '';
  let done = false;
  while (head.length < SNIFF_CHARS) {
    const r = await it.next();
    if (r.done === true) {
      done = true;
      break;
    }
    head += r.value;
  }
  async function* all(): AsyncGenerator<string> {
    if (head.length > 0) yield head;
    if (done) return;
    for (let r = await it.next(); r.done !== true; r = await it.next()) yield r.value;
  }
  return { head, all: all() };
}

/** Line ending of a sample: the first of CRLF, LF or CR outside quotes is close enough for real files. */
function guessNewline(head: string): '\r\n' | '\n' | '\r' {
  const i = head.search(/[\r\n]/);
  if (i < 0) return '\n';
  if (head[i] === '\n') return '\n';
  return head[i + 1] === '\n' ? '\r\n' : '\r';
}

/**
 * Delimiter of a sample: given, or the candidate that splits the sample's complete rows into the same
 * number (> 1) of fields, preferring more fields; a single-column file gets ','.
 */
function guessDelimiter(head: string, given: string | undefined): string {
  if (given !== undefined) return given;
  let best = { delimiter: ',', fields: 1 };
  for (const delimiter of DELIMITERS) {
    const rows = Papa.parse<string[]>(head, { preview: 50, delimiter, skipEmptyLines: true }).data;
    const complete = rows.length > 1 ? rows.slice(0, -1) : rows;
    const fields = complete[0]?.length ?? 0;
    if (fields > best.fields && complete.every((r) => r.length === fields)) best = { delimiter, fields };
  }
  return best.delimiter;
}

/** Streams rows of a delimited text, batch by batch, with backpressure: the next batch is parsed on demand. */
export async function* csvRows(source: AsyncIterable<string>, options: CsvOptions): AsyncGenerator<RowBatch> {
  const { head, all: text } = await sniff(source);
  const delimiter = guessDelimiter(head.replace(/^\uFEFF/, ''), options.delimiter);
  const newline = guessNewline(head);
  const queue: RowBatch[] = [];
  let finished = false;
  let failure: unknown = null;
  let notify: (() => void) | null = null;
  let parser: Papa.Parser | null = null;
  const wakeUp = (): void => {
    notify?.();
    notify = null;
  };
  const config: Papa.ParseLocalConfig<string[], File> = {
    delimiter,
    newline,
    skipEmptyLines: true,
    chunk: (result, p) => {
      parser = p;
      const bad = result.errors.find((e) => e.code !== 'UndetectableDelimiter');
      if (bad) {
        failure = new WorkbenchError(
          'PARSE_ERROR',
          `${options.fileName}: row ${(bad.row ?? 0) + 1}: ${bad.message}`,
        );
        p.abort();
      } else {
        if (newline === '\n') stripCarriageReturns(result.data);
        queue.push({ rows: result.data, delimiter });
        // Papa's handle.pause() halts parsing but not its streamer, which would keep queueing the whole
        // file's text; pausing the source too keeps memory to about one chunk.
        p.pause();
        emitter.pause();
      }
      wakeUp();
    },
    complete: () => {
      finished = true;
      wakeUp();
    },
    error: (e: Error) => {
      failure = e;
      wakeUp();
    },
  };
  const emitter = new TextEmitter(text);
  const breathe = eventLoopYielder();
  Papa.parse<string[], File>(emitter as unknown as File, config);
  for (;;) {
    if (options.signal?.aborted) {
      (parser as Papa.Parser | null)?.abort();
      throw abortError();
    }
    if (failure !== null) throw toWorkbenchError(failure);
    const batch = queue.shift();
    if (batch !== undefined) {
      yield batch;
      await breathe();
      emitter.resume(); // before the parser: resuming it may parse and pause again at once
      (parser as Papa.Parser | null)?.resume();
      continue;
    }
    if (finished) return;
    await new Promise<void>((r) => (notify = r));
  }
}

/** Files that mix CRLF into LF lines leave a stray CR on the last field; drop it. */
function stripCarriageReturns(rows: string[][]): void {
  for (const row of rows) {
    const last = row.length - 1;
    const v = row[last];
    if (v !== undefined && v.endsWith('\r')) row[last] = v.slice(0, -1);
  }
}
