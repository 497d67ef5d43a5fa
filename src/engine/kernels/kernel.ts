import type { KernelSource } from '../gpu/pipelineCache';
import { FILE_MARKER } from '../gpu/shader';

/** A registered kernel: its WGSL files (snippets first, entry file last) and entry point. */
export interface KernelEntry extends KernelSource {
  /** Paths of the .wgsl files it is built from, relative to shaders/. */
  readonly files: readonly string[];
}

/** Builds an entry from its files (snippets first). */
export function kernel(name: string, files: readonly [string, string][]): KernelEntry {
  return {
    name,
    entryPoint: 'main',
    files: files.map(([path]) => path),
    code: files.map(([path, text]) => `${FILE_MARKER}${path}\n${text}`).join('\n'),
  };
}
