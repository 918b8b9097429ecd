import { runCli } from '../../helpers/cli';
import type { BenchReport } from '../../../electron/bench/run';
import type { StreamingReport } from '../../../electron/bench/streaming';

// The built `manifold-explorer bench` on a tiny workload: the report's shape and the bad-input path
// (timings are measured by `npm run bench`, never asserted).

describe('manifold-explorer bench', () => {
  test('--json reports each cell: samples/s, ms per step, memory, no leaked tensors', async () => {
    const r = await runCli([
      'bench',
      ...['--backends', 'wasm,cpu', '--models', 'mlp,manifold3d'],
      ...['--rows', '256', '--slow-rows', '128', '--epochs', '1', '--repeats', '1', '--no-torch', '--json'],
    ]);
    expect(r.status).toBe(0);
    const report = JSON.parse(r.stdout) as BenchReport;
    expect(report.rows.map((x) => `${x.backend}/${x.model}`)).toEqual([
      'wasm/mlp',
      'wasm/manifold3d',
      'cpu/mlp',
      'cpu/manifold3d',
    ]);
    for (const row of report.rows) {
      expect(row.error).toBeUndefined();
      expect(row.samplesPerSecond!.median).toBeGreaterThan(0);
      // ms/step and samples/s describe the same runs: ms = 1000 · batch / (samples/s) for full batches.
      expect(row.msPerStep!.median).toBeCloseTo((1000 * 128) / row.samplesPerSecond!.median, 0);
      expect(row.peakRssMB).toBeGreaterThan(10);
      expect(row.tensorsLeaked).toBe(0);
      expect(Number.isFinite(row.runs[0]!.lastLoss)).toBe(true);
    }
    expect(report.rows[0]!.runs[0]!.overrides).toContain('wasm/BatchMatMul');
    expect(report.rows.find((x) => x.backend === 'cpu')!.rows).toBe(128);
    expect(report.notes.join(' ')).toMatch(/no PyTorch reference: skipped/);
  }, 120_000);

  test('a table by default', async () => {
    const r = await runCli([
      'bench',
      '--backends',
      'wasm',
      '--models',
      'manifold3d',
      '--rows',
      '128',
      '--epochs',
      '1',
      '--repeats',
      '1',
      '--no-torch',
    ]);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/BACKEND\s+MODEL\s+ROWS×EP\s+SAMPLES\/S/);
    expect(r.stdout).toMatch(/\nwasm\s+manifold3d\s+128×1\s+\d+/);
  }, 120_000);

  test('--streaming: the same run through the app and its engine worker, and directly', async () => {
    const r = await runCli([
      'bench',
      '--streaming',
      ...['--rows', '400', '--epochs', '3', '--pairs', '1', '--family', 'undercomplete', '--json'],
    ]);
    expect(r.status).toBe(0);
    const report = JSON.parse(r.stdout) as StreamingReport;
    expect(report).toMatchObject({ rows: 400, epochs: 3, family: 'undercomplete' });
    expect(report.pairs).toHaveLength(1);
    const [pair] = report.pairs;
    // The hosted run streamed progress (at least one per epoch, with its history row) as socket frames.
    expect(pair!.progress).toBeGreaterThanOrEqual(3);
    expect(pair!.frameBytes).toBeGreaterThan(0);
    expect(report.medianRatio).toBeCloseTo(pair!.hostedMs / pair!.directMs, 6);
    expect(r.stderr).toMatch(/pair 1: hosted \d+ ms/);
  }, 120_000);

  test('bad options exit 2 with one error: line naming the option', async () => {
    for (const [args, msg] of [
      [['--backends', 'gpu'], /--backends: unknown 'gpu'/],
      [['--models', 'mlp,resnet'], /--models: unknown 'resnet'/],
      [['--rows', '0'], /--rows: expected a whole number ≥ 1, got '0'/],
      [['--streaming', '--family', 'pca'], /--family: unknown 'pca'/],
    ] as const) {
      const r = await runCli(['bench', ...args, '--no-torch']);
      expect(r.status).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(msg);
    }
  });
});
