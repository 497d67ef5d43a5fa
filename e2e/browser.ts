import type { LaunchOptions } from '@playwright/test';

/** The Chromium the tests drive: CHROMIUM_PATH, or Debian's. Never a downloaded browser. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Adapter architecture the WebGPU tests must see (SwiftShader on CI); set '' on real GPUs to skip. */
export const EXPECTED_ARCH = process.env.WORKBENCH_EXPECT_ARCH ?? 'swiftshader';

const BASE_ARGS = [
  '--no-sandbox',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** WebGPU on SwiftShader in headless mode, compute and canvas (see shared/design/TESTING.md). */
export const WEBGPU_ARGS = [
  ...BASE_ARGS,
  '--enable-unsafe-webgpu',
  '--enable-features=Vulkan',
  '--use-vulkan=swiftshader',
  '--use-angle=vulkan',
];

/** A fake camera (test pattern) and microphone (beeps), granted without a prompt. */
export const FAKE_MEDIA_ARGS = ['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream'];

/**
 * Launch options with or without WebGPU (without the flag, requestAdapter() returns null); `fakeMedia` adds a
 * fake camera and microphone (off by default).
 */
export function launchOptions(webgpu: boolean, opts: { fakeMedia?: boolean } = {}): LaunchOptions {
  const args = [...(webgpu ? WEBGPU_ARGS : BASE_ARGS), ...(opts.fakeMedia ? FAKE_MEDIA_ARGS : [])];
  return { executablePath: CHROMIUM_PATH, headless: true, args };
}
