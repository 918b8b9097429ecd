/**
 * SIGTERM and SIGINT during training (electron/cli/interrupt.ts), through bin/manifold-explorer.js:
 * one `error:` line saying what was interrupted, nothing left behind, nothing earlier lost, and
 * the process ends by the signal (a shell shows 143 / 130), so a shell loop stops on Ctrl+C too.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN, ROOT, runCli, startCli } from '../../helpers/cli';
import { LOCK_FILE, RECORD_FILE, TMP_PREFIX } from '../../../electron/cli/out-dir';

let dir: string;
beforeAll(() => void (dir = mkdtempSync(join(tmpdir(), 'me-signals-'))));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Trains until stopped. */
const endless = (out: string, ...extra: string[]) => [
  'train',
  '--data',
  'sample:helix?rows=200',
  '--model',
  'undercomplete',
  '--epochs',
  '100000',
  '--patience',
  '0',
  // One start, so the progress lines are `epoch N …` from the first (narrow data train three).
  '--restarts',
  '1',
  '--backend',
  'cpu',
  '--out',
  out,
  ...extra,
];
const INTERRUPTED = (sig: string) =>
  new RegExp(`^error: interrupted by ${sig} while training, after epoch \\d+; nothing was written$`);
const debris = (out: string) =>
  existsSync(out) ? readdirSync(out).filter((n) => n === LOCK_FILE || n.startsWith(TMP_PREFIX)) : [];

test('SIGTERM during training: one error: line, the earlier run kept as it was, ends by SIGTERM', async () => {
  const out = join(dir, 'term');
  const first = await runCli(['train', '--data', 'sample:helix?rows=60', '--model', 'linear', '--out', out]);
  expect(first.status, first.stderr).toBe(0);
  const before = readFileSync(join(out, 'run.json'), 'utf8');

  const run = startCli(endless(out, '--force'));
  await run.stderrMatches(/^epoch 2 /m);
  run.child.kill('SIGTERM');
  const r = await run.done;
  expect(r.status).toBeNull();
  expect(r.signal).toBe('SIGTERM');
  const lines = r.stderr.trim().split('\n');
  expect(lines.filter((l) => l.startsWith('error:'))).toHaveLength(1);
  expect(lines.at(-1)).toMatch(INTERRUPTED('SIGTERM'));
  expect(lines.slice(0, -1).every((l) => /^(training|epoch) /.test(l))).toBe(true);
  expect(readFileSync(join(out, 'run.json'), 'utf8')).toBe(before);
  expect(readdirSync(out).sort()).toEqual([
    RECORD_FILE,
    'codes.npy',
    'model',
    'reconstructions.npy',
    'run.json',
  ]);
});

test('Ctrl+C (SIGINT to the process group) stops the command and the shell loop around it', async () => {
  const out = join(dir, 'int');
  // As a terminal does: SIGINT to every process of the foreground group, here bash, bin's
  // supervisor and the CLI. bash carries on with `echo` after a child that exited; it stops only
  // if the child was ended by SIGINT.
  const cmd = [process.execPath, BIN, ...endless(out)].map((a) => `'${a}'`).join(' ');
  const bash = spawn('bash', ['-c', `${cmd}; echo "after $?"`], {
    cwd: ROOT,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  bash.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  const training = new Promise<void>((resolve) =>
    bash.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      if (/^epoch 2 /m.test(stderr)) resolve();
    }),
  );
  const ended = new Promise<[number | null, NodeJS.Signals | null]>((resolve) =>
    bash.on('close', (c, s) => resolve([c, s])),
  );
  await training;
  process.kill(-bash.pid!, 'SIGINT');
  const [code, signal] = await ended;
  expect(stdout).toBe('');
  expect(signal).toBe('SIGINT');
  expect(code).toBeNull();
  const lines = stderr.trim().split('\n');
  expect(lines.filter((l) => l.startsWith('error:'))).toHaveLength(1);
  expect(lines.at(-1)).toMatch(INTERRUPTED('SIGINT'));
  expect(existsSync(out)).toBe(false);
  expect(debris(out)).toEqual([]);
});
