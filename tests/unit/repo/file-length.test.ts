/**
 * Product files stay small and single-purpose: none over 400 lines unless
 * scripts/file-length-exceptions.json lists it with its reason. The files are the repository's own
 * (git ls-files, plus new files not yet added, without ignored ones) under electron/, renderer/src/,
 * scripts/ and bin/; tests, fixtures and generated files are not product files.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const LIMIT = 400;
const ROOT = process.cwd();
const EXCEPTIONS_FILE = 'scripts/file-length-exceptions.json';

function productFiles(): string[] {
  const out = execFileSync(
    'git',
    [
      'ls-files',
      '--cached',
      '--others',
      '--exclude-standard',
      '--',
      'electron',
      'renderer/src',
      'scripts',
      'bin',
    ],
    { cwd: ROOT, encoding: 'utf8' },
  );
  return out
    .split('\n')
    .filter((p) => /\.(ts|js|svelte)$/.test(p))
    .filter((p) => !/\.test\.ts$/.test(p) && !p.includes('/fixtures/') && !p.includes('/generated/'));
}

/** Lines as `wc -l` counts them, plus a last line without its newline. */
function lineCount(path: string): number {
  const text = readFileSync(join(ROOT, path), 'utf8');
  const newlines = text.split('\n').length - 1;
  return newlines + (text.length > 0 && !text.endsWith('\n') ? 1 : 0);
}

function exceptions(): Record<string, string> {
  const parsed: unknown = JSON.parse(readFileSync(join(ROOT, EXCEPTIONS_FILE), 'utf8'));
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw new Error(`${EXCEPTIONS_FILE}: expected an object of path → reason`);
  return parsed as Record<string, string>;
}

const files = productFiles();
const lengths = new Map(files.map((p) => [p, lineCount(p)]));
const listed = exceptions();

test('the walk finds the product files', () => {
  // A walk that found nothing (a wrong root, git missing) would pass every file.
  expect(files).toContain('electron/main/index.ts');
  expect(files).toContain('renderer/src/main.ts');
  expect(files).toContain('bin/manifold-explorer.js');
  expect(files.some((p) => p.startsWith('tests/'))).toBe(false);
});

test(`no product file is over ${LIMIT} lines unless ${EXCEPTIONS_FILE} gives the reason`, () => {
  const over = [...lengths]
    .filter(([path, n]) => n > LIMIT && !(path in listed))
    .map(([path, n]) => `${path}: ${n} lines (split it, or list it in ${EXCEPTIONS_FILE} with the reason)`);
  expect(over).toEqual([]);
});

test(`every exception in ${EXCEPTIONS_FILE} names a product file still over ${LIMIT} lines, with a reason`, () => {
  const stale = Object.entries(listed)
    .filter(
      ([path, reason]) =>
        !(typeof reason === 'string' && reason.trim()) || !((lengths.get(path) ?? 0) > LIMIT),
    )
    .map(([path, reason]) =>
      !lengths.has(path)
        ? `${path}: not a product file (remove the line)`
        : (lengths.get(path) ?? 0) <= LIMIT
          ? `${path}: ${lengths.get(path)} lines, no longer over ${LIMIT} (remove the line)`
          : `${path}: no reason given (${JSON.stringify(reason)})`,
    );
  expect(stale).toEqual([]);
});
