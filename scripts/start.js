#!/usr/bin/env node
// `npm start`: the desktop app (electron-vite preview: build, then open it). Electron ≥ 42 downloads
// its binary on first use, not at install; where that download cannot happen (no network, a proxy)
// electron-vite only says "Error: Electron uninstall". So the binary is fetched here first, and a
// failure is said in words, with what works without it: the command line and browser mode.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);

/** The Electron binary's path, or null while it is not downloaded. */
function electronBinary(dir) {
  const pathFile = join(dir, 'path.txt');
  if (!existsSync(pathFile)) return null;
  const bin = join(dir, 'dist', readFileSync(pathFile, 'utf8'));
  return existsSync(bin) ? bin : null;
}

let dir;
try {
  dir = dirname(require.resolve('electron/package.json'));
} catch {
  console.error('error: the electron package is not installed: run `npm install` first');
  process.exit(2);
}

if (!electronBinary(dir) && !process.env.ELECTRON_OVERRIDE_DIST_PATH) {
  console.error("Electron's binary is not downloaded yet: downloading it (once)…");
  const r = spawnSync(process.execPath, [join(dir, 'install.js')], { stdio: ['ignore', 'inherit', 'pipe'] });
  if (r.status !== 0 || !electronBinary(dir)) {
    const why = String(r.stderr ?? '')
      .split('\n')
      .find((l) => /error|failed|ENOTFOUND|ECONN|EAI_AGAIN/i.test(l));
    console.error(
      `error: Electron's binary could not be downloaded${why ? ` (${why.trim()})` : ''}, so the desktop app cannot open here.\n` +
        'Without it, the same app runs in a browser: `npm run serve` prints its address; and the command line\n' +
        'works: `npx manifold-explorer --help`. To install Electron later: `node node_modules/electron/install.js`\n' +
        '(set ELECTRON_MIRROR for a mirror, or ELECTRON_OVERRIDE_DIST_PATH for a binary you have).',
    );
    process.exit(1);
  }
}

const vite = join(dirname(require.resolve('electron-vite/package.json')), 'bin', 'electron-vite.js');
const run = spawnSync(process.execPath, [vite, 'preview', ...process.argv.slice(2)], { stdio: 'inherit' });
process.exit(run.status ?? 1);
