import { WorkbenchError } from '../../lib/errors';

/** Marker the kernel registry puts before each concatenated .wgsl file. */
export const FILE_MARKER = '// ---- ';

/** Maps a line of concatenated WGSL back to `file:line` using the registry's file markers. */
export function sourceLocation(code: string, lineNum: number, linePos: number): string {
  const lines = code.split('\n');
  for (let i = Math.min(lineNum, lines.length) - 1; i >= 0; i--) {
    const line = lines[i] ?? '';
    if (line.startsWith(FILE_MARKER))
      return `${line.slice(FILE_MARKER.length)}:${lineNum - i - 1}:${linePos}`;
  }
  return `${lineNum}:${linePos}`;
}

/** Formats compilation messages as `label (file:line:col) severity: message`. */
export function formatCompilationMessages(
  label: string,
  code: string,
  messages: readonly GPUCompilationMessage[],
): string[] {
  return messages.map(
    (m) => `${label} (${sourceLocation(code, m.lineNum, m.linePos)}) ${m.type}: ${m.message}`,
  );
}

/** Creates a shader module and throws SHADER_COMPILE with file:line:column details if WGSL has errors. */
export async function compileShader(
  device: GPUDevice,
  label: string,
  code: string,
): Promise<GPUShaderModule> {
  const module = device.createShaderModule({ label, code });
  const info = await module.getCompilationInfo();
  const errors = info.messages.filter((m) => m.type === 'error');
  if (errors.length > 0) {
    const details = formatCompilationMessages(label, code, errors);
    throw new WorkbenchError('SHADER_COMPILE', `WGSL failed to compile: ${details[0] ?? ''}`, details);
  }
  return module;
}
