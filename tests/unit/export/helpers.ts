/**
 * Helpers of the export tests: train a tiny run with the built CLI, export it, and compute the
 * engine's side of the comparison in this process — the loss terms of one batch with a fixed seed,
 * and the very noise draws the engine's objective makes from that seed (the same tfjs random ops
 * with the same seeds as engine/corruption.ts, regularizers/kl.ts, regularizers/contractive.ts and
 * families/hashing.ts), so the generated loss.py can be given them and must agree exactly.
 */
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../../helpers/cli';
import { tf } from '../../../electron/engine/tf';
import { loadModel, MODEL_MANIFEST_FILE, MODEL_WEIGHTS_FILE } from '../../../electron/engine/serialize';
import { createObjective } from '../../../electron/engine/families';
import { normalize } from '../../../electron/engine/data/normalize';
import { encodeNpy, parseNpy } from '../../../electron/data/npy';
import { loadDataset } from '../../../electron/data/load';
import type { ModelConfig } from '../../../electron/shared/model-config';

export const PYTHON = '/usr/bin/python3';
export const TORCHRUN = '/usr/bin/torchrun';
export const CHECK_SCRIPT = new URL('./check_package.py', import.meta.url).pathname;
export const CHECK_ONNX = new URL('./check_onnx.py', import.meta.url).pathname;

export async function cli(args: string[]): Promise<string> {
  const r = await runCli(args, { timeoutMs: 120_000 });
  expect(r.status, `${args.join(' ')}\n${r.stderr}`).toBe(0);
  return r.stdout;
}

export function readNpyFile(file: string): Promise<{ data: Float32Array; shape: number[] }> {
  return parseNpy(new Uint8Array(readFileSync(file)), file);
}

export function writeNpyFile(file: string, data: Float32Array, shape: number[]): string {
  writeFileSync(file, encodeNpy(data, shape));
  return file;
}

/**
 * Run a command to its end: status and output. It gets its own process group, and a time-out
 * ends the whole group (torchrun's workers too, which would otherwise keep the pipes open).
 */
export function run(
  cmd: string,
  args: string[],
  opts: { cwd?: string; timeoutMs?: number; env?: NodeJS.ProcessEnv } = {},
): Promise<{ status: number | null; stdout: string; stderr: string; timedOut: boolean }> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, {
      cwd: opts.cwd,
      env: { ...process.env, ...opts.env },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // already gone
      }
    }, opts.timeoutMs ?? 120_000);
    child.on('error', reject);
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr, timedOut });
    });
  });
}

/** A free TCP port on the loopback interface (torchrun's rendezvous). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/** max |a − b| / max |b|: the error relative to the array's own scale. */
export function relativeError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < a.length; i++) {
    diff = Math.max(diff, Math.abs(a[i]! - b[i]!));
    scale = Math.max(scale, Math.abs(b[i]!));
  }
  return diff / Math.max(scale, 1e-30);
}

export interface EngineSide {
  /** Every row of the run's data, original units [rows, d]. */
  raw: Float32Array;
  rows: number;
  dims: number;
  /** The same rows normalised (the engine's training frame). */
  x: Float32Array;
  batch: { data: Float32Array; rows: number };
  draws: Record<string, { data: Float32Array; shape: number[] }>;
  /** [epoch, epochs] passed to setProgress, or null for the full objective. */
  progress: [number, number] | null;
  parts: Record<string, number>;
}

const SEED = 424242;

async function read(t: tf.Tensor): Promise<{ data: Float32Array; shape: number[] }> {
  const data = (await t.data()) as Float32Array;
  const shape = [...t.shape];
  t.dispose();
  return { data: Float32Array.from(data), shape };
}

/** The noise the engine's objective draws for a batch [n, d] with `seed` (see the file comment). */
async function engineDraws(
  cfg: ModelConfig,
  n: number,
  d: number,
  seed: number,
): Promise<EngineSide['draws']> {
  const k = cfg.latent;
  const out: EngineSide['draws'] = {};
  if (cfg.family === 'denoising' && cfg.noise.level > 0) {
    if (cfg.noise.kind === 'gaussian')
      out.noise = await read(tf.randomNormal([n, d], 0, cfg.noise.level, 'float32', seed));
    else {
      out.uniform = await read(tf.randomUniform([n, d], 0, 1, 'float32', seed));
      if (cfg.noise.kind === 'salt-pepper')
        out.salt = await read(tf.randomUniform([n, d], 0, 1, 'float32', (seed ^ 0x5a17) >>> 0));
    }
  }
  if (cfg.family === 'vae') out.eps = await read(tf.randomNormal([n, k], 0, 1, 'float32', seed));
  if (cfg.family === 'hashing' && cfg.hashing.method === 'noise' && cfg.hashing.noiseStd > 0)
    out.noise = await read(tf.randomNormal([n, k], 0, cfg.hashing.noiseStd, 'float32', seed));
  if (cfg.family === 'contractive' && cfg.contractive.method === 'stochastic') {
    const { samples, sigma } = cfg.contractive;
    out.contractive = await read(
      tf.stack(
        Array.from({ length: samples }, (_, s) =>
          tf.randomNormal([n, d], 0, sigma, 'float32', (seed + 7919 * s) >>> 0),
        ),
      ),
    );
  }
  return out;
}

/** The engine's side for a run folder: its data, and one batch's loss terms with their draws. */
export async function engineSide(runDir: string, batchRows = 48): Promise<EngineSide> {
  const runJson = JSON.parse(readFileSync(join(runDir, 'run.json'), 'utf8')) as {
    dataset: { source: string };
  };
  const ds = await loadDataset(runJson.dataset.source);
  const { model, normalizer, config } = loadModel(
    JSON.parse(readFileSync(join(runDir, 'model', MODEL_MANIFEST_FILE), 'utf8')),
    new Uint8Array(readFileSync(join(runDir, 'model', MODEL_WEIGHTS_FILE))),
  );
  try {
    const x = normalize(normalizer, ds.data);
    const n = Math.min(batchRows, ds.rows);
    const batch = x.slice(0, n * ds.dims);
    const all = tf.tensor2d(x, [ds.rows, ds.dims]);
    const obj = createObjective(model, all);
    // The VAE mid-way through its KL warm-up (β·¼ with warm-up 0.2 of 10 epochs at epoch 0.5).
    const progress: [number, number] | null = config.family === 'vae' ? [0.5, 10] : null;
    obj.setProgress?.(progress ? progress[0] : Infinity, progress ? progress[1] : 1);
    const values = tf.tidy(() => {
      const xb = tf.tensor2d(batch, [n, ds.dims]);
      const prepared = obj.prepare?.(xb, SEED) ?? [];
      return tf.stack(obj.parts(xb, SEED, prepared));
    });
    const v = await values.data();
    values.dispose();
    obj.dispose();
    all.dispose();
    const parts = Object.fromEntries(obj.partNames.map((name, i) => [name, v[i]!]));
    return {
      raw: ds.data,
      rows: ds.rows,
      dims: ds.dims,
      x,
      batch: { data: batch, rows: n },
      draws: await engineDraws(config, n, ds.dims, SEED),
      progress,
      parts,
    };
  } finally {
    model.dispose();
  }
}
