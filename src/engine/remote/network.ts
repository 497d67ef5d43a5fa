/** Classifies hosts and checks what the browser's own rules allow before any request is made. */

/** Loopback hosts: potentially trustworthy, so an https page may call them over http. */
export function isLoopback(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h.endsWith('.localhost') || h === '::1' || /^127\.\d+\.\d+\.\d+$/.test(h);
}

/** Private (RFC 1918, link-local, unique-local) or loopback addresses: the browser's "local network". */
export function isLocalNetwork(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (isLoopback(h)) return true;
  if (/^10\.\d+\.\d+\.\d+$/.test(h) || /^192\.168\.\d+\.\d+$/.test(h) || /^169\.254\.\d+\.\d+$/.test(h))
    return true;
  const m = /^172\.(\d+)\.\d+\.\d+$/.exec(h);
  if (m !== null && Number(m[1]) >= 16 && Number(m[1]) <= 31) return true;
  return /^f[cd][0-9a-f]{2}:/.test(h) || /^fe80:/.test(h) || h.endsWith('.local');
}

/** Hosts the CSP's connect-src lets the app reach over plain http (src/lib/securityHeaders.ts). */
export const CSP_HTTP_HOSTS: readonly string[] = ['localhost', '127.0.0.1'];

/** A problem found without sending anything: mixed content or the workbench's own CSP. */
export interface StaticProblem {
  readonly id: 'mixed-content' | 'csp';
  readonly message: string;
}

/**
 * What blocks a request from a page at `pageOrigin` to `endpoint` before it leaves: mixed content (an https
 * page calling plain http, loopback excepted) and the workbench's CSP (connect-src allows https: and http only
 * to localhost/127.0.0.1).
 */
export function staticProblems(pageOrigin: string, endpoint: URL): StaticProblem[] {
  const page = new URL(pageOrigin);
  const out: StaticProblem[] = [];
  if (endpoint.protocol !== 'http:' || endpoint.origin === page.origin) return out;
  if (page.protocol === 'https:' && !isLoopback(endpoint.hostname)) {
    out.push({
      id: 'mixed-content',
      message: `Mixed content: this page is served over https, so the browser blocks plain-http calls to ${endpoint.host}. Serve the endpoint over https (e.g. behind a TLS-terminating gateway).`,
    });
  }
  if (!CSP_HTTP_HOSTS.includes(endpoint.hostname)) {
    out.push({
      id: 'csp',
      message: `The workbench's Content-Security-Policy (connect-src) allows plain http only to localhost and 127.0.0.1; use https for ${endpoint.host}.`,
    });
  }
  return out;
}
