import { join } from 'node:path';
import { runCli, ROOT } from '../../helpers/cli';

const FIX = join(ROOT, 'tests/fixtures/data');

describe('manifold-explorer datasets inspect (built command line)', () => {
  test('describes a CSV: rows, dims, one-hot groups, sha256', async () => {
    const r = await runCli([
      'datasets',
      'inspect',
      join(FIX, 'good/iris.csv'),
      '--label-column',
      'species',
      '--json',
    ]);
    expect(r.status).toBe(0);
    const d = JSON.parse(r.stdout) as {
      rows: number;
      dims: number;
      labels: Record<string, number>;
      sha256: string;
    };
    expect([d.rows, d.dims]).toEqual([4, 2]);
    expect(d.labels).toEqual({ setosa: 2, virginica: 2 });
    expect(d.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  test('describes a sample with its ground truth', async () => {
    const r = await runCli(['datasets', 'inspect', 'sample:torus?rows=30&seed=2']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/rows\s+30/);
    expect(r.stdout).toMatch(/truth\s+intrinsic dimension 2; coordinates, tangents/);
  });

  test.each([
    [
      ['bad/non-numeric.csv'],
      /^error: .*non-numeric\.csv, row 3, column 2 \("b"\): expected a number, got "abc"/,
    ],
    [['bad/truncated.npy'], /^error: .*truncated\.npy, byte 198: truncated file/],
    [['bad/wrong-magic-idx3-ubyte'], /^error: .*wrong-magic-idx3-ubyte, byte 0: wrong magic number/],
    [
      ['good/iris.csv', '--missing', 'sometimes'],
      /^error: --missing: expected error, drop or mean, got "sometimes"/,
    ],
    [
      ['good/iris.csv', '--max-memory', '10'],
      /^error: .*iris\.csv: loading needs about .* the limit is 10 bytes/,
    ],
    [['nowhere.csv'], /^error: .*nowhere\.csv: no such file or folder/],
  ])('bad input %j exits 2 with one error: line naming the place', async (args, line) => {
    const [file, ...rest] = args;
    const r = await runCli(['datasets', 'inspect', join(FIX, file!), ...rest]);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(line);
  });
});
