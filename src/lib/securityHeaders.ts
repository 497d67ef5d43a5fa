/**
 * Headers the preview/production server sends. COOP/COEP give cross-origin isolation (threads for
 * onnxruntime-web); the CSP allows only our own scripts and workers, plus WebAssembly compilation.
 * COEP is `credentialless`, not `require-corp`: both give cross-origin isolation (threads) in Chromium and
 * Firefox, but only credentialless lets the remote-endpoint test send a no-cors probe, which tells "CORS not
 * configured" apart from "unreachable" (docs/remote.md).
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "worker-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "img-src 'self' data: blob:",
  "media-src 'self' blob:",
  "style-src 'self'",
  // Remote inference (docs/remote.md): any https endpoint, plain http only on this machine.
  "connect-src 'self' https: http://localhost:* http://127.0.0.1:*",
].join('; ');

/** Headers for `vite preview` and any static host of the build. */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'credentialless',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
};

/** The dev server keeps isolation but not the CSP: Vite's dev client injects inline scripts. */
export const DEV_HEADERS: Readonly<Record<string, string>> = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'credentialless',
};
