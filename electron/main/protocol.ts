import { net, protocol } from 'electron';
import { extname, join, normalize, sep } from 'node:path';
import { pathToFileURL } from 'node:url';

/** The renderer is served from `app://explorer/…` rather than file://. */
export const APP_SCHEME = 'app';
export const APP_ORIGIN = `${APP_SCHEME}://explorer`;

/** Strict CSP: our own scripts only; WASM allowed (tfjs-wasm); workers from our origin and blobs. */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "worker-src 'self' blob:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

export const COMPUTE_CONTENT_SECURITY_POLICY = CONTENT_SECURITY_POLICY.replace(
  "'wasm-unsafe-eval'",
  "'wasm-unsafe-eval' blob:",
);

/** Cross-origin isolation (COOP + COEP) so SharedArrayBuffer, hence WASM threads, are available. */
export const SECURITY_HEADERS: Record<string, string> = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'X-Content-Type-Options': 'nosniff',
};

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm',
  '.json': 'application/json',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.woff2': 'font/woff2',
};

export function registerSchemePrivileges(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, stream: true } },
  ]);
}

/** Map a request URL to a file inside `root`, or null when it would escape it. */
export function resolveAppPath(root: string, url: string): string | null {
  const { host, pathname } = new URL(url);
  if (host !== 'explorer') return null;
  const rel = decodeURIComponent(pathname === '/' ? '/index.html' : pathname);
  const full = normalize(join(root, rel));
  return full === root || full.startsWith(root + sep) ? full : null;
}

export function handleAppProtocol(root: string): void {
  protocol.handle(APP_SCHEME, async (request) => {
    const file = resolveAppPath(root, request.url);
    if (!file) return new Response('not found', { status: 404 });
    const res = await net.fetch(pathToFileURL(file).toString());
    if (!res.ok) return new Response('not found', { status: 404 });
    const headers = new Headers(SECURITY_HEADERS);
    // The compute window's WASM threads importScripts() their glue from a blob URL it made.
    if (file.endsWith(`${sep}compute.html`))
      headers.set('Content-Security-Policy', COMPUTE_CONTENT_SECURITY_POLICY);
    headers.set('Content-Type', MIME[extname(file)] ?? 'application/octet-stream');
    return new Response(res.body, { status: 200, headers });
  });
}
