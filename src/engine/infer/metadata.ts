/**
 * The model's `metadata_props` (ModelProto field 14), read without decoding the graph: the workbench's own
 * exports name their classes and task there (docs/onnx-contract.md). Unreadable bytes give no metadata.
 */
import $protobuf from 'protobufjs/minimal.js';
import { onnx } from '../deploy/onnx/generated/onnx.js';

const METADATA_PROPS = 14;

/** Key → value of the model's metadata_props; empty when there are none or the bytes cannot be read. */
export function readMetadata(bytes: Uint8Array): Record<string, string> {
  const out: Record<string, string> = {};
  try {
    const r = $protobuf.Reader.create(bytes);
    while (r.pos < r.len) {
      const tag = r.uint32();
      if (tag >>> 3 === METADATA_PROPS && (tag & 7) === 2) {
        const e = onnx.StringStringEntryProto.decode(r, r.uint32());
        if (typeof e.key === 'string' && typeof e.value === 'string') out[e.key] = e.value;
      } else r.skipType(tag & 7);
    }
  } catch {
    return {};
  }
  return out;
}

/** What the workbench contract metadata says about a model (null fields when it is not one of ours). */
export interface ContractInfo {
  readonly task: string | null;
  readonly target: string | null;
  /** Class index → name, for a classifier exported by the workbench. */
  readonly classes: readonly string[] | null;
}

function stringList(text: string | undefined): string[] | null {
  if (text === undefined) return null;
  try {
    const v: unknown = JSON.parse(text);
    return Array.isArray(v) && v.every((x) => typeof x === 'string') ? v : null;
  } catch {
    return null;
  }
}

/** The contract fields of a model's metadata. */
export function contractInfo(bytes: Uint8Array): ContractInfo {
  const m = readMetadata(bytes);
  return {
    task: m['workbench.task'] ?? null,
    target: m['workbench.target'] ?? null,
    classes: stringList(m['workbench.classes']),
  };
}
