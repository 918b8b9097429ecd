/**
 * scripts/link-bin.js, the root package's postinstall: after `npm ci` in a clone,
 * node_modules/.bin/manifold-explorer runs the project's command (npm links only the
 * dependencies' bins there). Run on a copy of the project's layout: the link is made, is relative,
 * survives a second run unchanged, replaces a stale link or file, and is not made when the package
 * is installed as a dependency.
 */
import { execFileSync } from 'node:child_process';
import {
  cpSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readlinkSync,
  rmSync,
  symlinkSync,
  writeFileSync,
  existsSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from '../../helpers/cli';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'me-bin-link-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** A project folder like ours: package.json with the same bin, the script, a bin that prints. */
function project(at: string): string {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { bin: Record<string, string> };
  mkdirSync(join(at, 'scripts'), { recursive: true });
  mkdirSync(join(at, 'bin'), { recursive: true });
  writeFileSync(join(at, 'package.json'), JSON.stringify({ name: 'p', type: 'module', bin: pkg.bin }));
  cpSync(join(ROOT, 'scripts/link-bin.js'), join(at, 'scripts/link-bin.js'));
  for (const file of Object.values(pkg.bin))
    writeFileSync(
      join(at, file),
      '#!/usr/bin/env node\nconsole.log("ran", process.argv.slice(2).join(" "));\n',
      { mode: 0o755 },
    );
  return at;
}

const link = (at: string) => join(at, 'node_modules/.bin/manifold-explorer');
const postinstall = (at: string) =>
  execFileSync(process.execPath, ['scripts/link-bin.js'], { cwd: at, encoding: 'utf8', stdio: 'pipe' });
const runLink = (at: string) => execFileSync(link(at), ['a', 'b'], { encoding: 'utf8' }).trim();

test('package.json runs it after every install', () => {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
    scripts: Record<string, string>;
    bin: Record<string, string>;
  };
  expect(pkg.scripts.postinstall).toBe('node scripts/link-bin.js');
  expect(pkg.bin['manifold-explorer']).toBe('bin/manifold-explorer.js');
});

test.skipIf(process.platform === 'win32')(
  'a relative link that runs the command, unchanged by a second run',
  () => {
    const p = project(join(dir, 'clone'));
    expect(postinstall(p)).toBe('');
    expect(readlinkSync(link(p))).toBe('../../bin/manifold-explorer.js');
    expect(runLink(p)).toBe('ran a b');
    const before = lstatSync(link(p));
    expect(postinstall(p)).toBe('');
    expect(lstatSync(link(p)).ino).toBe(before.ino);
    // Moving the clone keeps it working: the link is relative.
    cpSync(p, join(dir, 'moved'), { recursive: true, verbatimSymlinks: true });
    expect(runLink(join(dir, 'moved'))).toBe('ran a b');
  },
);

test.skipIf(process.platform === 'win32')('a stale link or a file of that name is replaced', () => {
  const p = project(join(dir, 'clone'));
  mkdirSync(join(p, 'node_modules/.bin'), { recursive: true });
  symlinkSync('/nonexistent/manifold-explorer', link(p));
  postinstall(p);
  expect(runLink(p)).toBe('ran a b');
  rmSync(link(p));
  writeFileSync(link(p), 'not a link');
  postinstall(p);
  expect(lstatSync(link(p)).isSymbolicLink()).toBe(true);
  expect(runLink(p)).toBe('ran a b');
});

test('installed as a dependency it does nothing (npm links a dependency’s bins itself)', () => {
  const p = project(join(dir, 'app/node_modules/manifold-explorer'));
  expect(postinstall(p)).toBe('');
  expect(existsSync(join(p, 'node_modules'))).toBe(false);
});
