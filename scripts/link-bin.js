#!/usr/bin/env node
// postinstall: link this project's own command into node_modules/.bin, so that after `npm ci` in a
// clone `node_modules/.bin/manifold-explorer` runs bin/manifold-explorer.js as `npx manifold-explorer`
// does. npm links the bins of the dependencies there, never the root package's own.
//
// A relative symbolic link (Windows: a .cmd shim, symbolic links need a privilege there). Safe to
// run again: a link that is already right is left alone, anything else of that name is replaced.
// It never fails the install: a problem is one warning line (the command stays reachable through
// `npm run cli --` and `npx manifold-explorer`). Installed as a dependency it does nothing: npm
// links a dependency's bins itself.
import { lstat, mkdir, readFile, readlink, rm, symlink, writeFile } from 'node:fs/promises';
import { basename, dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

async function main() {
  if (basename(dirname(root.replace(/[\\/]$/, ''))) === 'node_modules') return;
  const pkg = JSON.parse(await readFile(join(root, 'package.json'), 'utf8'));
  const binDir = join(root, 'node_modules', '.bin');
  await mkdir(binDir, { recursive: true });
  for (const [name, file] of Object.entries(pkg.bin ?? {})) {
    const target = relative(binDir, join(root, file));
    if (process.platform === 'win32') {
      const shim = `@ECHO off\r\nnode "%~dp0\\${target.replaceAll('/', '\\')}" %*\r\n`;
      await writeFile(join(binDir, `${name}.cmd`), shim);
      continue;
    }
    const link = join(binDir, name);
    const existing = await lstat(link).catch(() => undefined);
    if (existing?.isSymbolicLink() && (await readlink(link)) === target) continue;
    if (existing) await rm(link, { recursive: true, force: true });
    await symlink(target, link);
  }
}

main().catch((e) => {
  process.stderr.write(
    `warning: could not link node_modules/.bin/manifold-explorer (${e instanceof Error ? e.message : String(e)}); use npx manifold-explorer or npm run cli --\n`,
  );
});
