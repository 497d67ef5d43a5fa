import { expect, test } from './fixtures/harness';

test('the server sends isolation and CSP headers, and the app runs under them without violations', async ({
  page,
  problems,
}) => {
  const response = await page.goto('/');
  const headers = response?.headers() ?? {};
  expect(headers['cross-origin-opener-policy']).toBe('same-origin');
  expect(headers['cross-origin-embedder-policy']).toBe('credentialless');
  const csp = headers['content-security-policy'] ?? '';
  expect(csp).toContain("script-src 'self' 'wasm-unsafe-eval'");
  expect(csp).toContain("worker-src 'self'");
  expect(csp).toContain("object-src 'none'");
  const directives = new Map(
    csp.split(';').map((d) => [d.trim().split(/\s+/)[0], d.trim().split(/\s+/).slice(1)]),
  );
  expect(directives.get('script-src')).not.toContain("'unsafe-eval'");
  expect(directives.get('script-src')).not.toContain("'unsafe-inline'");
  expect(directives.get('worker-src')).not.toContain('blob:');
  await expect(page.getByTestId('stats-run')).toBeVisible();
  expect(await page.evaluate(() => window.crossOriginIsolated)).toBe(true);
  // The CSP really is enforced: an injected inline script does not run and is reported.
  const ran = await page.evaluate(async () => {
    const script = document.createElement('script');
    script.textContent = 'window.__INLINE_RAN__ = true';
    document.body.append(script);
    await new Promise((r) => setTimeout(r, 100));
    return (window as { __INLINE_RAN__?: boolean }).__INLINE_RAN__ === true;
  });
  expect(ran).toBe(false);
  expect(await page.evaluate(() => window.__CSP_VIOLATIONS__)).toEqual([
    expect.stringContaining('script-src'),
  ]);
  // That deliberate violation was caught; remove it so the harness checks everything else.
  await page.evaluate(() => (window.__CSP_VIOLATIONS__ = []));
  const rest = problems.filter(
    (p) => !(p.kind === 'console' && p.message.includes('Content Security Policy')),
  );
  problems.splice(0, problems.length, ...rest);
});
