import { vi } from 'vitest';

vi.mock('electron', () => ({ protocol: {}, net: {} }));
const { resolveAppPath, CONTENT_SECURITY_POLICY, SECURITY_HEADERS } =
  await import('../../../electron/main/protocol');

describe('app:// protocol', () => {
  const root = '/opt/app/out/renderer';
  test('maps app URLs into the renderer folder', () => {
    expect(resolveAppPath(root, 'app://explorer/')).toBe(`${root}/index.html`);
    expect(resolveAppPath(root, 'app://explorer/assets/a.js')).toBe(`${root}/assets/a.js`);
  });
  test('refuses paths that escape the folder and other hosts', () => {
    // The URL parser folds dot segments first, so this one stays inside the folder.
    expect(resolveAppPath(root, 'app://explorer/%2e%2e/%2e%2e/etc/passwd')).toBe(`${root}/etc/passwd`);
    expect(resolveAppPath(root, 'app://explorer/..%2F..%2Fmain%2Findex.js')).toBeNull();
    expect(resolveAppPath(root, 'app://other/index.html')).toBeNull();
  });
  test('serves a strict CSP and cross-origin isolation', () => {
    expect(CONTENT_SECURITY_POLICY).toContain("default-src 'self'");
    expect(CONTENT_SECURITY_POLICY).not.toContain("'unsafe-eval'");
    expect(SECURITY_HEADERS['Cross-Origin-Opener-Policy']).toBe('same-origin');
    expect(SECURITY_HEADERS['Cross-Origin-Embedder-Policy']).toBe('require-corp');
  });
});
