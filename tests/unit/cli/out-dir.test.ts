/**
 * What `--out` may touch (electron/cli/out-dir.ts), through the built CLI: a second run to a folder
 * that one is writing stops at once; files a user puts in the folder during a run stay; --force
 * replaces only what an earlier run wrote; folders that cannot be written, and link loops, are one
 * `error:` line before any training; what a killed run left is cleaned up by the next.
 * A run is held still with SIGSTOP (its pid is in the lock) where a test needs it mid-training.
 */
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli, startCli } from '../../helpers/cli';
import { LOCK_FILE, RECORD_FILE, TMP_PREFIX } from '../../../electron/cli/out-dir';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'me-out-'));
  chmodSync(dir, 0o755); // the permission test runs the CLI as another user
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const OUTPUTS = ['codes.npy', 'model', 'reconstructions.npy', 'run.json'];
/** Long enough to be caught mid-run, ≈ 1 s on a free core. */
const train = (out: string, ...extra: string[]) => [
  'train',
  '--data',
  'sample:helix?rows=200',
  '--model',
  'undercomplete',
  '--epochs',
  '100',
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
const errorLines = (stderr: string) => stderr.trim().split('\n');
/** The pid of the process that writes `out` (the CLI itself, not bin/'s supervisor). */
const writerPid = (out: string) =>
  (JSON.parse(readFileSync(join(out, LOCK_FILE), 'utf8')) as { pid: number }).pid;
/** Our bookkeeping that must not outlive a run. */
const debris = (out: string) =>
  existsSync(out) ? readdirSync(out).filter((n) => n === LOCK_FILE || n.startsWith(TMP_PREFIX)) : [];

describe('train --out', () => {
  test('a second run to a folder being written stops at once with exit 2; the first completes', async () => {
    const out = join(dir, 'shared');
    const first = startCli(train(out));
    await first.stderrMatches(/^epoch 1 /m);
    const pid = writerPid(out);
    process.kill(pid, 'SIGSTOP');
    try {
      for (const extra of [[], ['--force']]) {
        const second = await runCli(train(out, '-q', ...extra));
        expect(second.status, second.stderr).toBe(2);
        expect(errorLines(second.stderr)).toEqual([
          expect.stringMatching(
            new RegExp(`^error: .*shared: another manifold-explorer train \\(pid ${pid} on .*is writing`),
          ),
        ]);
      }
    } finally {
      process.kill(pid, 'SIGCONT');
    }
    const r = await first.done;
    expect(r.status, r.stderr).toBe(0);
    expect(readdirSync(out).sort()).toEqual([RECORD_FILE, ...OUTPUTS]);
    expect(JSON.parse(readFileSync(join(out, 'run.json'), 'utf8')).history).toHaveLength(100);
  });

  test('files and folders a user makes in --out during training stay, also through --force', async () => {
    const out = join(dir, 'busy');
    const run = startCli(train(out));
    await run.stderrMatches(/^epoch 1 /m);
    const pid = writerPid(out);
    process.kill(pid, 'SIGSTOP');
    writeFileSync(join(out, 'notes.txt'), 'mine');
    mkdirSync(join(out, 'mine'));
    writeFileSync(join(out, 'mine', 'a.txt'), 'a');
    process.kill(pid, 'SIGCONT');
    const r = await run.done;
    expect(r.status, r.stderr).toBe(0);
    expect(readdirSync(out).sort()).toEqual([RECORD_FILE, ...OUTPUTS, 'mine', 'notes.txt'].sort());
    const record = JSON.parse(readFileSync(join(out, RECORD_FILE), 'utf8'));
    expect(record).toMatchObject({ tool: 'manifold-explorer', command: 'train', entries: OUTPUTS });

    const again = await runCli(train(out, '-q', '--force', '--epochs', '2'));
    expect(again.status, again.stderr).toBe(0);
    expect(readFileSync(join(out, 'notes.txt'), 'utf8')).toBe('mine');
    expect(readFileSync(join(out, 'mine', 'a.txt'), 'utf8')).toBe('a');
    expect(JSON.parse(readFileSync(join(out, 'run.json'), 'utf8')).history).toHaveLength(2);
    expect(debris(out)).toEqual([]);
  });

  test('a file that takes one of the run’s names during training is kept; the run’s files go beside it', async () => {
    const out = join(dir, 'clash');
    const run = startCli(train(out));
    await run.stderrMatches(/^epoch 1 /m);
    const pid = writerPid(out);
    process.kill(pid, 'SIGSTOP');
    writeFileSync(join(out, 'codes.npy'), 'my codes');
    process.kill(pid, 'SIGCONT');
    const r = await run.done;
    expect(r.status).toBe(2);
    const lines = errorLines(r.stderr).filter((l) => !/^(training|epoch|warning:) /.test(l));
    expect(lines).toEqual([
      expect.stringMatching(
        /^error: .*clash: codes\.npy appeared here during the run .*nothing was replaced/,
      ),
    ]);
    expect(readFileSync(join(out, 'codes.npy'), 'utf8')).toBe('my codes');
    const kept = readdirSync(out).filter((n) => n.startsWith('manifold-explorer-result-'));
    expect(kept).toHaveLength(1);
    expect(lines[0]).toContain(join(out, kept[0]!));
    expect(readdirSync(join(out, kept[0]!)).sort()).toEqual(OUTPUTS);
    expect(debris(out)).toEqual([]);
  });

  test('--force refuses a folder this tool did not write, naming what it would delete', async () => {
    const out = join(dir, 'foreign');
    mkdirSync(join(out, 'photos'), { recursive: true });
    writeFileSync(join(out, 'thesis.tex'), 'years of work');
    const r = await runCli(train(out, '--force'));
    expect(r.status).toBe(2);
    expect(errorLines(r.stderr)).toEqual([
      expect.stringMatching(
        /^error: .*foreign: --force replaces only an empty folder or one that manifold-explorer wrote .*holds (photos\/, thesis\.tex|thesis\.tex, photos\/), which it would delete/,
      ),
    ]);
    expect(readdirSync(out).sort()).toEqual(['photos', 'thesis.tex']);
    expect(readFileSync(join(out, 'thesis.tex'), 'utf8')).toBe('years of work');
  });

  test('--force over an earlier run removes its outputs this run does not write (labels.npy)', async () => {
    const csv = join(dir, 'labelled.csv');
    writeFileSync(
      csv,
      'a,b,c,kind\n' + Array.from({ length: 40 }, (_, i) => `${i % 5},${i % 3},${i},${i % 2}`).join('\n'),
    );
    const out = join(dir, 'relabel');
    const base = ['train', '--model', 'linear', '--backend', 'cpu', '-q', '--out', out];
    const first = await runCli([...base, '--data', csv, '--label-column', 'kind']);
    expect(first.status, first.stderr).toBe(0);
    expect(existsSync(join(out, 'labels.npy'))).toBe(true);
    const second = await runCli([...base, '--data', 'sample:helix?rows=60', '--force']);
    expect(second.status, second.stderr).toBe(0);
    expect(readdirSync(out).sort()).toEqual([RECORD_FILE, ...OUTPUTS]);
  });

  test('a symbolic-link loop as --out or as --data: exit 2, one error: line', async () => {
    symlinkSync(join(dir, 'loop-b'), join(dir, 'loop-a'));
    symlinkSync(join(dir, 'loop-a'), join(dir, 'loop-b'));
    const asOut = await runCli(train(join(dir, 'loop-a'), '-q'));
    expect(asOut.status).toBe(2);
    expect(errorLines(asOut.stderr)).toEqual([
      expect.stringMatching(/^error: .*loop-a: a loop of symbolic links \(ELOOP\)/),
    ]);
    const out = join(dir, 'from-loop');
    const asData = await runCli(['train', '--data', join(dir, 'loop-a'), '--model', 'linear', '--out', out]);
    expect(asData.status).toBe(2);
    expect(errorLines(asData.stderr)).toEqual([
      expect.stringMatching(/^error: .*loop-a: a loop of symbolic links \(ELOOP\)/),
    ]);
    expect(existsSync(out)).toBe(false);
  });

  test('an --out that cannot be written is refused before any data is read or epoch trained', async () => {
    const ro = join(dir, 'read-only');
    mkdirSync(join(ro, 'empty'), { recursive: true });
    chmodSync(join(ro, 'empty'), 0o555);
    chmodSync(ro, 0o555);
    // root writes anywhere: run as nobody there.
    const as = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};
    const cases: [string, RegExp][] = [
      [join(ro, 'run'), /read-only: cannot create the --out folder run in it: permission denied \(EACCES\)/],
      [join(ro, 'empty'), /empty: cannot write into the --out folder: permission denied \(EACCES\)/],
      [join(dir, 'notes.txt', 'run'), /notes\.txt: .*a part of this path is a file, not a folder/],
    ];
    writeFileSync(join(dir, 'notes.txt'), 'a file');
    for (const [out, message] of cases) {
      // No -q: a run that got as far as training would print "training …" and "epoch" lines.
      const r = await runCli(train(out), as);
      expect(r.status, r.stderr).toBe(2);
      expect(errorLines(r.stderr)).toEqual([expect.stringMatching(message)]);
    }
    expect(readdirSync(ro)).toEqual(['empty']);
  });

  test('a killed run’s lock and temporary folder are removed by the next run (and old-style ones beside it)', async () => {
    const out = join(dir, 'killed');
    const run = startCli(train(out, '--epochs', '100000'));
    await run.stderrMatches(/^epoch 1 /m);
    process.kill(writerPid(out), 'SIGKILL');
    const r = await run.done;
    expect(r.signal).toBe('SIGKILL'); // bin/manifold-explorer.js ends as its child did
    expect(debris(out)).toHaveLength(2);
    // Earlier versions' temporary folders beside --out: a dead pid's goes, a live one's stays.
    const dead = spawnSync(process.execPath, ['-e', '0']).pid!;
    mkdirSync(join(dir, `.killed.tmp-${dead}-0123abcd`));
    mkdirSync(join(dir, `.killed.tmp-${process.pid}-0123abcd`));

    const next = await runCli(train(out, '-q', '--epochs', '2'));
    expect(next.status, next.stderr).toBe(0);
    expect(readdirSync(out).sort()).toEqual([RECORD_FILE, ...OUTPUTS]);
    expect(readdirSync(dir).filter((n) => n.startsWith('.killed.'))).toEqual([
      `.killed.tmp-${process.pid}-0123abcd`,
    ]);
  });
});

describe('analyze --out', () => {
  test('claims its folder the same way: --force refuses others’ files and a train run, writes its record', async () => {
    const run = join(dir, 'for-analyze');
    const t = await runCli(train(run, '-q', '--epochs', '2'));
    expect(t.status, t.stderr).toBe(0);
    const out = join(dir, 'analysis');
    mkdirSync(out);
    writeFileSync(join(out, 'keep.txt'), 'x');
    const args = ['analyze', '--run', run, '--at', 'sample:helix?rows=30', '--score', '--backend', 'cpu'];
    const refused = await runCli([...args, '--out', out, '--force', '--quiet']);
    expect(refused.status).toBe(2);
    expect(errorLines(refused.stderr)).toEqual([
      expect.stringMatching(/holds keep\.txt, which it would delete/),
    ]);
    // Nor does it replace a train run (--out the same as --run).
    const intoRun = await runCli([...args, '--out', run, '--force', '--quiet']);
    expect(intoRun.status).toBe(2);
    expect(errorLines(intoRun.stderr)).toEqual([
      expect.stringMatching(/for-analyze: --force: this folder holds the output of manifold-explorer train/),
    ]);
    expect(readdirSync(run).sort()).toEqual([RECORD_FILE, ...OUTPUTS]);
    rmSync(join(out, 'keep.txt'));
    const r = await runCli([...args, '--out', out, '--quiet']);
    expect(r.status, r.stderr).toBe(0);
    expect(readdirSync(out).sort()).toEqual([RECORD_FILE, 'analysis.json', 'score.npy']);
    expect(JSON.parse(readFileSync(join(out, RECORD_FILE), 'utf8')).command).toBe('analyze');
  });
});
