import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { SECURITY_HEADERS } from '../src/lib/securityHeaders.ts';

/** The benchmark page: its own build (dist-bench/), served with the app's production headers and CSP. */
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  publicDir: false,
  worker: { format: 'es' },
  build: { outDir: '../dist-bench', emptyOutDir: true, target: 'es2022', sourcemap: true },
  preview: { port: 4327, strictPort: true, headers: { ...SECURITY_HEADERS } },
  logLevel: 'warn',
});
