/** The data-egress ledger: what left the browser, to where (tensor names, datatypes, shapes, bytes, attempts). */

export interface EgressTensor {
  readonly name: string;
  readonly datatype: string;
  readonly shape: readonly number[];
  /** Payload bytes of this tensor (raw size; JSON text is larger, counted in bodyBytes). */
  readonly bytes: number;
}

export interface EgressEntry {
  readonly at: number;
  /** Destination origin and path (never the token). */
  readonly origin: string;
  readonly path: string;
  readonly transport: 'json' | 'binary';
  readonly tensors: readonly EgressTensor[];
  /** Request body bytes per attempt. */
  readonly bodyBytes: number;
  /** Times the body was sent (retries resend it). */
  readonly sends: number;
  readonly outcome: string;
}

export class EgressLedger {
  private readonly items: EgressEntry[] = [];
  private readonly listeners = new Set<() => void>();
  /** Bumped on every change (a snapshot key for React's useSyncExternalStore). */
  version = 0;

  constructor(readonly limit = 500) {}

  record(e: EgressEntry): void {
    this.version++;
    this.items.push(e);
    if (this.items.length > this.limit) this.items.splice(0, this.items.length - this.limit);
    for (const fn of this.listeners) fn();
  }

  entries(): readonly EgressEntry[] {
    return [...this.items];
  }

  /** Totals per destination origin: calls, body bytes sent (all attempts), tensor values sent. */
  totals(): { origin: string; calls: number; bytesSent: number; tensorsSent: number }[] {
    const m = new Map<string, { origin: string; calls: number; bytesSent: number; tensorsSent: number }>();
    for (const e of this.items) {
      const t = m.get(e.origin) ?? { origin: e.origin, calls: 0, bytesSent: 0, tensorsSent: 0 };
      t.calls++;
      t.bytesSent += e.bodyBytes * e.sends;
      t.tensorsSent += e.tensors.length * e.sends;
      m.set(e.origin, t);
    }
    return [...m.values()];
  }

  clear(): void {
    this.version++;
    this.items.length = 0;
    for (const fn of this.listeners) fn();
  }

  subscribe(fn: () => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }
}
