import type { RunRecord } from '../../engine/train/run';
import type { TrainBackend } from '../../engine/train/spec';

/** Okabe–Ito colours that stay distinct with common colour-vision deficiencies (and on white). */
export const PALETTE = {
  blue: '#0072B2',
  vermillion: '#D55E00',
  green: '#009E73',
  purple: '#CC79A7',
  orange: '#E69F00',
  black: '#000000',
} as const;

/** Dashes for the second series of a pair, so colour is never the only cue. */
export const DASHED = [6, 4] as const;

export const BACKEND_LABELS: Readonly<Record<TrainBackend, string>> = {
  webgpu: 'WebGPU',
  wasm: 'WASM',
  cpu: 'CPU',
};

export const num = (v: number, digits = 4): string =>
  Number.isFinite(v) ? Number(v.toFixed(digits)).toLocaleString('en-US') : '—';

export const pct = (v: number): string => (Number.isFinite(v) ? `${(v * 100).toFixed(1)}%` : '—');

export function formatBytes(n: number): string {
  if (n < 1024) return `${Math.round(n)} B`;
  if (n < 1024 ** 2) return `${(n / 1024).toFixed(1)} KiB`;
  if (n < 1024 ** 3) return `${(n / 1024 ** 2).toFixed(1)} MiB`;
  return `${(n / 1024 ** 3).toFixed(2)} GiB`;
}

/** A date and time, e.g. "29 Nov 2026, 08:48". */
export const when = (ms: number): string =>
  new Date(ms).toLocaleString('en-GB', { dateStyle: 'medium', timeStyle: 'short' });

/** A run's headline test figure: accuracy (classification) or RMSE (regression). */
export function headline(r: RunRecord): string {
  const e = r.evaluation;
  if (e === null) return '—';
  return e.kind === 'classification' ? `accuracy ${pct(e.accuracy)}` : `RMSE ${num(e.rmse)}`;
}

/** A config as dotted paths → values, e.g. 'model.hidden.0.units' → '16', for summaries and diffs. */
export function flattenConfig(value: unknown, prefix = ''): Record<string, string> {
  if (value === null || typeof value !== 'object') {
    const text = value === null ? 'none' : typeof value === 'string' ? value : JSON.stringify(value);
    return { [prefix]: text ?? 'none' };
  }
  const out: Record<string, string> = {};
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length === 0) out[prefix] = Array.isArray(value) ? '[]' : '{}';
  for (const [k, v] of entries) Object.assign(out, flattenConfig(v, prefix === '' ? k : `${prefix}.${k}`));
  return out;
}

/** The fields where two configs differ: [path, a's value, b's value] ('—': absent). */
export function configDiff(a: unknown, b: unknown): [string, string, string][] {
  const fa = flattenConfig(a);
  const fb = flattenConfig(b);
  const keys = [...new Set([...Object.keys(fa), ...Object.keys(fb)])].sort();
  return keys.filter((k) => fa[k] !== fb[k]).map((k) => [k, fa[k] ?? '—', fb[k] ?? '—']);
}

/** A short description of a run's model, e.g. "MLP 16 relu → 8 tanh". */
export function modelSummary(r: RunRecord): string {
  const m = r.config.model;
  const dense = (ls: readonly { units: number; activation: string }[]): string =>
    ls.map((l) => `${l.units} ${l.activation}`).join(' → ');
  switch (m.kind) {
    case 'linear':
      return 'Linear';
    case 'logistic':
      return 'Logistic';
    case 'mlp':
      return m.hidden.length === 0 ? 'MLP (no hidden layers)' : `MLP ${dense(m.hidden)}`;
    case 'cnn':
      return `CNN ${m.conv.map((c) => `conv ${c.filters}×${c.kernel}/${c.pool}`).join(' → ')}${m.dense.length > 0 ? ` → ${dense(m.dense)}` : ''}`;
  }
}
