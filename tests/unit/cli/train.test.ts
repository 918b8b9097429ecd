/**
 * `manifold-explorer train` as a user runs it (the built CLI in a child process): the files docs/cli.md
 * promises, readable .npy, a model/ that reloads to the same codes, atomic output, and exit status 2
 * with one `error:` line for bad options. What --out may replace: out-dir.test.ts.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../helpers/cli';
import { loadModel } from '../../../electron/engine/serialize';
import { encodeRows } from '../../../electron/engine/apply';
import { encodeNpy } from '../../../electron/data/npy';
import { useCpu } from '../engine/helpers';

let dir: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'me-train-'));
  await useCpu();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Parse a .npy (version 1.0/2.0) header and body as NumPy would. */
function readNpy(file: string): {
  descr: string;
  fortran: boolean;
  shape: number[];
  data: Float32Array | Int32Array;
} {
  const b = readFileSync(file);
  expect(b.subarray(0, 6).toString('latin1')).toBe('\x93NUMPY');
  const major = b[6]!;
  const headerLen = major === 1 ? b.readUInt16LE(8) : b.readUInt32LE(8);
  const start = major === 1 ? 10 : 12;
  expect((start + headerLen) % 64).toBe(0); // NumPy aligns the data to 64 bytes
  const header = b.subarray(start, start + headerLen).toString('latin1');
  const descr = /'descr':\s*'([^']+)'/.exec(header)![1]!;
  const fortran = /'fortran_order':\s*(True|False)/.exec(header)![1] === 'True';
  const shape = /'shape':\s*\(([^)]*)\)/
    .exec(header)![1]!
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map(Number);
  const body = b.subarray(start + headerLen);
  const copy = new Uint8Array(body).buffer;
  const data = descr === '<i4' ? new Int32Array(copy) : new Float32Array(copy);
  expect(data.length).toBe(shape.reduce((a, c) => a * c, 1));
  return { descr, fortran, shape, data };
}

const leftovers = (parent: string) =>
  readdirSync(parent).filter((f) => f.includes('.tmp-') || f.includes('.old-'));

describe('manifold-explorer train', () => {
  test('--data sample:swiss-roll --model contractive writes run.json, codes.npy, reconstructions.npy, model/', async () => {
    const out = join(dir, 'demo');
    const r = await runCli([
      'train',
      '--data',
      'sample:swiss-roll?rows=400',
      '--model',
      'contractive',
      '--out',
      out,
      '--epochs',
      '4',
      '--backend',
      'cpu',
    ]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout.trim().split('\n')).toHaveLength(1);
    expect(r.stdout).toMatch(/^trained contractive .* 400 × 3 .* with cpu: train MSE [\d.]+/);
    expect(r.stderr).toMatch(/epoch 4 {2}loss/);
    expect(r.stderr).not.toMatch(/Hi, looks like/);
    expect(readdirSync(out).sort()).toEqual([
      '.manifold-explorer-run.json',
      'codes.npy',
      'model',
      'reconstructions.npy',
      'run.json',
    ]);
    expect(leftovers(dir)).toEqual([]);

    const run = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8'));
    expect(run.config).toMatchObject({
      family: 'contractive',
      latent: 2,
      codeActivation: 'tanh',
      // The defaults for narrow data: three tanh layers of 64, so the penalty is the exact ‖J_f‖²_F.
      hidden: [64, 64, 64],
      activation: 'tanh',
      // Narrow data: λ 0.001 (family-defaults.ts defaultLambda).
      lambda: 0.001,
      contractive: { method: 'exact' },
    });
    expect(run.dataset).toMatchObject({
      source: 'sample:swiss-roll?rows=400&noise=0.2&seed=0',
      rows: 400,
      dims: 3,
    });
    expect(run.dataset.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(run.backend).toMatchObject({ backend: 'cpu', requested: 'cpu', reason: 'requested' });
    expect(run.history).toHaveLength(4);
    for (const h of run.history)
      expect(Object.keys(h)).toEqual(
        expect.arrayContaining(['epoch', 'loss', 'valLoss', 'seconds', 'reconstruction', 'penalty']),
      );
    expect(run.history[0].loss).toBeCloseTo(run.history[0].reconstruction + run.history[0].penalty, 6);
    expect(run.metrics).toMatchObject({
      trainMse: expect.any(Number),
      valMse: expect.any(Number),
      samplesPerSecond: expect.any(Number),
    });
    expect(run.metrics.contraction.meanJacobianFrobeniusSq).toBeGreaterThan(0);
    expect(run.seconds).toBeGreaterThan(0);

    const codes = readNpy(join(out, 'codes.npy'));
    expect(codes).toMatchObject({ descr: '<f4', fortran: false, shape: [400, 2] });
    const rec = readNpy(join(out, 'reconstructions.npy'));
    expect(rec).toMatchObject({ descr: '<f4', fortran: false, shape: [400, 3] });
    // Original units: the swiss roll spans about ±10 in x; standardised values would not.
    expect(Math.max(...Array.from(rec.data).map(Math.abs))).toBeGreaterThan(3);

    // model/ reloads to the same codes, with the training normalisation, from the raw data.
    const { generateSample } = await import('../../../electron/data/samples/generate');
    const ds = generateSample('swiss-roll', { rows: 400 });
    const loaded = loadModel(
      JSON.parse(readFileSync(join(out, 'model', 'model.json'), 'utf8')),
      new Uint8Array(readFileSync(join(out, 'model', 'weights.bin'))),
    );
    const again = await encodeRows(loaded.model, loaded.normalizer, ds.data, ds.rows);
    for (let i = 0; i < again.length; i++) expect(again[i]).toBeCloseTo(codes.data[i]!, 5);
    loaded.model.dispose();
  });

  test('CSV with a label column, greedy deep model: labels.npy, each stage in the history', async () => {
    const csv = join(dir, 'points.csv');
    const lines = ['a,b,c,kind'];
    for (let i = 0; i < 60; i++)
      lines.push(`${Math.cos(i)},${Math.sin(i)},${i / 60},${i % 3 === 0 ? 'x' : 'y'}`);
    writeFileSync(csv, lines.join('\n') + '\n');
    const out = join(dir, 'csv-run');
    const r = await runCli([
      'train',
      '--data',
      csv,
      '--label-column',
      'kind',
      '--model',
      'deep',
      '--hidden',
      '8,4',
      '--latent',
      '2',
      '--pretrain',
      'greedy',
      '--pretrain-epochs',
      '2',
      '--epochs',
      '2',
      '--out',
      out,
      '--backend',
      'cpu',
      '--quiet',
    ]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
    const run = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8'));
    expect(run.dataset).toMatchObject({ rows: 60, dims: 3, labels: true });
    expect([...new Set(run.history.map((h: { stage: string }) => h.stage))]).toEqual([
      'pretrain-1',
      'pretrain-2',
      'pretrain-3',
      'finetune',
    ]);
    expect(run.stages.map((s: { stage: string }) => s.stage)).toEqual([
      'pretrain-1',
      'pretrain-2',
      'pretrain-3',
      'finetune',
    ]);
    const labels = readNpy(join(out, 'labels.npy'));
    expect(labels).toMatchObject({ descr: '<i4', shape: [60] });
    expect(new Set(labels.data).size).toBe(2);
  });

  test('a .npy input; --force replaces a previous run and keeps what is not its own', async () => {
    const file = join(dir, 'x.npy');
    const data = Float32Array.from({ length: 50 * 4 }, (_, i) => Math.sin(i * 0.37) + (i % 4));
    writeFileSync(file, encodeNpy(data, [50, 4]));
    const out = join(dir, 'npy-run');
    const args = ['train', '--data', file, '--model', 'linear', '--latent', '2', '--out', out];
    const first = await runCli([...args, '--epochs', '50', '--backend', 'cpu', '-q']);
    expect(first.status, first.stderr).toBe(0);
    writeFileSync(join(out, 'notes.txt'), 'mine');
    const before = readFileSync(join(out, 'run.json'), 'utf8');
    const refused = await runCli([...args, '--backend', 'cpu', '-q']);
    expect(refused.status).toBe(2);
    expect(refused.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(/^error: .*npy-run: the folder exists and is not empty.*--force/),
    ]);
    expect(readFileSync(join(out, 'run.json'), 'utf8')).toBe(before);
    const r = await runCli([...args, '--epochs', '50', '--backend', 'cpu', '-q', '--force']);
    expect(r.status, r.stderr).toBe(0);
    expect(readdirSync(out).sort()).toEqual([
      '.manifold-explorer-run.json',
      'codes.npy',
      'model',
      'notes.txt',
      'reconstructions.npy',
      'run.json',
    ]);
    expect(readFileSync(join(out, 'notes.txt'), 'utf8')).toBe('mine');
    expect(readFileSync(join(out, 'run.json'), 'utf8')).not.toBe(before);
    expect(leftovers(dir)).toEqual([]);
    const run = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8'));
    expect(run.metrics.principalAnglesDeg).toHaveLength(2);
  });

  const bad: [string, string[], RegExp][] = [
    ['no --data', ['--model', 'sparse'], /required option '--data/],
    ['unknown family', ['--data', 'sample:helix', '--model', 'quantum'], /--model.*quantum.*choices/],
    [
      'latent 0',
      ['--data', 'sample:helix', '--model', 'sparse', '--latent', '0'],
      /--latent.*whole number ≥ 1/,
    ],
    [
      'bad noise',
      ['--data', 'sample:helix', '--model', 'denoising', '--noise', 'pink:1'],
      /--noise.*gaussian:σ/,
    ],
    [
      'mask probability above 1',
      ['--data', 'sample:helix', '--model', 'denoising', '--noise', 'mask:1.5'],
      /--noise: a mask or salt-pepper probability/,
    ],
    [
      'closed form on a deep encoder',
      ['--data', 'sample:helix', '--model', 'contractive', '--hidden', '8', '--contractive', 'closed-form'],
      /--contractive: the closed-form/,
    ],
    [
      'validation split of 2',
      ['--data', 'sample:helix', '--model', 'sparse', '--val-split', '2'],
      /--val-split/,
    ],
    ['unknown sample', ['--data', 'sample:moebius', '--model', 'sparse'], /moebius/],
    ['missing file', ['--data', 'no/such/file.csv', '--model', 'sparse'], /no\/such\/file\.csv/],
    [
      'categorical output without categorical columns',
      [
        '--data',
        'sample:helix?rows=50',
        '--model',
        'undercomplete',
        '--output',
        'categorical',
        '--backend',
        'cpu',
      ],
      /categorical output needs categorical columns/,
    ],
    [
      'a diverging run',
      [
        '--data',
        'sample:helix?rows=200',
        '--model',
        'linear',
        '--lr',
        '90',
        '--optimizer',
        'sgd',
        '--momentum',
        '0.99',
        '--epochs',
        '40',
        '--backend',
        'cpu',
      ],
      /diverged.*--lr/,
    ],
  ];
  // Child processes, so these can run side by side.
  test.concurrent.for(bad)(
    '%s: exit 2, one error: line, no output folder',
    async ([name, args, message], { expect }) => {
      const out = join(dir, `bad-${name.replace(/\W+/g, '-')}`);
      const r = await runCli(['train', ...args, '--out', out, '-q']);
      expect(r.status, r.stderr).toBe(2);
      const lines = r.stderr.trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/^error: /);
      expect(lines[0]).toMatch(message);
      expect(existsSync(out)).toBe(false);
      expect(leftovers(dir)).toEqual([]);
    },
  );
});
