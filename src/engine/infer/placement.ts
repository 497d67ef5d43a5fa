/**
 * Where onnxruntime-web put a session's nodes. On WebGPU it silently runs the nodes its WebGPU EP cannot take
 * on the CPU EP; it says so only in its session log. With a session log severity of 0 (verbose),
 * `SessionState::VerifyEachNodeIsAssignedToAnEp` writes, once per graph (subgraphs included):
 *
 *     [V:onnxruntime:, session_state.cc:1377 VerifyEachNodeIsAssignedToAnEp] Node placements
 *     [V:onnxruntime:, session_state.cc:1380 VerifyEachNodeIsAssignedToAnEp]  All nodes placed on [WebGpuExecutionProvider]. Number of nodes: 1
 *
 * or, when more than one EP got nodes, a group per EP followed by one `  OpType (node name)` line per node:
 *
 *     ...]  Node(s) placed on [CPUExecutionProvider]. Number of nodes: 2
 *     ...]   Sigmoid (sig0)
 *
 * The WASM module prints each log line with console.error (bound when the module starts), so the inference
 * worker taps the console (`tapOrtLog`) before onnxruntime starts and parses the lines (`parsePlacement`).
 * The counts are of the optimised graph that runs (fused nodes count once), not of the file's nodes.
 */

export interface Placement {
  /** Nodes on the WebGPU EP (copies between devices that onnxruntime inserted left out). */
  readonly onWebgpu: number;
  /** All nodes of the optimised graph(s), inserted copies left out. */
  readonly total: number;
  /**
   * Op types of the nodes not on WebGPU, one entry per node. When onnxruntime only says "All nodes placed on
   * [CPUExecutionProvider]" it lists no nodes; then these are the op types the WebGPU EP found no kernel for.
   */
  readonly cpuNodes: readonly string[];
}

/** Names onnxruntime-web gives its WebGPU EP: the native one (1.2x+) and the older JSEP one. */
const WEBGPU_EPS: ReadonlySet<string> = new Set(['WebGpuExecutionProvider', 'JsExecutionProvider']);
/** Nodes onnxruntime adds itself to move tensors between the EPs' devices. */
const COPY_OPS: ReadonlySet<string> = new Set(['MemcpyToHost', 'MemcpyFromHost']);

// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;]*m/g;
/** `<date> <time> [S:onnxruntime:<logid>, <file>:<line> <function>] <message>` */
const RECORD = /\[([VIWEF]):onnxruntime:[^\]]*\] (.*)$/;
const GROUP = /^\s*(All nodes|Node\(s\)) placed on \[([^\]]+)\]\. Number of nodes: (\d+)\s*$/;
const NODE = /^ {2}(\S+) \((.*)\)\s*$/;
/** The WebGPU EP's GetCapability, at info level, for each node it cannot take. */
const NO_KERNEL = /kernel not found in registries for Op type: (\S+) node name:/;

/** An onnxruntime log record: its severity letter and message, or null for any other console line. */
export function ortRecord(line: string): { severity: string; message: string } | null {
  const m = RECORD.exec(line.replace(ANSI, ''));
  return m === null ? null : { severity: m[1]!, message: m[2]! };
}

interface Group {
  readonly ep: string;
  readonly declared: number;
  readonly ops: string[];
}

/**
 * The placement summed over every "Node placements" block in the log lines, or null when there is none (the
 * session was not verbose, or the log format changed).
 */
export function parsePlacement(lines: readonly string[]): Placement | null {
  const groups: Group[] = [];
  const noKernel: string[] = [];
  let inBlock = false;
  let current: Group | null = null;
  for (const line of lines) {
    const rec = ortRecord(line);
    if (rec === null) continue;
    const k = NO_KERNEL.exec(rec.message);
    if (k !== null && !noKernel.includes(k[1]!)) noKernel.push(k[1]!);
    if (rec.message.trim() === 'Node placements') {
      inBlock = true;
      current = null;
      continue;
    }
    if (!inBlock) continue;
    const g = GROUP.exec(rec.message);
    if (g !== null) {
      current = { ep: g[2]!, declared: Number(g[3]), ops: [] };
      groups.push(current);
      continue;
    }
    const n = NODE.exec(rec.message);
    if (n !== null && current !== null) {
      current.ops.push(n[1]!);
      continue;
    }
    inBlock = false;
    current = null;
  }
  if (groups.length === 0) return null;
  let onWebgpu = 0;
  let total = 0;
  const cpuNodes: string[] = [];
  let unlisted = false;
  for (const g of groups) {
    // Trust the listed nodes when the log listed them all; else the declared count (copies unknown).
    const listed = g.ops.length === g.declared;
    const ops = listed ? g.ops.filter((op) => !COPY_OPS.has(op)) : [];
    const count = listed ? ops.length : g.declared;
    total += count;
    if (WEBGPU_EPS.has(g.ep)) onWebgpu += count;
    else if (listed) cpuNodes.push(...ops);
    else unlisted = true;
  }
  if (unlisted) cpuNodes.push(...noKernel.filter((op) => !cpuNodes.includes(op)));
  return { onWebgpu, total, cpuNodes };
}

type ConsoleMethod = 'log' | 'info' | 'warn' | 'error' | 'debug';
const METHODS: readonly ConsoleMethod[] = ['log', 'info', 'warn', 'error', 'debug'];

/** A console tap: collects onnxruntime's log lines while `capture` runs. */
export interface OrtLogTap {
  /** Runs `fn`, returning what it returned and the onnxruntime log lines printed meanwhile. */
  capture<T>(fn: () => Promise<T>): Promise<{ value: T; lines: string[] }>;
}

let installed: OrtLogTap | null = null;

/**
 * Wraps the worker's console once. onnxruntime's verbose and info records (which only a session created with
 * a verbose log severity prints, and which would flood the console on every run) are kept from the console
 * and collected while a capture is active; the warning that some nodes were not assigned to the preferred EP
 * is collected too, since the placement reports it. Everything else reaches the console as before. Must run
 * before onnxruntime's WASM module starts, which binds console.error when it does.
 */
export function tapOrtLog(target: Pick<Console, ConsoleMethod> = console): OrtLogTap {
  if (installed !== null && target === console) return installed;
  let sink: string[] | null = null;
  for (const method of METHODS) {
    const original = target[method].bind(target);
    target[method] = (...args: unknown[]): void => {
      const text = args.map(String).join(' ');
      const rec = ortRecord(text);
      const quiet =
        rec !== null &&
        (rec.severity === 'V' ||
          rec.severity === 'I' ||
          rec.message.startsWith('Some nodes were not assigned to the preferred execution providers'));
      if (sink !== null && rec !== null) sink.push(text);
      if (!quiet) original(...args);
    };
  }
  const tap: OrtLogTap = {
    async capture(fn) {
      const lines: string[] = [];
      sink = lines;
      try {
        return { value: await fn(), lines };
      } finally {
        sink = null;
      }
    },
  };
  if (target === console) installed = tap;
  return tap;
}
