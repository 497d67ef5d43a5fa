/** Typed error codes: they survive the worker hop and map to a user-facing message. */
export type ErrorCode =
  | 'GPU_UNAVAILABLE'
  | 'GPU_DEVICE_LOST'
  | 'GPU_LIMIT'
  | 'GPU_VALIDATION'
  | 'GPU_OUT_OF_MEMORY'
  | 'SHADER_COMPILE'
  | 'PARSE_ERROR'
  | 'INVALID_INPUT'
  | 'QUOTA_EXCEEDED'
  | 'MODEL_REJECTED'
  | 'REMOTE_UNAVAILABLE'
  | 'CANCELLED'
  | 'STORAGE_UNAVAILABLE'
  | 'INTERNAL';

/** Plain-data form of a WorkbenchError, as it crosses postMessage. */
export interface SerializedError {
  readonly name: string;
  readonly code: ErrorCode;
  readonly message: string;
  readonly details?: readonly string[];
}

/** Base of every expected failure: a code, a message a user can act on, optional details. */
export class WorkbenchError extends Error {
  readonly code: ErrorCode;
  readonly details: readonly string[];

  constructor(code: ErrorCode, message: string, details: readonly string[] = []) {
    super(message);
    this.name = 'WorkbenchError';
    this.code = code;
    this.details = details;
  }

  toJSON(): SerializedError {
    return { name: this.name, code: this.code, message: this.message, details: this.details };
  }
}

/** Turns anything thrown into a WorkbenchError, keeping codes that are already there. */
export function toWorkbenchError(e: unknown): WorkbenchError {
  if (e instanceof WorkbenchError) return e;
  if (isSerializedError(e)) return new WorkbenchError(e.code, e.message, e.details ?? []);
  if (e instanceof Error) return new WorkbenchError('INTERNAL', `${e.name}: ${e.message}`);
  return new WorkbenchError('INTERNAL', String(e));
}

/** True for the plain-data shape produced by WorkbenchError.toJSON. */
export function isSerializedError(v: unknown): v is SerializedError {
  if (typeof v !== 'object' || v === null) return false;
  const r = v as Record<string, unknown>;
  return typeof r.code === 'string' && typeof r.message === 'string' && r.code in USER_MESSAGES;
}

/** What the user should do about each code; shown under the error's own message. */
export const USER_MESSAGES: Readonly<Record<ErrorCode, string>> = {
  GPU_UNAVAILABLE: 'WebGPU is not available in this browser; work runs on the CPU instead.',
  GPU_DEVICE_LOST:
    'The GPU was lost (driver reset or crash). Retry; if it keeps happening, work runs on the CPU.',
  GPU_LIMIT: 'The job does not fit this GPU’s limits. Use fewer rows or columns, or the CPU backend.',
  GPU_VALIDATION: 'The GPU rejected a command. This is a bug in the workbench; please report it.',
  GPU_OUT_OF_MEMORY: 'The GPU ran out of memory. Close other GPU-heavy tabs or use a smaller data set.',
  SHADER_COMPILE: 'A GPU shader failed to compile. This is a bug in the workbench; please report it.',
  PARSE_ERROR: 'The file could not be read. Check its format; nothing was stored.',
  INVALID_INPUT: 'The input does not have the expected shape.',
  QUOTA_EXCEEDED: 'Browser storage is full. Free space or export your projects; nothing was lost.',
  MODEL_REJECTED: 'The model file was rejected as invalid or unsupported.',
  REMOTE_UNAVAILABLE: 'The remote server could not be reached. Work continues locally.',
  CANCELLED: 'Cancelled at your request; nothing was changed.',
  STORAGE_UNAVAILABLE:
    'Browser storage could not be opened. Export what can be read, or reset the workbench’s storage.',
  INTERNAL: 'Something unexpected went wrong. Please report it.',
};
