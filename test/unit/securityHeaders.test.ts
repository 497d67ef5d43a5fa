import { describe, expect, it } from 'vitest';
import viteConfig from '../../vite.config';
import { CONTENT_SECURITY_POLICY, SECURITY_HEADERS } from '../../src/lib/securityHeaders';

describe('security headers', () => {
  it('allow only our scripts, wasm compilation, same-origin workers and no plugins', () => {
    const d = new Map(
      CONTENT_SECURITY_POLICY.split('; ').map((x) => [x.split(' ')[0], x.split(' ').slice(1)]),
    );
    expect(d.get('script-src')).toEqual(["'self'", "'wasm-unsafe-eval'"]);
    expect(d.get('worker-src')).toEqual(["'self'"]);
    expect(d.get('object-src')).toEqual(["'none'"]);
  });

  it('let remote inference reach https endpoints and plain http only on loopback', () => {
    const d = new Map(
      CONTENT_SECURITY_POLICY.split('; ').map((x) => [x.split(' ')[0], x.split(' ').slice(1)]),
    );
    expect(d.get('connect-src')).toEqual(["'self'", 'https:', 'http://localhost:*', 'http://127.0.0.1:*']);
    expect(d.get('connect-src')).not.toContain('http:');
    expect(d.get('connect-src')).not.toContain('*');
  });

  it('isolate cross-origin with COEP credentialless (threads, and no-cors probes for remote diagnostics)', () => {
    expect(SECURITY_HEADERS['Cross-Origin-Opener-Policy']).toBe('same-origin');
    expect(SECURITY_HEADERS['Cross-Origin-Embedder-Policy']).toBe('credentialless');
  });

  it('are what vite preview serves', () => {
    const config = viteConfig as { preview?: { headers?: Record<string, string> } };
    expect(config.preview?.headers).toEqual(SECURITY_HEADERS);
  });
});
