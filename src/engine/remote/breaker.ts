/**
 * A circuit breaker: after `threshold` consecutive failures it opens for `openMs`, during which calls are
 * refused (auto-routing runs locally); then one trial call is let through (half-open): success closes it,
 * failure opens it again.
 */
export type BreakerState = 'closed' | 'open' | 'half-open';

export class CircuitBreaker {
  private failures = 0;
  private openedAt: number | null = null;
  private trialInFlight = false;
  private readonly listeners = new Set<() => void>();

  constructor(
    readonly threshold = 3,
    readonly openMs = 30_000,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** The state now (open turns half-open once `openMs` has passed). */
  state(): BreakerState {
    if (this.openedAt === null) return 'closed';
    return this.now() - this.openedAt >= this.openMs ? 'half-open' : 'open';
  }

  /** Consecutive failures counted so far. */
  get consecutiveFailures(): number {
    return this.failures;
  }

  /** Milliseconds until an open breaker lets a trial through (0 when not open). */
  retryInMs(): number {
    return this.state() === 'open' ? this.openMs - (this.now() - this.openedAt!) : 0;
  }

  /** Whether a call may go out now; in half-open, only one trial at a time. */
  allow(): boolean {
    const s = this.state();
    if (s === 'closed') return true;
    if (s === 'open' || this.trialInFlight) return false;
    this.trialInFlight = true;
    return true;
  }

  success(): void {
    this.failures = 0;
    this.openedAt = null;
    this.trialInFlight = false;
    this.emit();
  }

  failure(): void {
    this.failures++;
    const wasTrial = this.trialInFlight;
    this.trialInFlight = false;
    if (wasTrial || this.failures >= this.threshold) this.openedAt = this.now();
    this.emit();
  }

  /** Ends a trial that was cancelled (neither success nor failure). */
  release(): void {
    this.trialInFlight = false;
  }

  reset(): void {
    this.success();
  }

  subscribe(fn: () => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  private emit(): void {
    for (const fn of this.listeners) fn();
  }
}
