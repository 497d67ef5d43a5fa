import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { WorkbenchError } from '../../src/lib/errors';
import type { Project } from '../../src/engine/project/format';
import { sha256Hex } from '../../src/engine/project/hash';
import {
  INLINE_LIMIT,
  MAX_INFLATED_BYTES,
  MAX_LINK_CHARS,
  base64urlDecode,
  base64urlEncode,
  decodeProjectLink,
  encodeProjectLink,
  missingDatasets,
  verifySuppliedFile,
  type LinkDataset,
} from '../../src/engine/project/link';
import { loadProject } from '../../src/engine/project/load';
import { deflateRaw, type Codec } from '../../src/engine/project/projectFile';

const fixture = (name: string): string =>
  readFileSync(join(import.meta.dirname, '../fixtures/data', name), 'utf8');
const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);
const FORMAT = 'webgpu-workbench/project' as const;

/** A project as the app holds it after loading (defaults filled), reading one local CSV. */
function tabularProject(name: string, target: string, columns: readonly string[]): Project {
  return loadProject({
    format: FORMAT,
    version: 1,
    name,
    description: `Classify ${target}.`,
    cells: [
      { id: 'intro', kind: 'markdown', text: `# ${name}\n\nA small **tabular** example.` },
      { id: 'data', kind: 'dataset', source: { path: `data/${name}.csv` }, target },
      {
        id: 'prep',
        kind: 'preprocess',
        input: 'data',
        steps: [
          { kind: 'impute', columns: [...columns], strategy: 'median' },
          { kind: 'scale', columns: [...columns], method: 'standardize' },
          { kind: 'split', train: 0.7, validation: 0.15, test: 0.15, stratify: target },
        ],
      },
      { id: 'fit', kind: 'train', input: 'prep', target, model: { kind: 'mlp', hidden: [{ units: 16 }] } },
      { id: 'eval', kind: 'evaluate', model: 'fit' },
      { id: 'out', kind: 'export', model: 'fit', onnx: 'model.onnx' },
    ],
  });
}

function csvDataset(name: string, text: string, columns: readonly string[], rows: number): LinkDataset {
  return { name, csvText: text, bytes: utf8(text), columns, rows };
}

const PENGUIN_NUMERIC = ['bill_length_mm', 'bill_depth_mm', 'flipper_length_mm', 'body_mass_g'];
const PENGUIN_COLUMNS = ['species', 'island', ...PENGUIN_NUMERIC, 'sex', 'year'];
const IRIS_COLUMNS = ['feature_1', 'feature_2', 'feature_3', 'feature_4', 'target'];

/** A deterministic CSV of about `rows` × 40 bytes that compresses poorly (pseudo-random digits). */
function noisyCsv(rows: number, seed = 1): string {
  let s = seed;
  const next = (): number => (s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const lines = ['a,b,c,d,label'];
  for (let i = 0; i < rows; i++) {
    lines.push(
      `${next().toFixed(6)},${next().toFixed(6)},${next().toFixed(6)},${next().toFixed(6)},${next() < 0.5 ? 'x' : 'y'}`,
    );
  }
  return lines.join('\n') + '\n';
}

/** Deflates arbitrary JSON text into a link, bypassing the encoder's validation. */
async function rawLink(text: string): Promise<string> {
  return '#/p/' + base64urlEncode(await deflateRaw(utf8(text), 'fflate'));
}

async function failure(p: Promise<unknown>): Promise<WorkbenchError> {
  const e = await p.then(
    () => null,
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(WorkbenchError);
  return e as WorkbenchError;
}

describe('project: base64url', () => {
  it('round-trips every length 0..64 and matches Buffer base64url', () => {
    for (let n = 0; n <= 64; n++) {
      const bytes = Uint8Array.from({ length: n }, (_, i) => (i * 97 + n * 13) & 255);
      const enc = base64urlEncode(bytes);
      expect(enc).toBe(Buffer.from(bytes).toString('base64url'));
      expect(base64urlDecode(enc)).toEqual(bytes);
    }
  });

  it('refuses characters outside the alphabet and impossible lengths with PARSE_ERROR', () => {
    for (const bad of ['ab+c', 'ab/c', 'a b', 'abcde', 'ab%3D', 'é']) {
      expect(() => base64urlDecode(bad)).toThrow(WorkbenchError);
      try {
        base64urlDecode(bad);
      } catch (e) {
        expect((e as WorkbenchError).code).toBe('PARSE_ERROR');
      }
    }
  });
});

describe.each<Codec>(['stream', 'fflate'])('project: share links (%s codec)', (codec) => {
  const penguins = fixture('penguins.csv');
  const iris = fixture('iris.csv');

  it('round-trips a project with inline, sample and URL data exactly (deep equal)', async () => {
    const project = loadProject({
      format: FORMAT,
      version: 1,
      name: 'Mixed sources',
      cells: [
        {
          id: 'notes',
          kind: 'markdown',
          text: 'Unicode too: ünïcödé, 日本語, emoji 🐧, "quotes" and \\ slashes',
        },
        { id: 'iris', kind: 'dataset', source: { sample: 'iris' } },
        {
          id: 'remote',
          kind: 'dataset',
          source: { url: 'https://example.org/d.csv', sha256: 'a'.repeat(64) },
        },
        { id: 'tiny', kind: 'dataset', source: { inline: { format: 'csv', text: 'x,y\n1,2\n3,4\n' } } },
        { id: 'fit', kind: 'train', input: 'iris', target: 'target', epochs: 3 },
      ],
    });
    const link = await encodeProjectLink(project, new Map(), { codec });
    expect(link.fragment.startsWith('#/p/')).toBe(true);
    expect(link.fragment).toMatch(/^#\/p\/[A-Za-z0-9_-]+$/);
    expect(link.inlined).toEqual(['tiny']);
    expect(link.byHash).toEqual([]);
    const back = await decodeProjectLink(link.fragment, { codec });
    expect(back).toEqual(project);
    // A whole URL works as well as the fragment alone.
    expect(await decodeProjectLink(`https://host.example/app/${link.fragment}`, { codec })).toEqual(project);
  });

  it('carries the penguins table inline and stays under 8 KB', async () => {
    const project = tabularProject('penguins', 'species', PENGUIN_NUMERIC);
    const data = new Map([['data', csvDataset('penguins.csv', penguins, PENGUIN_COLUMNS, 344)]]);
    expect(utf8(penguins).byteLength).toBeLessThanOrEqual(INLINE_LIMIT);
    const link = await encodeProjectLink(project, data, { codec });
    expect(link.inlined).toEqual(['data']);
    expect(link.byHash).toEqual([]);
    expect(link.bytes).toBe(link.fragment.length);
    expect(link.bytes).toBeLessThan(8 * 1024);
    const back = await decodeProjectLink(link.fragment, { codec });
    const cell = back.cells.find((c) => c.id === 'data');
    expect(cell).toEqual({
      id: 'data',
      kind: 'dataset',
      target: 'species',
      source: { inline: { format: 'csv', text: penguins } },
    });
    // Every other cell is unchanged.
    expect(back.cells.filter((c) => c.id !== 'data')).toEqual(project.cells.filter((c) => c.id !== 'data'));
  });

  it('carries an iris-sized table inline in well under 8 KB', async () => {
    const project = tabularProject('iris', 'target', IRIS_COLUMNS.slice(0, 4));
    const data = new Map([['data', csvDataset('iris.csv', iris, IRIS_COLUMNS, 150)]]);
    const link = await encodeProjectLink(project, data, { codec });
    expect(link.inlined).toEqual(['data']);
    expect(link.bytes).toBeLessThan(4 * 1024);
  });

  it('sends a table over the inline limit by hash, and the recipient verifies the file they supply', async () => {
    const big = noisyCsv(800);
    expect(utf8(big).byteLength).toBeGreaterThan(INLINE_LIMIT);
    const project = tabularProject('noisy', 'label', ['a', 'b', 'c', 'd']);
    const data = new Map([['data', csvDataset('noisy.csv', big, ['a', 'b', 'c', 'd', 'label'], 800)]]);
    const link = await encodeProjectLink(project, data, { codec });
    expect(link.inlined).toEqual([]);
    expect(link.byHash).toEqual(['data']);
    expect(link.bytes).toBeLessThan(2 * 1024);
    const back = await decodeProjectLink(link.fragment, { codec });
    const missing = missingDatasets(back);
    expect(missing).toEqual([
      {
        cellId: 'data',
        missing: {
          name: 'noisy.csv',
          sha256: await sha256Hex(utf8(big)),
          columns: ['a', 'b', 'c', 'd', 'label'],
          rows: 800,
        },
      },
    ]);
    await expect(verifySuppliedFile(missing[0]!.missing, utf8(big))).resolves.toBeUndefined();
  });

  it('sends data without a CSV form by hash however small it is', async () => {
    const project = tabularProject('tiny', 'label', ['a']);
    const bytes = Uint8Array.from([0x50, 0x41, 0x52, 0x31, 1, 2, 3]);
    const data = new Map([['data', { name: 'tiny.parquet', bytes, columns: ['a', 'label'], rows: 3 }]]);
    const link = await encodeProjectLink(project, data, { codec });
    expect(link.byHash).toEqual(['data']);
  });

  it('demotes the largest inlined table to by-hash when the link would pass its budget', async () => {
    const project = loadProject({
      format: FORMAT,
      version: 1,
      name: 'Two tables',
      cells: [
        { id: 'p', kind: 'dataset', source: { path: 'data/penguins.csv' } },
        { id: 'i', kind: 'dataset', source: { path: 'data/iris.csv' } },
      ],
    });
    const data = new Map([
      ['p', csvDataset('penguins.csv', penguins, PENGUIN_COLUMNS, 344)],
      ['i', csvDataset('iris.csv', iris, IRIS_COLUMNS, 150)],
    ]);
    const all = await encodeProjectLink(project, data, { codec });
    expect(all.inlined.sort()).toEqual(['i', 'p']);
    const tight = await encodeProjectLink(project, data, { codec, budget: 2500 });
    expect(tight.inlined).toEqual(['i']);
    expect(tight.byHash).toEqual(['p']);
    expect(tight.bytes).toBeLessThanOrEqual(2500);
    await expect(encodeProjectLink(project, data, { codec, budget: 100 })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      message: expect.stringMatching(/Export a project file/) as unknown,
    });
  });

  it('refuses a local dataset whose data was not supplied to the encoder', async () => {
    const project = tabularProject('penguins', 'species', PENGUIN_NUMERIC);
    const e = await failure(encodeProjectLink(project, new Map(), { codec }));
    expect(e.code).toBe('INVALID_INPUT');
    expect(e.message).toContain('“data”');
  });

  it('refuses a link whose JSON carries an endpoint or a token (schema: unknown field)', async () => {
    const base = { format: FORMAT, version: 1, name: 'x', cells: [] };
    const top = await failure(
      decodeProjectLink(await rawLink(JSON.stringify({ ...base, endpoint: 'https://evil.example/api' })), {
        codec,
      }),
    );
    expect(top.code).toBe('INVALID_INPUT');
    expect(top.message).toContain('unknown field “endpoint”');
    const inCell = await failure(
      decodeProjectLink(
        await rawLink(
          JSON.stringify({
            ...base,
            cells: [{ id: 'd', kind: 'dataset', source: { sample: 'iris' }, token: 'sk-secret' }],
          }),
        ),
        { codec },
      ),
    );
    expect(inCell.code).toBe('INVALID_INPUT');
    expect(inCell.details.join('\n')).toContain('unknown field “token”');
    const inSource = await failure(
      decodeProjectLink(
        await rawLink(
          JSON.stringify({
            ...base,
            cells: [{ id: 'd', kind: 'dataset', source: { url: 'https://a.example/x.csv', token: 't' } }],
          }),
        ),
        { codec },
      ),
    );
    expect(inSource.code).toBe('INVALID_INPUT');
    // A URL source must be https (or this site's own path): a javascript: URL is refused.
    const jsUrl = await failure(
      decodeProjectLink(
        await rawLink(
          JSON.stringify({
            ...base,
            cells: [{ id: 'd', kind: 'dataset', source: { url: 'javascript:alert(1)' } }],
          }),
        ),
        { codec },
      ),
    );
    expect(jsUrl.code).toBe('INVALID_INPUT');
  });

  it('refuses URLs carrying credentials, in links it reads and projects it encodes', async () => {
    const withCreds = {
      format: FORMAT,
      version: 1,
      name: 'x',
      cells: [{ id: 'd', kind: 'dataset', source: { url: 'https://user:sk-token@data.example/x.csv' } }],
    };
    const e = await failure(decodeProjectLink(await rawLink(JSON.stringify(withCreds)), { codec }));
    expect(e.code).toBe('INVALID_INPUT');
    expect(e.message).toMatch(/never carry credentials/);
    const enc = await failure(encodeProjectLink(loadProject(withCreds), new Map(), { codec }));
    expect(enc.message).toMatch(/never carry credentials/);
  });

  it('decodes links made by the other deflate implementation (Chromium ↔ older Safari)', async () => {
    const project = tabularProject('iris', 'target', IRIS_COLUMNS.slice(0, 4));
    const data = new Map([['data', csvDataset('iris.csv', iris, IRIS_COLUMNS, 150)]]);
    const other: Codec = codec === 'stream' ? 'fflate' : 'stream';
    const link = await encodeProjectLink(project, data, { codec: other });
    const back = await decodeProjectLink(link.fragment, { codec });
    const viaDefault = await decodeProjectLink((await encodeProjectLink(project, data)).fragment, { codec });
    expect(viaDefault).toEqual(back);
    expect(back.cells.find((c) => c.id === 'data')).toMatchObject({
      source: { inline: { format: 'csv', text: iris } },
    });
  });

  it('refuses an oversize link before decoding it', async () => {
    const e = await failure(decodeProjectLink('#/p/' + 'A'.repeat(MAX_LINK_CHARS + 1), { codec }));
    expect(e.code).toBe('INVALID_INPUT');
    expect(e.message).toMatch(/too long/);
  });

  it('refuses a deflate bomb at the inflated-size cap', async () => {
    // 32 MiB of spaces inside a JSON string deflates to about 32 KB: well inside the link cap.
    const bomb = utf8(`{"format":"${FORMAT}","version":1,"name":"${' '.repeat(32 * 2 ** 20)}","cells":[]}`);
    const payload = base64urlEncode(await deflateRaw(bomb, 'fflate'));
    expect(payload.length).toBeLessThan(MAX_LINK_CHARS);
    const e = await failure(decodeProjectLink('#/p/' + payload, { codec }));
    expect(e.code).toBe('INVALID_INPUT');
    expect(e.message).toMatch(/expands to more than/);
    expect(MAX_INFLATED_BYTES).toBeLessThan(bomb.byteLength);
  });

  it('refuses corrupt base64, corrupt or truncated deflate, and non-UTF-8 or non-JSON content cleanly', async () => {
    const good = (
      await encodeProjectLink(
        tabularProject('iris', 'target', IRIS_COLUMNS.slice(0, 4)),
        new Map([['data', csvDataset('iris.csv', iris, IRIS_COLUMNS, 150)]]),
        { codec },
      )
    ).fragment;
    const cases: [string, string][] = [
      ['#/p/abc$def', 'PARSE_ERROR'],
      ['#/p/abcde', 'PARSE_ERROR'],
      [
        '#/p/' + base64urlEncode(Uint8Array.from({ length: 64 }, (_, i) => (i * 37 + 11) & 255)),
        'PARSE_ERROR',
      ],
      [good.slice(0, good.length - 40), 'PARSE_ERROR'],
      [
        '#/p/' + base64urlEncode(await deflateRaw(Uint8Array.from([0xff, 0xfe, 0x80]), 'fflate')),
        'PARSE_ERROR',
      ],
      [await rawLink('{"format": '), 'PARSE_ERROR'],
      [await rawLink('[1,2,3]'), 'INVALID_INPUT'],
      ['#/p/', 'PARSE_ERROR'],
      ['#/q/abc', 'INVALID_INPUT'],
      ['https://host.example/', 'INVALID_INPUT'],
    ];
    for (const [link, code] of cases) {
      const e = await failure(decodeProjectLink(link, { codec }));
      expect({ link: link.slice(0, 40), code: e.code }).toEqual({ link: link.slice(0, 40), code });
      expect(e.message.length).toBeGreaterThan(10);
    }
  });

  it('never crashes on garbage or single-character edits of a real link (WorkbenchError or a valid project)', async () => {
    const good = (
      await encodeProjectLink(
        tabularProject('iris', 'target', IRIS_COLUMNS.slice(0, 4)),
        new Map([['data', csvDataset('iris.csv', iris, IRIS_COLUMNS, 150)]]),
        { codec },
      )
    ).fragment;
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.string({ maxLength: 300 }).map((s) => '#/p/' + s),
          fc
            .tuple(fc.nat({ max: good.length - 5 }), fc.constantFrom(...alphabet))
            .map(([i, ch]) => good.slice(0, 4 + i) + ch + good.slice(5 + i)),
        ),
        async (link) => {
          const r = await decodeProjectLink(link, { codec }).then(
            (p) => p,
            (e: unknown) => e,
          );
          if (r instanceof WorkbenchError) {
            expect(['PARSE_ERROR', 'INVALID_INPUT']).toContain(r.code);
          } else {
            expect(r).toMatchObject({ format: FORMAT, version: 1 });
          }
        },
      ),
      { numRuns: 150, seed: 7 },
    );
  });
});

describe('project: verifying a supplied file', () => {
  const columns = ['a', 'b', 'c', 'd', 'label'];
  const text = noisyCsv(50, 3);

  async function missingFor(t: string) {
    return { name: 'noisy.csv', sha256: await sha256Hex(utf8(t)), columns, rows: 50 };
  }

  it('accepts the exact file', async () => {
    await expect(verifySuppliedFile(await missingFor(text), utf8(text))).resolves.toBeUndefined();
  });

  it('names missing and unexpected columns', async () => {
    const m = await missingFor(text);
    const renamed = text.replace('a,b,c,d,label', 'a,b,c,e,label');
    const e = await failure(verifySuppliedFile(m, utf8(renamed)));
    expect(e.code).toBe('INVALID_INPUT');
    expect(e.message).toContain('lacks the column(s) “d”');
    expect(e.message).toContain('does not expect: “e”');
    expect(e.message).toContain('“noisy.csv”');
    expect(e.details.join('\n')).toContain(m.sha256);
  });

  it('names a different column order, and a same-header file with other content', async () => {
    const m = await missingFor(text);
    const swapped = text.replace('a,b,c,d,label', 'b,a,c,d,label');
    expect((await failure(verifySuppliedFile(m, utf8(swapped)))).message).toContain('different order');
    const edited = text.replace(/\n0\.\d/, '\n9.9');
    expect(edited).not.toBe(text);
    expect((await failure(verifySuppliedFile(m, utf8(edited)))).message).toContain('content differs');
  });

  it('says a binary file is not a readable CSV', async () => {
    const m = await missingFor(text);
    const e = await failure(verifySuppliedFile(m, Uint8Array.from([0xff, 0xd8, 0xff, 0x00, 0x80])));
    expect(e.message).toContain('not a CSV file');
  });

  it('reads a scikit-learn style header the way the importer does (iris)', async () => {
    const iris = fixture('iris.csv');
    const m = { name: 'iris.csv', sha256: '0'.repeat(64), columns: IRIS_COLUMNS, rows: 150 };
    expect((await failure(verifySuppliedFile(m, utf8(iris)))).message).toContain('content differs');
  });
});
