import { unzipSync, zipSync } from 'fflate';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { WorkbenchError } from '../../src/lib/errors';
import type { Project } from '../../src/engine/project/format';
import { sha256Hex } from '../../src/engine/project/hash';
import { loadProject } from '../../src/engine/project/load';
import {
  MANIFEST_JSON,
  PROJECT_JSON,
  readProjectFile,
  unsafePathReason,
  writeProjectFile,
} from '../../src/engine/project/projectFile';

const fixtures = join(import.meta.dirname, '../fixtures');
const penguins = new Uint8Array(readFileSync(join(fixtures, 'data/penguins.csv')));
const onnx = new Uint8Array(readFileSync(join(fixtures, 'onnx/gemm_all_attributes.onnx')));
const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);

async function project(): Promise<Project> {
  return loadProject({
    format: 'webgpu-workbench/project',
    version: 1,
    name: 'Penguins, trained',
    cells: [
      { id: 'intro', kind: 'markdown', text: '# Penguins' },
      {
        id: 'data',
        kind: 'dataset',
        source: { path: 'data/penguins.csv', sha256: await sha256Hex(penguins) },
        target: 'species',
      },
      { id: 'fit', kind: 'train', input: 'data', target: 'species', epochs: 5 },
      { id: 'out', kind: 'export', model: 'fit', onnx: 'model.onnx' },
      { id: 'run', kind: 'infer', model: { path: 'models/model.onnx' }, batch: { dataset: 'data' } },
    ],
  });
}

const files = [
  { path: 'data/penguins.csv', bytes: penguins },
  { path: 'models/model.onnx', bytes: onnx },
  { path: 'data/notes/readme.txt', bytes: utf8('hello') },
];

async function failure(p: Promise<unknown>): Promise<WorkbenchError> {
  const e = await p.then(
    () => null,
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(WorkbenchError);
  return e as WorkbenchError;
}

/** [start, end) of every entry's stored data, from the local file headers. */
function dataRanges(zip: Uint8Array): [number, number][] {
  const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  const out: [number, number][] = [];
  let o = 0;
  while (view.getUint32(o, true) === 0x04034b50) {
    const size = view.getUint32(o + 18, true);
    const start = o + 30 + view.getUint16(o + 26, true) + view.getUint16(o + 28, true);
    out.push([start, start + size]);
    o = start + size;
  }
  return out;
}

/** The entries of a written file, to rebuild doctored variants of it. */
function entriesOf(zip: Uint8Array): Record<string, Uint8Array> {
  return unzipSync(zip);
}

describe('project: project files', () => {
  it('round-trips the project and every file, identical by hash', async () => {
    const p = await project();
    const zip = await writeProjectFile(p, files);
    const back = await readProjectFile(zip);
    expect(back.project).toEqual(p);
    expect([...back.files.keys()].sort()).toEqual(files.map((f) => f.path).sort());
    for (const f of files) {
      expect(await sha256Hex(back.files.get(f.path)!)).toBe(await sha256Hex(f.bytes));
    }
  });

  it('writes a manifest with the SHA-256 and size of every entry, and the same bytes every time', async () => {
    const p = await project();
    const zip = await writeProjectFile(p, files);
    const entries = entriesOf(zip);
    const manifest = JSON.parse(new TextDecoder().decode(entries[MANIFEST_JSON])) as {
      format: string;
      files: Record<string, { sha256: string; bytes: number }>;
    };
    expect(manifest.format).toBe('webgpu-workbench/project-file');
    expect(Object.keys(manifest.files).sort()).toEqual([PROJECT_JSON, ...files.map((f) => f.path)].sort());
    expect(manifest.files['models/model.onnx']).toEqual({
      sha256: await sha256Hex(onnx),
      bytes: onnx.length,
    });
    expect(await writeProjectFile(p, files)).toEqual(zip);
  });

  it('refuses to write unsafe or duplicate names, or a project missing a file it reads', async () => {
    const p = await project();
    for (const bad of ['../x', '/etc/x', 'C:/x', 'a\\b', 'data//x', './x', 'a/../b', '']) {
      const e = await failure(writeProjectFile(p, [...files, { path: bad, bytes: utf8('x') }]));
      expect(e.code).toBe('INVALID_INPUT');
    }
    expect((await failure(writeProjectFile(p, [...files, files[0]!]))).message).toMatch(/twice/);
    expect(
      (await failure(writeProjectFile(p, [...files, { path: MANIFEST_JSON, bytes: utf8('{}') }]))).code,
    ).toBe('INVALID_INPUT');
    const lacking = await failure(writeProjectFile(p, files.slice(1)));
    expect(lacking.message).toContain('“data/penguins.csv”');
    const other = files.map((f) =>
      f.path === 'data/penguins.csv' ? { ...f, bytes: utf8('a,b\n1,2\n') } : f,
    );
    expect((await failure(writeProjectFile(p, other))).message).toMatch(/SHA-256/);
  });

  it('refuses entry names that escape the folder (traversal), before reading any data', async () => {
    const zip = await writeProjectFile(await project(), files);
    const good = entriesOf(zip);
    for (const bad of [
      '../evil.sh',
      '/etc/passwd',
      'data/../../evil',
      'C:\\Windows\\x',
      'C:/x',
      'data\\..\\x',
    ]) {
      const doctored = zipSync({ ...good, [bad]: utf8('pwned') });
      const e = await failure(readProjectFile(doctored));
      expect(e.code).toBe('INVALID_INPUT');
      expect(e.message).toContain(bad);
    }
  });

  it('refuses a truncated, damaged or non-zip file with a clear PARSE_ERROR', async () => {
    const zip = await writeProjectFile(await project(), files);
    const truncated = zip.slice(0, Math.floor(zip.length / 2));
    expect((await failure(readProjectFile(truncated))).code).toBe('PARSE_ERROR');
    expect((await failure(readProjectFile(utf8('{"format": "webgpu-workbench/project"}')))).message).toMatch(
      /not a zip/,
    );
    expect((await failure(readProjectFile(new Uint8Array(0)))).code).toBe('PARSE_ERROR');
    // Flip bytes inside each entry's compressed data (fflate does not check CRCs): inflation or the
    // manifest hash must catch it.
    const ranges = dataRanges(zip);
    expect(ranges.length).toBe(5);
    for (const [start, end] of ranges) {
      for (const at of [0.3, 0.7]) {
        const damaged = zip.slice();
        const i = start + Math.floor((end - start) * at);
        damaged[i] = damaged[i]! ^ 0xff;
        const e = await failure(readProjectFile(damaged));
        expect(['PARSE_ERROR', 'INVALID_INPUT']).toContain(e.code);
      }
    }
  });

  it('refuses content that does not match the manifest, unlisted entries and listed-but-absent ones', async () => {
    const zip = await writeProjectFile(await project(), files);
    const good = entriesOf(zip);
    const altered = zipSync({ ...good, 'models/model.onnx': onnx.map((b, i) => (i === 40 ? b ^ 1 : b)) });
    expect((await failure(readProjectFile(altered))).message).toContain('does not match its manifest hash');
    const extra = zipSync({ ...good, 'data/extra.csv': utf8('x\n1\n') });
    expect((await failure(readProjectFile(extra))).message).toContain('not listed in its manifest');
    const { ['data/notes/readme.txt']: _dropped, ...rest } = good;
    expect(_dropped).toBeDefined();
    expect((await failure(readProjectFile(zipSync(rest)))).message).toContain('is missing');
    const { [MANIFEST_JSON]: _m, ...noManifest } = good;
    expect(_m).toBeDefined();
    expect((await failure(readProjectFile(zipSync(noManifest)))).message).toContain('no manifest.json');
  });

  it('refuses a project.json that fails the schema even with a consistent manifest', async () => {
    const doc = JSON.stringify({
      format: 'webgpu-workbench/project',
      version: 1,
      name: 'x',
      cells: [],
      token: 't',
    });
    const json = utf8(doc);
    const manifest = {
      format: 'webgpu-workbench/project-file',
      version: 1,
      files: { [PROJECT_JSON]: { sha256: await sha256Hex(json), bytes: json.length } },
    };
    const zip = zipSync({ [PROJECT_JSON]: json, [MANIFEST_JSON]: utf8(JSON.stringify(manifest)) });
    const e = await failure(readProjectFile(zip));
    expect(e.code).toBe('INVALID_INPUT');
    expect(e.message).toContain('unknown field “token”');
  });

  it('caps the number of entries and the expanded size', async () => {
    const zip = await writeProjectFile(await project(), files);
    expect((await failure(readProjectFile(zip, { maxEntries: 3 }))).message).toMatch(/more than 3 entries/);
    expect((await failure(readProjectFile(zip, { maxExpandedBytes: 4096 }))).message).toMatch(
      /expands to more/,
    );
    await expect(readProjectFile(zip, { maxEntries: 5, maxExpandedBytes: 64 * 1024 })).resolves.toBeDefined();
  });

  it('does not trust sizes the zip declares: a falsified size still fails cleanly', async () => {
    const zip = await writeProjectFile(await project(), files);
    // Patch the central directory's uncompressed size of data/penguins.csv down to 100 bytes.
    const name = utf8('data/penguins.csv');
    const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
    let patched = false;
    for (let i = 0; i + 46 < zip.length; i++) {
      if (view.getUint32(i, true) !== 0x02014b50) continue;
      const len = view.getUint16(i + 28, true);
      if (len === name.length && zip.subarray(i + 46, i + 46 + len).every((b, k) => b === name[k])) {
        view.setUint32(i + 24, 100, true);
        patched = true;
      }
    }
    expect(patched).toBe(true);
    const e = await failure(readProjectFile(zip));
    expect(['PARSE_ERROR', 'INVALID_INPUT']).toContain(e.code);
  });

  it('names the reason an entry path is unsafe', () => {
    expect(unsafePathReason('data/penguins.csv')).toBeNull();
    expect(unsafePathReason('models/a.b-c_d.onnx')).toBeNull();
    expect(unsafePathReason('../x')).toMatch(/\.\./);
    expect(unsafePathReason('/x')).toMatch(/absolute/);
    expect(unsafePathReason('D:x')).toMatch(/drive/);
    expect(unsafePathReason('a\u0000b')).toMatch(/control/);
  });
});
