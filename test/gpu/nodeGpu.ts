import { create, globals } from 'webgpu';
import { expect } from 'vitest';
import { GpuContext, type GpuContextOptions, type GpuEvent } from '../../src/engine/gpu/context';

Object.assign(globalThis, globals);

/** The adapter architecture GPU tests must see; contributors with real GPUs set their own (or ''). */
export const EXPECTED_ARCH = process.env.WORKBENCH_EXPECT_ARCH ?? 'swiftshader';

/** Node's WebGPU entry point (Dawn). */
export const nodeGpu: GPU = create([]);

/** A GpuContext on Node WebGPU that records events and fails on uncaptured GPU errors. */
export function testContext(options: Omit<GpuContextOptions, 'onEvent'> = {}): {
  ctx: GpuContext;
  events: GpuEvent[];
} {
  const events: GpuEvent[] = [];
  const ctx = new GpuContext(nodeGpu, { ...options, onEvent: (e) => events.push(e) });
  return { ctx, events };
}

/** Asserts a session runs on the expected adapter, so a silent fallback cannot pass. */
export function expectExpectedAdapter(architecture: string): void {
  if (EXPECTED_ARCH !== '') expect(architecture).toBe(EXPECTED_ARCH);
}

/** Uncaptured GPU errors among events: every GPU test asserts there are none. */
export function uncaptured(events: readonly GpuEvent[]): GpuEvent[] {
  return events.filter((e) => e.type === 'uncaptured-error');
}
