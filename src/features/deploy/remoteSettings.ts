/**
 * Remote-endpoint settings. The endpoint, model-name mapping and transport are not secret (localStorage).
 * The token is kept in memory unless the user ticks "remember"; then it goes to sessionStorage (this tab,
 * gone when it closes) under a key naming the endpoint's origin, so it is only ever offered to that origin.
 * It never goes to localStorage, IndexedDB shared state, a share link or the egress ledger.
 */
import type { Transport } from '../../engine/remote/oipClient';

export type TransportChoice = 'auto' | Transport;

export interface RemoteSettings {
  readonly endpoint: string;
  /** Local model id → remote model name (and optional version). */
  readonly mapping: Readonly<Record<string, { readonly name: string; readonly version: string }>>;
  readonly transport: TransportChoice;
}

const SETTINGS_KEY = 'workbench.remote.settings';
const TOKEN_PREFIX = 'workbench.remote.token:';
const memoryTokens = new Map<string, string>();

export const DEFAULT_SETTINGS: RemoteSettings = {
  endpoint: 'http://127.0.0.1:8000',
  mapping: {},
  transport: 'auto',
};

const originOf = (endpoint: string): string | null => {
  try {
    return new URL(endpoint).origin;
  } catch {
    return null;
  }
};

export function loadSettings(): RemoteSettings {
  try {
    const raw = localStorage.getItem(SETTINGS_KEY);
    if (raw === null) return DEFAULT_SETTINGS;
    const v = JSON.parse(raw) as Partial<RemoteSettings>;
    return {
      endpoint: typeof v.endpoint === 'string' ? v.endpoint : DEFAULT_SETTINGS.endpoint,
      mapping: typeof v.mapping === 'object' && v.mapping !== null ? v.mapping : {},
      transport: v.transport === 'json' || v.transport === 'binary' ? v.transport : 'auto',
    };
  } catch {
    return DEFAULT_SETTINGS;
  }
}

export function saveSettings(s: RemoteSettings): void {
  try {
    localStorage.setItem(SETTINGS_KEY, JSON.stringify(s));
  } catch {
    // Storage full or blocked: settings stay for this page only.
  }
}

/** The token for `endpoint`'s origin: remembered (sessionStorage) first, else this page's memory. */
export function loadToken(endpoint: string): { token: string; remembered: boolean } {
  const origin = originOf(endpoint);
  if (origin === null) return { token: '', remembered: false };
  let stored: string | null = null;
  try {
    stored = sessionStorage.getItem(TOKEN_PREFIX + origin);
  } catch {
    stored = null;
  }
  if (stored !== null) return { token: stored, remembered: true };
  return { token: memoryTokens.get(origin) ?? '', remembered: false };
}

/** Keeps the token for `endpoint`'s origin in memory, and in sessionStorage only when `remember`. */
export function storeToken(endpoint: string, token: string, remember: boolean): void {
  const origin = originOf(endpoint);
  if (origin === null) return;
  if (token === '') memoryTokens.delete(origin);
  else memoryTokens.set(origin, token);
  try {
    if (remember && token !== '') sessionStorage.setItem(TOKEN_PREFIX + origin, token);
    else sessionStorage.removeItem(TOKEN_PREFIX + origin);
  } catch {
    // sessionStorage blocked: the token stays in memory.
  }
}
