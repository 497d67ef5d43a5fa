import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { DEV_HEADERS, SECURITY_HEADERS } from './src/lib/securityHeaders.ts';

export default defineConfig({
  plugins: [react()],
  server: { port: 5173, headers: { ...DEV_HEADERS } },
  preview: { port: 4173, strictPort: false, headers: { ...SECURITY_HEADERS } },
  // onnxruntime-web: its bundled builds find their .wasm with new URL(..., import.meta.url), which Vite emits
  // as an asset served by the app itself (no CDN); pre-bundling would break that URL in dev.
  optimizeDeps: { exclude: ['onnxruntime-web'] },
  worker: { format: 'es' },
  build: { target: 'es2022', sourcemap: true },
});
