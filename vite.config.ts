import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { DEV_HEADERS, SECURITY_HEADERS } from './src/lib/securityHeaders.ts';

export default defineConfig({
  plugins: [react()],
  server: { port: 5173, headers: { ...DEV_HEADERS } },
  preview: { port: 4173, strictPort: false, headers: { ...SECURITY_HEADERS } },
  worker: { format: 'es' },
  build: { target: 'es2022', sourcemap: true },
});
