/**
 * `npm start` (scripts/start.js) where Electron's binary cannot be downloaded says so in words and
 * names what works without it; with the binary there it hands over to `electron-vite preview`.
 * Run on a copy of the script beside stand-ins for the electron and electron-vite packages (Electron
 * itself is never launched in tests).
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from '../../helpers/cli';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'me-start-'));
  mkdirSync(join(dir, 'scripts'));
  copyFileSync(join(ROOT, 'scripts/start.js'), join(dir, 'scripts/start.js'));
  writeFileSync(join(dir, 'package.json'), '{"type": "module"}');
  const electron = join(dir, 'node_modules/electron');
  mkdirSync(electron, { recursive: true });
  writeFileSync(join(electron, 'package.json'), '{"name": "electron", "version": "0.0.0"}');
  // The download as it fails without a network.
  writeFileSync(
    join(electron, 'install.js'),
    "console.error('TypeError: fetch failed'); console.error('    at FetchDownloader.download'); process.exit(1);",
  );
  const vite = join(dir, 'node_modules/electron-vite');
  mkdirSync(join(vite, 'bin'), { recursive: true });
  writeFileSync(join(vite, 'package.json'), '{"name": "electron-vite", "version": "0.0.0"}');
  writeFileSync(
    join(vite, 'bin/electron-vite.js'),
    "console.log('electron-vite', process.argv.slice(2).join(' '));",
  );
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const start = () => {
  const env = { ...process.env };
  delete env.ELECTRON_OVERRIDE_DIST_PATH;
  return spawnSync(process.execPath, [join(dir, 'scripts/start.js')], { cwd: dir, env, encoding: 'utf8' });
};

test('no binary and no network: exit 1 with the reason and the ways that work without Electron', () => {
  const r = start();
  expect(r.status).toBe(1);
  expect(r.stderr).toMatch(/^error: Electron's binary could not be downloaded \(TypeError: fetch failed\)/m);
  expect(r.stderr).toMatch(/npm run serve/);
  expect(r.stderr).toMatch(/npx manifold-explorer --help/);
  expect(r.stderr).not.toMatch(/Electron uninstall|at FetchDownloader/);
  expect(r.stdout).not.toMatch(/electron-vite/);
});

test('with the binary downloaded: electron-vite preview runs', () => {
  const electron = join(dir, 'node_modules/electron');
  writeFileSync(join(electron, 'path.txt'), 'electron');
  mkdirSync(join(electron, 'dist'));
  writeFileSync(join(electron, 'dist/electron'), '');
  const r = start();
  expect(r.status, r.stderr).toBe(0);
  expect(r.stdout.trim()).toBe('electron-vite preview');
});
