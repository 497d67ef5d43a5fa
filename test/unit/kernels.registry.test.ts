import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { KERNELS } from '../../src/engine/kernels/registry';

const SHADERS = join(import.meta.dirname, '../../shaders');

function wgslFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) =>
    d.isDirectory() ? wgslFiles(join(dir, d.name)) : d.name.endsWith('.wgsl') ? [join(dir, d.name)] : [],
  );
}

describe('kernel registry', () => {
  it('registers every .wgsl file in shaders/', () => {
    const used = new Set(Object.values(KERNELS).flatMap((k) => k.files));
    const unregistered = wgslFiles(SHADERS)
      .map((f) => relative(SHADERS, f))
      .filter((f) => !used.has(f));
    expect(unregistered).toEqual([]);
  });

  it('gives each entry file exactly one entry point and a header comment', () => {
    for (const k of Object.values(KERNELS)) {
      const entry = k.code.split('// ---- ').at(-1) ?? '';
      expect(entry.match(/@compute/g)?.length, k.name).toBe(1);
      expect(entry.split('\n')[1]).toMatch(/^\/\/ /);
    }
  });
});
