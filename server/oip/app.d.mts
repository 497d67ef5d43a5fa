/** Types of the reference server's module, for the TypeScript tests that start it in-process. */
import type { Server } from 'node:http';

export const SERVER_NAME: string;
export const SERVER_VERSION: string;
export const MAX_BODY_BYTES: number;

export interface OipServerOptions {
  /** Folder whose .onnx files are served, each as a model named after its file stem. */
  modelsDir: string;
  /** Origins allowed by CORS ('*' for any); none: no CORS headers at all. */
  corsOrigins?: string[];
  /** A bearer token every request but CORS preflights must carry. */
  token?: string | undefined;
  log?: (line: string) => void;
}

export function createOipServer(
  opts: OipServerOptions,
): Promise<{ server: Server; models: Map<string, unknown> }>;
