/**
 * `manifold-explorer analyze --run DIR --at POINTS [--tangents] [--score] [--trajectories STEPS]
 * --out DIR2` (docs/cli.md): loads a run made by `train` (run.json and model/), reads POINTS with the
 * datasets loader (any file it reads, or sample:NAME), and writes DIR2 as train writes its --out
 * (out-dir.ts: claimed first, the files moved in at the end):
 *   tangents.npy          n × m × d  orthonormal rows: the estimated tangent basis at each point
 *   singular-values.npy   n × r      the Jacobian's singular values (r = min(k, d))
 *   score.npy             n × d      r(x) − x
 *   trajectories.npy      n × (STEPS+1) × d
 *   analysis.json         what was computed and the metrics that apply: trustworthiness,
 *                         continuity, k-NN accuracy, precision@k and mAP (labels), the angle to the
 *                         true tangent plane and the cosine to the true score (built-in samples).
 * Everything in the data's original units.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { InvalidArgumentError, Option, type Command } from 'commander';
import { UserError } from '../../shared/errors';
import { addDataOptions, loadOptionsFrom, type DataCliOptions } from '../../data/cli-options';
import { loadDataset } from '../../data/load';
import { encodeNpy } from '../../data/npy';
import { hasKnownScore, parseSampleSpec, sampleScore } from '../../data/samples/generate';
import { setupNodeBackend } from '../../hosts/node/backends';
import type { BackendPreference } from '../../engine/backend';
import { loadModel, MODEL_MANIFEST_FILE, MODEL_WEIGHTS_FILE } from '../../engine/serialize';
import type { LoadedModel } from '../../engine/serialize';
import { viewOf } from '../../engine/analysis/model-view';
import { tangentAngles, tangentPlanes } from '../../engine/analysis/tangents';
import { scoreCosines, scoreField, trajectories } from '../../engine/analysis/score';
import { applyBatched } from '../../engine/analysis/full-jacobian';
import { continuity, gather, knnAccuracy, sampleRows, trustworthiness } from '../../engine/analysis/quality';
import { retrievalScores } from '../../engine/analysis/retrieval';
import { normalize } from '../../engine/data/normalize';
import { corrupt } from '../../engine/corruption';
import { createRng } from '../../engine/random';
import { claimOut, type OutClaim } from '../out-dir';
import { interrupts } from '../interrupt';
import { version } from '../../../package.json';
import { addTableOptions } from '../table-options';
import type { Dataset } from '../../shared/dataset';

interface AnalyzeCliOptions extends DataCliOptions {
  run: string;
  at: string;
  out: string;
  tangents?: boolean;
  tangentMethod: 'decoder' | 'encoder';
  dims?: number;
  score?: boolean;
  trajectories?: number;
  alpha: number;
  chain?: boolean;
  offset: number;
  seed: number;
  k: number;
  backend?: BackendPreference;
  force?: boolean;
}

const positiveInt = (max: number) => (v: string) => {
  const n = Number(v);
  if (!/^\s*\d+\s*$/.test(v) || n < 1 || n > max)
    throw new InvalidArgumentError(`expected a whole number from 1 to ${max}.`);
  return n;
};
const nonNegative = (v: string) => {
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0) throw new InvalidArgumentError('expected a number ≥ 0.');
  return n;
};

/** run.json and the model's files, read and checked before any tensor exists. */
async function readRun(
  dir: string,
): Promise<{ run: Record<string, unknown>; manifest: unknown; weights: Uint8Array; inputDims: number }> {
  const runFile = join(dir, 'run.json');
  let run: Record<string, unknown>;
  try {
    run = JSON.parse(await readFile(runFile, 'utf8')) as Record<string, unknown>;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new UserError(
      'bad-run',
      code === 'ENOENT'
        ? 'no run.json here: expected a folder written by `manifold-explorer train --out`'
        : `not valid JSON (${e instanceof Error ? e.message : String(e)})`,
      { file: runFile },
    );
  }
  let manifest: unknown, weights: Uint8Array;
  try {
    manifest = JSON.parse(await readFile(join(dir, 'model', MODEL_MANIFEST_FILE), 'utf8'));
    weights = new Uint8Array(await readFile(join(dir, 'model', MODEL_WEIGHTS_FILE)));
  } catch (e) {
    throw new UserError(
      'bad-run',
      `cannot read the model (${e instanceof Error ? e.message : String(e)}); expected model/${MODEL_MANIFEST_FILE} and model/${MODEL_WEIGHTS_FILE}`,
      { file: join(dir, 'model') },
    );
  }
  const inputDims = (manifest as { inputDims?: unknown } | null)?.inputDims;
  if (typeof inputDims !== 'number')
    throw new UserError('bad-model', 'not a model manifest (no inputDims)', {
      file: join(dir, 'model', MODEL_MANIFEST_FILE),
    });
  return { run, manifest, weights, inputDims };
}

const summary = (a: ArrayLike<number>) => {
  const s = Array.from(a)
    .filter(Number.isFinite)
    .sort((x, y) => x - y);
  if (!s.length) return null;
  const q = (f: number) => s[Math.min(s.length - 1, Math.floor(f * (s.length - 1)))]!;
  return {
    mean: s.reduce((x, y) => x + y, 0) / s.length,
    median: q(0.5),
    p10: q(0.1),
    p90: q(0.9),
    min: s[0]!,
    max: s[s.length - 1]!,
  };
};

export async function analyzeRun(
  o: AnalyzeCliOptions,
  log: (s: string) => void,
): Promise<Record<string, unknown>> {
  if (!o.tangents && !o.score && !o.trajectories)
    throw new UserError(
      'bad-option',
      'nothing to compute: give --tangents, --score and/or --trajectories STEPS',
    );
  // Claimed first: refused before any work if another run writes it or it holds others' files.
  const claim = await claimOut(o.out, { force: !!o.force, command: 'analyze', version });
  try {
    return await analyzeInto(claim, o, log);
  } catch (e) {
    claim.release();
    throw e;
  }
}

async function analyzeInto(
  claim: OutClaim,
  o: AnalyzeCliOptions,
  log: (s: string) => void,
): Promise<Record<string, unknown>> {
  interrupts.doing('reading the run');
  const runDir = resolve(o.run);
  const saved = await readRun(runDir);
  const run = saved.run;
  interrupts.doing('loading the points');
  const points: Dataset = await loadDataset(o.at, loadOptionsFrom(o));
  const d = saved.inputDims;
  if (points.dims !== d)
    throw new UserError(
      'bad-points',
      `has ${points.dims} columns; the run's model expects ${d} (its training data's width)`,
      { file: o.at },
    );
  interrupts.doing('analysing the points');
  const choice = await setupNodeBackend(o.backend ?? 'auto', { dims: d });
  const model: LoadedModel = loadModel(saved.manifest, saved.weights, join(runDir, 'model'));
  const mv = viewOf(model);
  const n = points.rows;
  const x = points.data;
  const files: Record<string, { data: Float32Array; shape: number[] }> = {};
  const metrics: Record<string, unknown> = {};
  const out: Record<string, unknown> = {
    run: {
      dir: runDir,
      family: model.config.family,
      latent: model.model.latent,
      config: model.config,
      dataset: run.dataset ?? null,
    },
    points: { source: points.source, rows: n, dims: d, sha256: points.sha256 },
    backend: choice,
  };

  if (o.tangents) {
    log(`tangents (${o.tangentMethod} Jacobian) at ${n} points…`);
    const t = await tangentPlanes(mv, x, n, {
      method: o.tangentMethod,
      ...(o.dims
        ? { dims: o.dims }
        : points.truth?.intrinsicDims
          ? { dims: points.truth.intrinsicDims }
          : {}),
    });
    files['tangents.npy'] = { data: t.tangents, shape: [n, t.m, d] };
    files['singular-values.npy'] = { data: t.singularValues, shape: [n, t.r] };
    const tangentInfo: Record<string, unknown> = {
      method: o.tangentMethod,
      dims: t.m,
      localIntrinsicDims: summary(t.intrinsicDims),
    };
    if (points.truth?.tangents) {
      const angles = tangentAngles(t.tangents, t.m, points.truth.tangents, points.truth.intrinsicDims, n, d);
      tangentInfo.angleToTruthDeg = summary(angles);
      metrics.medianTangentAngleDeg =
        tangentInfo.angleToTruthDeg && (tangentInfo.angleToTruthDeg as { median: number }).median;
    }
    out.tangents = tangentInfo;
  }
  if (o.score) {
    log(`score field r(x) − x at ${n} points…`);
    const v = await scoreField(mv, x, n);
    files['score.npy'] = { data: v, shape: [n, d] };
    const norms = Float32Array.from({ length: n }, (_, i) => Math.hypot(...v.subarray(i * d, (i + 1) * d)));
    const scoreInfo: Record<string, unknown> = { norm: summary(norms) };
    let truth = points.truth?.score;
    if (!truth && points.source.startsWith('sample:')) {
      const { name, params } = parseSampleSpec(points.source);
      if (hasKnownScore(name, params)) truth = sampleScore(name, params, x);
    }
    if (truth) {
      const cos = scoreCosines(mv.normalizer.scale, v, truth, n);
      scoreInfo.cosineToTrueScore = summary(cos);
      metrics.meanScoreCosine = (scoreInfo.cosineToTrueScore as { mean: number } | null)?.mean ?? null;
    }
    out.score = scoreInfo;
  }
  if (o.trajectories) {
    const mode = o.chain ? 'chain' : 'descent';
    log(`${o.trajectories}-step ${mode} trajectories from ${n} points…`);
    const rng = createRng(o.seed);
    const start = Float32Array.from(x, (v) => v + (o.offset > 0 ? rng.normal() * o.offset : 0));
    const noise =
      model.config.family === 'denoising' ? model.config.noise : { kind: 'gaussian' as const, level: 0.1 };
    const paths = await trajectories(mv, start, n, {
      steps: o.trajectories,
      mode,
      alpha: o.alpha,
      seed: o.seed,
      // Salt-and-pepper needs the training columns' range, which a run does not keep: use Gaussian.
      corrupt: (t, seed) =>
        corrupt(t, noise.kind === 'salt-pepper' ? { kind: 'gaussian', level: noise.level } : noise, seed),
    });
    files['trajectories.npy'] = { data: paths, shape: [n, o.trajectories + 1, d] };
    const moved = Float32Array.from({ length: n }, (_, i) => {
      let s = 0;
      for (let c = 0; c < d; c++)
        s += (paths[(i * (o.trajectories! + 1) + o.trajectories!) * d + c]! - start[i * d + c]!) ** 2;
      return Math.sqrt(s);
    });
    out.trajectories = {
      steps: o.trajectories,
      mode,
      alpha: o.alpha,
      offset: o.offset,
      seed: o.seed,
      displacement: summary(moved),
    };
  }

  // Embedding quality of the points' codes (sampled when large; said in analysis.json).
  const codes = await applyBatched((t) => model.model.codes(t), normalize(mv.normalizer, x), n, d, mv.latent);
  const { rows: sample, sampled } = sampleRows(n, 1000, o.seed);
  const k = Math.min(o.k, Math.floor((sample.length - 1) / 2));
  if (k >= 1) {
    const X = gather({ data: x, rows: n, cols: d }, sample);
    const Z = gather({ data: codes, rows: n, cols: mv.latent }, sample);
    metrics.trustworthiness = trustworthiness(X, Z, k);
    metrics.continuity = continuity(X, Z, k);
    if (points.labels) {
      const labels = Int32Array.from(sample, (i) => points.labels![i]!);
      metrics.knnAccuracy = knnAccuracy(Z, labels, Math.min(5, sample.length - 1));
      const r = retrievalScores(
        Z,
        labels,
        Array.from({ length: Math.min(200, sample.length) }, (_, i) => i),
        k,
      );
      metrics[`precisionAt${k}`] = r.precisionAtK;
      metrics.meanAveragePrecision = r.meanAveragePrecision;
    }
    metrics.neighbours = k;
    metrics.sampledRows = sampled ? sample.length : null;
  }
  out.metrics = metrics;
  out.files = Object.keys(files);

  interrupts.doing(`writing into ${claim.dir}`);
  for (const [name, t] of Object.entries(files))
    await writeFile(join(claim.tmp, name), encodeNpy(t.data, t.shape));
  await writeFile(join(claim.tmp, 'analysis.json'), JSON.stringify(out, null, 2) + '\n');
  await claim.commit();
  model.model.dispose();
  return out;
}

export function registerAnalyze(
  program: Command,
  io: { out: (s: string) => void; err: (s: string) => void },
): void {
  const cmd = program
    .command('analyze')
    .description(
      'tangent planes, the score field r(x) − x and denoising trajectories of a trained run, at given points',
    )
    .requiredOption('--run <dir>', 'a folder written by `manifold-explorer train --out`')
    .requiredOption('--at <points>', 'the points: any file the datasets loader reads, or sample:NAME?rows=…')
    .requiredOption('--out <dir>', 'where to write the .npy files and analysis.json (written atomically)')
    .option('--tangents', 'estimate the tangent plane at each point (tangents.npy, singular-values.npy)')
    .addOption(
      new Option(
        '--tangent-method <m>',
        'decoder: column space of J_g(f(x)); encoder: leading right-singular vectors of J_f(x)',
      )
        .choices(['decoder', 'encoder'])
        .default('decoder'),
    )
    .option(
      '--dims <m>',
      'tangent basis size (default: the true dimension for samples, else the median local estimate)',
      positiveInt(4096),
    )
    .option('--score', 'the vector field r(x) − x at each point (score.npy)')
    .option(
      '--trajectories <steps>',
      'denoising trajectories of this many steps (trajectories.npy)',
      positiveInt(10000),
    )
    .option('--alpha <a>', 'step size of x ← x + α (r(x) − x)', nonNegative, 1)
    .option('--chain', 'use the corrupt-then-denoise chain x ← r(C(x)) instead')
    .option(
      '--offset <sigma>',
      'start trajectories this far off the points (Gaussian, original units)',
      nonNegative,
      0,
    )
    .option('--seed <n>', 'seed for offsets, noise and sampling', (v) => Number(v), 0)
    .option('--k <n>', 'neighbours for trustworthiness, continuity and precision@k', positiveInt(1000), 10)
    .option('--force', 'replace --out if it exists')
    .option('--quiet', 'no progress on stderr');
  addTableOptions(cmd, (s) => s.path === 'train.backend');
  addDataOptions(cmd).action(async (opts: AnalyzeCliOptions & { quiet?: boolean }) => {
    const r = await analyzeRun(opts, opts.quiet ? () => {} : (s) => io.err(s + '\n'));
    const m = r.metrics as Record<string, number | null | undefined>;
    const parts = [
      `analysis of ${(r.points as { rows: number }).rows} points written to ${resolve(opts.out)}`,
      m.trustworthiness != null ? `trustworthiness ${m.trustworthiness.toFixed(3)}` : '',
      m.medianTangentAngleDeg != null ? `median tangent angle ${m.medianTangentAngleDeg.toFixed(2)}°` : '',
      m.meanScoreCosine != null ? `mean score cosine ${m.meanScoreCosine.toFixed(3)}` : '',
      m.knnAccuracy != null ? `k-NN accuracy ${m.knnAccuracy.toFixed(3)}` : '',
    ].filter(Boolean);
    io.out(parts.join(', ') + '\n');
  });
}
