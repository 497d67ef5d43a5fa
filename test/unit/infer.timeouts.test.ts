import { afterEach, describe, expect, it } from 'vitest';
import { LOAD_TIMEOUT_MS, RUN_TIMEOUT_MS, timeoutFor } from '../../src/engine/infer/timeouts';

const g = globalThis as { window?: { __WORKBENCH_INFER_TIMEOUT_MS__?: unknown } };

describe('timeoutFor', () => {
  afterEach(() => {
    delete g.window;
  });

  it('the defaults without a window or without the override', () => {
    expect(timeoutFor('load')).toBe(LOAD_TIMEOUT_MS);
    expect(timeoutFor('run')).toBe(RUN_TIMEOUT_MS);
    g.window = {};
    expect([timeoutFor('load'), timeoutFor('run')]).toEqual([120_000, 60_000]);
  });

  it('a number replaces both; an object only the kinds it names', () => {
    g.window = { __WORKBENCH_INFER_TIMEOUT_MS__: 2500 };
    expect([timeoutFor('load'), timeoutFor('run')]).toEqual([2500, 2500]);
    g.window = { __WORKBENCH_INFER_TIMEOUT_MS__: { run: 3000 } };
    expect([timeoutFor('load'), timeoutFor('run')]).toEqual([120_000, 3000]);
  });

  it('ignores nonsense overrides', () => {
    for (const v of [0, -5, Number.NaN, Infinity, '100', null, { run: -1 }]) {
      g.window = { __WORKBENCH_INFER_TIMEOUT_MS__: v };
      expect([timeoutFor('load'), timeoutFor('run')]).toEqual([120_000, 60_000]);
    }
  });
});
