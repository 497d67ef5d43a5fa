import { defineConfig } from '@playwright/test';
import { launchOptions } from './e2e/browser';

const PORT = Number(process.env.E2E_PORT ?? 4317);
// Parallel local runs (one per worktree or helper) each build into their own folder: E2E_DIST=dist-x.
const DIST = process.env.E2E_DIST ?? 'dist';

export default defineConfig({
  testDir: 'e2e',
  timeout: 90_000,
  expect: { timeout: 30_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [['list']],
  use: { baseURL: `http://localhost:${PORT}`, trace: 'off' },
  webServer: {
    command: `npx vite preview --port ${PORT} --strictPort --outDir ${DIST}`,
    url: `http://localhost:${PORT}`,
    reuseExistingServer: false,
    timeout: 30_000,
  },
  projects: [
    { name: 'webgpu', testIgnore: /\.nogpu\.spec\.ts$/, use: { launchOptions: launchOptions(true) } },
    { name: 'no-webgpu', testMatch: /\.nogpu\.spec\.ts$/, use: { launchOptions: launchOptions(false) } },
  ],
});
