/**
 * `export` for every family: a tiny run (a few epochs on 240 rows) is trained and exported with
 * the built CLI (--format pytorch and --format onnx), and the results are run with Debian's Python
 * (/usr/bin/python3) and its python3-torch and python3-onnx. Checked for each:
 * - the package's encoder and decoder reproduce the explorer's codes.npy and reconstructions.npy
 *   (through the normaliser, from the data's own units) within 1e-4 of each array's scale;
 * - loss.py's terms on one batch agree with the engine's objective within 1e-4 (relative). The
 *   noise is fixed by passing loss.py the very draws the engine makes from the batch's seed
 *   (helpers.ts engineDraws), so even the stochastic terms must agree;
 * - for one run of each family, `torchrun --nproc_per_node 2` (gloo, CPU) trains one epoch and
 *   lowers the loss, writes codes.npy as `train` does, and `import` brings those codes back.
 * - encoder.onnx and decoder.onnx pass onnx.checker (full check, shape inference) and, evaluated
 *   op by op (check_onnx.py), give the same codes and reconstructions within 1e-4.
 * Export time, package size and the torchrun epoch time are printed (measured, not asserted).
 */
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { useCpu } from '../engine/helpers';
import {
  CHECK_ONNX,
  CHECK_SCRIPT,
  cli,
  engineSide,
  freePort,
  PYTHON,
  readNpyFile,
  relativeError,
  run,
  TORCHRUN,
  writeNpyFile,
} from './helpers';

const ROLL = 'sample:swiss-roll?rows=240&noise=0.05&seed=3';

interface Case {
  name: string;
  args: string[];
  data?: string;
  /** Also train one epoch under torchrun (one case per family). */
  torchrun?: boolean;
}

const CASES: Case[] = [
  { name: 'linear', args: ['--model', 'linear', '--epochs', '20'], torchrun: true },
  {
    name: 'undercomplete, tied, tanh',
    args: ['--model', 'undercomplete', '--hidden', '8', '--tied', '--activation', 'tanh'],
    torchrun: true,
  },
  {
    name: 'sparse',
    args: ['--model', 'sparse', '--hidden', '8', '--latent', '4', '--lambda', '0.05'],
    torchrun: true,
  },
  { name: 'denoising, gaussian', args: ['--model', 'denoising', '--hidden', '8', '--noise', 'gaussian:0.2'] },
  { name: 'denoising, mask', args: ['--model', 'denoising', '--hidden', '8', '--noise', 'mask:0.3'] },
  {
    name: 'denoising, salt-pepper',
    args: ['--model', 'denoising', '--hidden', '8', '--noise', 'salt-pepper:0.2'],
    torchrun: true,
  },
  {
    name: 'contractive, exact, two elu layers',
    args: ['--model', 'contractive', '--hidden', '8,6', '--activation', 'elu', '--lambda', '0.1'],
    torchrun: true,
  },
  {
    name: 'contractive, closed form',
    args: ['--model', 'contractive', '--hidden', 'none', '--lambda', '0.1'],
  },
  {
    name: 'contractive, stochastic',
    args: [
      '--model',
      'contractive',
      '--hidden',
      '8',
      '--contractive',
      'stochastic',
      '--contractive-samples',
      '3',
    ],
  },
  {
    name: 'deep, greedy pretraining, relu',
    args: ['--model', 'deep', '--hidden', '8,6', '--pretrain', 'greedy', '--pretrain-epochs', '2'],
    torchrun: true,
  },
  { name: 'vae, gaussian, learned variance', args: ['--model', 'vae', '--hidden', '8'], torchrun: true },
  { name: 'vae, bernoulli', args: ['--model', 'vae', '--hidden', '8', '--output', 'bernoulli'] },
  { name: 'psd, fista', args: ['--model', 'psd', '--latent', '4'], torchrun: true },
  { name: 'psd, ista', args: ['--model', 'psd', '--latent', '3', '--ista', '--psd-steps', '12'] },
  { name: 'hashing, noise', args: ['--model', 'hashing', '--hidden', '8', '--latent', '4'], torchrun: true },
  {
    name: 'hashing, straight-through',
    args: ['--model', 'hashing', '--hidden', '8', '--latent', '4', '--hash', 'straight-through'],
  },
  {
    name: 'categorical output',
    args: ['--model', 'undercomplete', '--hidden', '8', '--output', 'categorical'],
  },
];

let dir: string;
let csv: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'me-export-'));
  await useCpu();
  // Two numeric columns and a text column (one-hot encoded by the loader: a categorical group).
  const lines = ['x,kind,y'];
  for (let i = 0; i < 120; i++) {
    const c = i % 3;
    lines.push(
      `${(c * 2 + Math.sin(i)).toFixed(3)},${['red', 'green', 'blue'][c]},${(Math.cos(i * 0.7) - c).toFixed(3)}`,
    );
  }
  csv = join(dir, 'mixed.csv');
  writeFileSync(csv, lines.join('\n') + '\n');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function folderBytes(d: string): number {
  return readdirSync(d).reduce((n, f) => n + statSync(join(d, f)).size, 0);
}

describe.each(CASES)('export: $name', (c) => {
  test(
    'PyTorch and ONNX reproduce codes, reconstructions and loss terms' +
      (c.torchrun ? '; torchrun lowers the loss' : ''),
    async () => {
      const slug = c.name.replace(/[^a-z0-9]+/gi, '-');
      const runDir = join(dir, `${slug}-run`);
      const pkg = join(dir, `${slug}-pkg`);
      const work = join(dir, `${slug}-work`);
      mkdirSync(work);
      const data = c.name.startsWith('categorical') ? csv : (c.data ?? ROLL);
      await cli([
        'train',
        '--data',
        data,
        ...c.args,
        '--epochs',
        '3',
        '--backend',
        'cpu',
        '--quiet',
        '--out',
        runDir,
      ]);
      const t0 = performance.now();
      await cli(['export', '--run', runDir, '--format', 'pytorch', '--out', pkg]);
      const exportMs = performance.now() - t0;

      const e = await engineSide(runDir);
      const draws = Object.fromEntries(
        Object.entries(e.draws).map(([k, v]) => [
          k,
          writeNpyFile(join(work, `draw-${k}.npy`), v.data, v.shape),
        ]),
      );
      const cases = [
        {
          package: pkg,
          data: writeNpyFile(join(work, 'raw.npy'), e.raw, [e.rows, e.dims]),
          train: writeNpyFile(join(work, 'train.npy'), e.x, [e.rows, e.dims]),
          batch: writeNpyFile(join(work, 'batch.npy'), e.batch.data, [e.batch.rows, e.dims]),
          draws,
          progress: e.progress,
          out: work,
        },
      ];
      writeFileSync(join(work, 'cases.json'), JSON.stringify(cases));
      const py = await run(PYTHON, [CHECK_SCRIPT, join(work, 'cases.json')]);
      expect(py.status, py.stderr).toBe(0);
      const { parts } = JSON.parse(py.stdout.trim().split('\n').pop()!) as { parts: Record<string, number> };

      const codes = await readNpyFile(join(runDir, 'codes.npy'));
      const recon = await readNpyFile(join(runDir, 'reconstructions.npy'));
      const pyCodes = await readNpyFile(join(work, 'codes.npy'));
      const pyRecon = await readNpyFile(join(work, 'reconstructions.npy'));
      expect(pyCodes.shape).toEqual(codes.shape);
      expect(pyRecon.shape).toEqual(recon.shape);
      const errors = {
        codes: relativeError(pyCodes.data, codes.data),
        reconstructions: relativeError(pyRecon.data, recon.data),
        ...Object.fromEntries(
          Object.entries(e.parts).map(([k, v]) => [k, Math.abs(parts[k]! - v) / Math.max(Math.abs(v), 1e-6)]),
        ),
      };
      expect(Object.keys(parts).sort()).toEqual(Object.keys(e.parts).sort());
      for (const [name, err] of Object.entries(errors))
        expect(err, `${name}: torch ${parts[name]} vs engine ${e.parts[name]}`).toBeLessThan(1e-4);
      console.log(
        `${c.name}: export ${exportMs.toFixed(0)} ms (CLI process included), package ${folderBytes(pkg)} bytes; ` +
          `relative errors ${Object.entries(errors)
            .map(([k, v]) => `${k} ${v.toExponential(1)}`)
            .join(', ')}`,
      );

      const onnx = join(dir, `${slug}-onnx`);
      await cli(['export', '--run', runDir, '--format', 'onnx', '--out', onnx]);
      const ox = await run(PYTHON, [
        CHECK_ONNX,
        join(onnx, 'encoder.onnx'),
        join(onnx, 'decoder.onnx'),
        cases[0]!.data,
        join(runDir, 'codes.npy'),
        work,
      ]);
      expect(ox.status, ox.stderr).toBe(0);
      expect(JSON.parse(ox.stdout).checked.encoder).toEqual({ ir: 7, opset: 13 });
      const onnxCodes = await readNpyFile(join(work, 'onnx-codes.npy'));
      const onnxRecon = await readNpyFile(join(work, 'onnx-reconstructions.npy'));
      expect(onnxCodes.shape).toEqual(codes.shape);
      expect(relativeError(onnxCodes.data, codes.data)).toBeLessThan(1e-4);
      expect(relativeError(onnxRecon.data, recon.data)).toBeLessThan(1e-4);

      if (!c.torchrun) return;
      const trained = join(work, 'trained');
      // --redirects/--tee: Debian's torch 1.13 on Python 3.11 cannot parse their default "0"
      // (IntFlag iteration skips the zero member); 2 = stderr, which leaves stdout to the script.
      const torchrun = (port: number) =>
        run(
          TORCHRUN,
          [
            '--nproc_per_node',
            '2',
            '--master_addr',
            '127.0.0.1',
            '--master_port',
            String(port),
            '--redirects',
            '2',
            '--tee',
            '2',
            join(pkg, 'train.py'),
            '--data',
            cases[0]!.data,
            '--epochs',
            '1',
            // 237 training rows: shares of 119 and 118 rows, which batches of 59 would split into
            // 3 and 2 steps unless the shares are padded to one size (DDP's all-reduces must pair).
            '--val-split',
            '0.0125',
            '--batch-size',
            '59',
            '--out',
            trained,
          ],
          // Gloo's connections on the loopback interface only.
          { cwd: work, timeoutMs: 40_000, env: { GLOO_SOCKET_IFNAME: 'lo' } },
        );
      // A launch whose Gloo rendezvous hangs (about one launch in ten, at random, also on a quiet
      // machine; not yet explained) is retried on a fresh port, at most twice, and said; a run that
      // hangs every time, as the unpadded shares did, still fails.
      let tr = await torchrun(await freePort());
      for (let retry = 1; tr.timedOut && retry <= 2; retry++) {
        console.warn(`${c.name}: torchrun timed out; retry ${retry} on a fresh port`);
        rmSync(trained, { recursive: true, force: true });
        tr = await torchrun(await freePort());
      }
      expect(tr.status, `${tr.timedOut ? 'timed out\n' : ''}${tr.stdout}\n${tr.stderr}`).toBe(0);
      const history = JSON.parse(readFileSync(join(trained, 'history.json'), 'utf8')) as {
        processes: number;
        history: { loss: number; seconds: number }[];
      };
      expect(history.processes).toBe(2);
      expect(history.history).toHaveLength(2);
      expect(history.history[1]!.loss).toBeLessThan(history.history[0]!.loss);
      const newCodes = await readNpyFile(join(trained, 'codes.npy'));
      expect(newCodes.shape).toEqual(codes.shape);
      console.log(
        `${c.name}: torchrun 2 × gloo, one epoch ${(history.history[1]!.seconds * 1000).toFixed(1)} ms, loss ${history.history[0]!.loss.toPrecision(5)} → ${history.history[1]!.loss.toPrecision(5)}`,
      );
      await cli(['import', '--codes', join(trained, 'codes.npy'), '--run', runDir]);
      expect(Array.from((await readNpyFile(join(runDir, 'codes.npy'))).data)).toEqual(
        Array.from(newCodes.data),
      );
    },
    180_000,
  );
});
