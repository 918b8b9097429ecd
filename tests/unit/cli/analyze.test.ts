/**
 * `manifold-explorer analyze` on a run made with `train`, as a user runs both (the built CLI): the
 * .npy files docs/cli.md promises with their shapes, analysis.json with the metrics that apply, and
 * exit status 2 with one `error:` line — and no output folder — for bad input.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../helpers/cli';

let dir: string;
let run: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'me-analyze-'));
  run = join(dir, 'run');
  const r = await runCli([
    'train',
    '--data',
    'sample:swiss-roll?rows=400&noise=0.05',
    '--model',
    'denoising',
    '--hidden',
    '16',
    '--epochs',
    '3',
    '--backend',
    'cpu',
    '--quiet',
    '--out',
    run,
  ]);
  expect(r.status, r.stderr).toBe(0);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The shape and dtype in a .npy header. */
function npyShape(file: string): { descr: string; shape: number[]; count: number } {
  const b = readFileSync(file);
  expect(b.subarray(0, 6).toString('latin1')).toBe('\x93NUMPY');
  const len = b[6] === 1 ? b.readUInt16LE(8) : b.readUInt32LE(8);
  const start = b[6] === 1 ? 10 : 12;
  const header = b.subarray(start, start + len).toString('latin1');
  const shape = /'shape': \(([^)]*)\)/
    .exec(header)![1]!
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map(Number);
  const descr = /'descr': '([^']+)'/.exec(header)![1]!;
  return { descr, shape, count: (b.length - start - len) / 4 };
}

const line1 = (s: string) => s.trim().split('\n');

interface Analysis {
  run: { family: string };
  points: { rows: number; dims: number; source: string };
  tangents: { dims: number; angleToTruthDeg: { median: number; max: number } };
  metrics: Record<string, number>;
  files: string[];
}

describe('manifold-explorer analyze', () => {
  test('writes tangents, singular values, score, trajectories and analysis.json at the given points', async () => {
    const out = join(dir, 'a1');
    const r = await runCli([
      'analyze',
      '--run',
      run,
      '--at',
      'sample:swiss-roll?rows=50&seed=9&noise=0',
      '--tangents',
      '--score',
      '--trajectories',
      '4',
      '--offset',
      '0.5',
      '--backend',
      'cpu',
      '--quiet',
      '--out',
      out,
    ]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(
      /analysis of 50 points written to .*trustworthiness 0\.\d+, median tangent angle \d+\.\d+°/,
    );
    expect(npyShape(join(out, 'tangents.npy'))).toEqual({ descr: '<f4', shape: [50, 2, 3], count: 300 });
    expect(npyShape(join(out, 'singular-values.npy')).shape).toEqual([50, 2]);
    expect(npyShape(join(out, 'score.npy')).shape).toEqual([50, 3]);
    expect(npyShape(join(out, 'trajectories.npy')).shape).toEqual([50, 5, 3]);
    const a = JSON.parse(readFileSync(join(out, 'analysis.json'), 'utf8')) as Analysis;
    expect(a.run.family).toBe('denoising');
    expect(a.points).toMatchObject({ rows: 50, dims: 3, source: 'sample:swiss-roll?rows=50&noise=0&seed=9' });
    expect(a.tangents.dims).toBe(2);
    expect(a.tangents.angleToTruthDeg.median).toBeGreaterThanOrEqual(0);
    expect(a.tangents.angleToTruthDeg.max).toBeLessThanOrEqual(90);
    expect(a.metrics.trustworthiness).toBeGreaterThan(0);
    expect(a.metrics.trustworthiness).toBeLessThanOrEqual(1);
    expect(a.files.sort()).toEqual(['score.npy', 'singular-values.npy', 'tangents.npy', 'trajectories.npy']);
    // The paths start off the manifold (offset) and move: the first and last points differ.
    const t = readFileSync(join(out, 'trajectories.npy'));
    expect(t.length).toBeGreaterThan(50 * 5 * 3 * 4);
  });

  test('labels give k-NN accuracy, precision@k and mAP; a CSV of points works', async () => {
    const csv = join(dir, 'points.csv');
    writeFileSync(
      csv,
      'x,y,z,label\n' +
        Array.from({ length: 40 }, (_, i) => `${Math.cos(i)},${i % 7},${Math.sin(i)},${i % 2}`).join('\n') +
        '\n',
    );
    const out = join(dir, 'a2');
    const r = await runCli([
      'analyze',
      '--run',
      run,
      '--at',
      csv,
      '--label-column',
      'label',
      '--score',
      '--backend',
      'cpu',
      '--quiet',
      '--out',
      out,
      '--k',
      '5',
    ]);
    expect(r.status, r.stderr).toBe(0);
    const a = JSON.parse(readFileSync(join(out, 'analysis.json'), 'utf8')) as Analysis;
    expect(a.metrics.knnAccuracy).toBeGreaterThanOrEqual(0);
    expect(a.metrics.precisionAt5).toBeGreaterThanOrEqual(0);
    expect(a.metrics.meanAveragePrecision).toBeGreaterThan(0);
    expect(existsSync(join(out, 'tangents.npy'))).toBe(false);
  });

  test('bad input: exit 2, one error line naming the problem, no output folder', async () => {
    const cases: [string[], RegExp][] = [
      [['--run', join(dir, 'nope'), '--at', 'sample:swiss-roll', '--tangents'], /nope.*run\.json/],
      [['--run', run, '--at', 'sample:spiral', '--tangents'], /2 columns; the run's model expects 3/],
      [['--run', run, '--at', 'sample:swiss-roll'], /nothing to compute/],
      [['--run', run, '--at', join(dir, 'missing.csv'), '--score'], /missing\.csv/],
      [['--run', run, '--at', 'sample:swiss-roll', '--trajectories', 'many'], /--trajectories/],
    ];
    for (const [args, msg] of cases) {
      const out = join(dir, 'bad');
      const r = await runCli(['analyze', ...args, '--backend', 'cpu', '--out', out]);
      expect(r.status, args.join(' ')).toBe(2);
      expect(line1(r.stderr), args.join(' ')).toEqual([expect.stringMatching(/^error: /)]);
      expect(r.stderr).toMatch(msg);
      expect(existsSync(out)).toBe(false);
    }
  });
});
