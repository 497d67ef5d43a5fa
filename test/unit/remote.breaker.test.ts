import { describe, expect, it } from 'vitest';
import { CircuitBreaker } from '../../src/engine/remote/breaker';

describe('remote: circuit breaker', () => {
  it('opens after N consecutive failures, half-opens after T, closes on a successful trial', () => {
    let now = 0;
    const b = new CircuitBreaker(3, 10_000, () => now);
    expect(b.state()).toBe('closed');
    b.failure();
    b.failure();
    expect(b.state()).toBe('closed');
    expect(b.allow()).toBe(true);
    b.failure();
    expect(b.state()).toBe('open');
    expect(b.allow()).toBe(false);
    now = 4000;
    expect(b.retryInMs()).toBe(6000);
    now = 10_000;
    expect(b.state()).toBe('half-open');
    expect(b.allow()).toBe(true); // the one trial
    expect(b.allow()).toBe(false); // no second trial meanwhile
    b.success();
    expect(b.state()).toBe('closed');
    expect(b.consecutiveFailures).toBe(0);
  });

  it('a failed trial reopens it for another T; a success in between resets the count', () => {
    let now = 0;
    const b = new CircuitBreaker(2, 1000, () => now);
    b.failure();
    b.success();
    b.failure();
    expect(b.state()).toBe('closed');
    b.failure();
    expect(b.state()).toBe('open');
    now = 1000;
    expect(b.allow()).toBe(true);
    b.failure();
    expect(b.state()).toBe('open');
    now = 1999;
    expect(b.state()).toBe('open');
    now = 2000;
    expect(b.state()).toBe('half-open');
  });

  it('a cancelled trial frees the half-open slot; listeners hear every change', () => {
    let now = 0;
    const b = new CircuitBreaker(1, 10, () => now);
    let heard = 0;
    b.subscribe(() => heard++);
    b.failure();
    now = 10;
    expect(b.allow()).toBe(true);
    b.release();
    expect(b.allow()).toBe(true);
    b.reset();
    expect(b.state()).toBe('closed');
    expect(heard).toBe(2);
  });
});
