#!/usr/bin/env node
// Rebuild (electron-vite build) when any source file is newer than the build output, so that
// `npm run cli`, `npm run serve`, `npm run bench` and the tests always run the current code.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const outputs = ['out/main/cli.js', 'out/preload/index.cjs', 'out/renderer/index.html'].map((p) =>
  join(root, p),
);
const sources = [
  'electron',
  'renderer',
  'assets',
  'electron.vite.config.ts',
  'svelte.config.js',
  'package.json',
];

function newest(path) {
  const s = statSync(path);
  if (!s.isDirectory()) return s.mtimeMs;
  let t = s.mtimeMs;
  for (const name of readdirSync(path))
    if (name !== 'node_modules') t = Math.max(t, newest(join(path, name)));
  return t;
}

const built = outputs.every((p) => existsSync(p)) ? Math.min(...outputs.map((p) => statSync(p).mtimeMs)) : -1;
const changed = Math.max(
  ...sources
    .map((p) => join(root, p))
    .filter(existsSync)
    .map(newest),
);
if (process.argv.includes('--force') || built < changed) {
  process.stderr.write('building (electron-vite build)…\n');
  execFileSync(join(root, 'node_modules/.bin/electron-vite'), ['build', '--logLevel', 'warn'], {
    cwd: root,
    stdio: ['ignore', 2, 'inherit'],
  });
}
