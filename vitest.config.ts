import { existsSync } from 'node:fs';
import { defineConfig } from 'vitest/config';

// Node WebGPU (Dawn) runs on SwiftShader's Vulkan ICD shipped with Debian's Chromium. Forked test
// processes inherit these variables at start, which is when the dynamic loader reads them.
const chromiumLib = process.env.WORKBENCH_VK_LIB_DIR ?? '/usr/lib/chromium';
const icd = `${chromiumLib}/vk_swiftshader_icd.json`;
if (process.env.VK_ICD_FILENAMES === undefined && existsSync(icd)) {
  process.env.VK_ICD_FILENAMES = icd;
  process.env.LD_LIBRARY_PATH = [chromiumLib, process.env.LD_LIBRARY_PATH].filter(Boolean).join(':');
}

export default defineConfig({
  test: {
    pool: 'forks',
    projects: [
      { extends: true, test: { name: 'unit', include: ['test/unit/**/*.test.ts'] } },
      {
        extends: true,
        test: { name: 'gpu', include: ['test/gpu/**/*.test.ts'], testTimeout: 120_000, hookTimeout: 60_000 },
      },
    ],
  },
});
