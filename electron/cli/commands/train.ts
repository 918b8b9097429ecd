/**
 * `manifold-explorer train --data PATH|sample:NAME --model FAMILY --out DIR [options]` (SPEC.md):
 * loads the data, picks the backend, trains through the engine's runTraining, and writes DIR
 * atomically — everything goes into a hidden sibling folder that is renamed to DIR at the end and
 * removed on any failure — with run.json, codes.npy, reconstructions.npy (float32, input row order,
 * original units), labels.npy when the data have labels, and model/ (model.json + weights.bin).
 * Progress goes to stderr (one line per epoch; --quiet silences it); one summary line to stdout.
 */
import { mkdir, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import { InvalidArgumentError, Option, type Command } from 'commander';
import {
  ACTIVATIONS,
  FAMILIES,
  FAMILY_SUMMARY,
  LR_SCHEDULES,
  ModelConfigSchema,
  NOISE_KINDS,
  NORMALIZE_KINDS,
  OPTIMIZERS,
  OUTPUTS,
  TrainOptionsSchema,
  type ModelConfigInput,
  type TrainOptionsInput,
} from '../../shared/model-config';
import { UserError } from '../../shared/errors';
import type { Dataset } from '../../shared/dataset';
import { addDataOptions, loadOptionsFrom, type DataCliOptions } from '../../data/cli-options';
import { loadDataset } from '../../data/load';
import { encodeNpy } from '../../data/npy';
import { setupNodeBackend } from '../../hosts/node/backends';
import type { BackendChoice, BackendPreference } from '../../engine/backend';
import { flattenHistory, runTraining, type RunResult } from '../../engine/run';
import { MODEL_MANIFEST_FILE, MODEL_WEIGHTS_FILE, saveModel } from '../../engine/serialize';
import type { z } from 'zod';
import { tf } from '../../engine/tf';

interface TrainCliOptions extends DataCliOptions {
  data: string;
  model: (typeof FAMILIES)[number];
  out: string;
  latent?: number;
  hidden?: number[];
  activation?: (typeof ACTIVATIONS)[number];
  codeActivation?: (typeof ACTIVATIONS)[number];
  output?: (typeof OUTPUTS)[number];
  lambda?: number;
  noise?: { kind: (typeof NOISE_KINDS)[number]; level: number };
  tied?: boolean;
  pretrain?: 'none' | 'greedy';
  pretrainEpochs?: number;
  contractive?: 'closed-form' | 'exact' | 'stochastic';
  contractiveSamples?: number;
  contractiveSigma?: number;
  psdGamma?: number;
  psdSteps?: number;
  ista?: boolean;
  outputVariance?: 'fixed' | 'learned';
  klWarmup?: number;
  hash?: 'noise' | 'straight-through';
  hashNoise?: number;
  epochs?: number;
  batchSize?: number;
  optimizer?: (typeof OPTIMIZERS)[number];
  momentum?: number;
  lr?: number;
  lrSchedule?: (typeof LR_SCHEDULES)[number];
  clipNorm?: number;
  patience?: number;
  seed?: number;
  valSplit?: number;
  normalize?: (typeof NORMALIZE_KINDS)[number];
  backend: BackendPreference;
  force?: boolean;
  quiet?: boolean;
}

const integer = (min: number) => (v: string) => {
  const n = Number(v);
  if (!/^\s*-?\d+\s*$/.test(v) || !Number.isSafeInteger(n) || n < min)
    throw new InvalidArgumentError(`expected a whole number ≥ ${min}.`);
  return n;
};

const number =
  (min: number, max = Infinity) =>
  (v: string) => {
    const n = Number(v);
    if (v.trim() === '' || !Number.isFinite(n) || n < min || n > max)
      throw new InvalidArgumentError(`expected a number in [${min}, ${max === Infinity ? '∞' : max}].`);
    return n;
  };

function widths(v: string): number[] {
  if (v.trim() === '' || v.trim() === 'none') return [];
  return v.split(',').map((s) => {
    const n = Number(s.trim());
    if (!/^\s*\d+\s*$/.test(s) || n < 1)
      throw new InvalidArgumentError('expected comma-separated widths such as 256,64 (or none).');
    return n;
  });
}

function noise(v: string): { kind: (typeof NOISE_KINDS)[number]; level: number } {
  const m = /^([a-z-]+):(.+)$/.exec(v.trim());
  const kind = m?.[1] as (typeof NOISE_KINDS)[number] | undefined;
  const level = Number(m?.[2]);
  if (!m || !kind || !NOISE_KINDS.includes(kind) || !Number.isFinite(level) || level < 0)
    throw new InvalidArgumentError('expected gaussian:σ, mask:ν or salt-pepper:ν, e.g. gaussian:0.1.');
  return { kind, level };
}

/** The option that sets each config field, so schema errors speak in flags. */
const FLAG: Record<string, string> = {
  family: '--model',
  latent: '--latent',
  hidden: '--hidden',
  activation: '--activation',
  codeActivation: '--code-activation',
  output: '--output',
  tied: '--tied',
  lambda: '--lambda',
  noise: '--noise',
  'contractive.method': '--contractive',
  'contractive.samples': '--contractive-samples',
  'contractive.sigma': '--contractive-sigma',
  pretrain: '--pretrain',
  'pretrain.epochs': '--pretrain-epochs',
  'psd.gamma': '--psd-gamma',
  'psd.steps': '--psd-steps',
  outputVariance: '--output-variance',
  klWarmup: '--kl-warmup',
  'hashing.method': '--hash',
  'hashing.noiseStd': '--hash-noise',
  epochs: '--epochs',
  batchSize: '--batch-size',
  optimizer: '--optimizer',
  momentum: '--momentum',
  lr: '--lr',
  schedule: '--lr-schedule',
  clipNorm: '--clip-norm',
  patience: '--patience',
  seed: '--seed',
  valSplit: '--val-split',
  normalize: '--normalize',
};

function flagFor(path: readonly PropertyKey[]): string {
  for (let i = path.length; i > 0; i--) {
    const f = FLAG[path.slice(0, i).map(String).join('.')];
    if (f) return f;
  }
  return path.map(String).join('.');
}

function explain(e: z.ZodError): string {
  return e.issues.map((i) => `${flagFor(i.path)}: ${i.message}`).join('; ');
}

function definedOnly<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

/** The option values as the engine's config and train options, validated (UserError on misuse). */
export function configFromOptions(o: TrainCliOptions): {
  config: ModelConfigInput;
  train: TrainOptionsInput;
} {
  const config: ModelConfigInput = definedOnly({
    family: o.model,
    latent: o.latent,
    hidden: o.hidden,
    activation: o.activation,
    codeActivation: o.codeActivation,
    output: o.output,
    tied: o.tied,
    lambda: o.lambda,
    noise: o.noise,
    outputVariance: o.outputVariance,
    klWarmup: o.klWarmup,
    contractive: definedOnly({
      method: o.contractive,
      samples: o.contractiveSamples,
      sigma: o.contractiveSigma,
    }),
    pretrain: definedOnly({ mode: o.pretrain, epochs: o.pretrainEpochs }),
    psd: definedOnly({ gamma: o.psdGamma, steps: o.psdSteps, fista: o.ista ? false : undefined }),
    hashing: definedOnly({ method: o.hash, noiseStd: o.hashNoise }),
  });
  const train: TrainOptionsInput = definedOnly({
    epochs: o.epochs,
    batchSize: o.batchSize,
    optimizer: o.optimizer,
    momentum: o.momentum,
    lr: o.lr,
    schedule: o.lrSchedule ? { kind: o.lrSchedule } : undefined,
    clipNorm: o.clipNorm,
    patience: o.patience,
    seed: o.seed,
    valSplit: o.valSplit,
    normalize: o.normalize,
    backend: o.backend,
  });
  const c = ModelConfigSchema.safeParse(config);
  if (!c.success) throw new UserError('bad-option', explain(c.error));
  const t = TrainOptionsSchema.safeParse(train);
  if (!t.success) throw new UserError('bad-option', explain(t.error));
  return { config, train };
}

async function exists(p: string): Promise<boolean> {
  try {
    await stat(p);
    return true;
  } catch {
    return false;
  }
}

async function checkOut(out: string, force: boolean): Promise<void> {
  if (!(await exists(out))) return;
  const s = await stat(out);
  if (!s.isDirectory())
    throw new UserError('out-exists', `${out}: exists and is not a folder; choose another --out`);
  if ((await readdir(out)).length && !force)
    throw new UserError(
      'out-exists',
      `${out}: the folder exists and is not empty; choose another --out or pass --force to replace it`,
    );
}

function datasetSummary(ds: Dataset) {
  return {
    source: ds.source,
    name: ds.name,
    rows: ds.rows,
    dims: ds.dims,
    sha256: ds.sha256,
    ...(ds.labels ? { labels: true, ...(ds.labelNames ? { labelNames: ds.labelNames } : {}) } : {}),
    ...(ds.featureNames ? { featureNames: ds.featureNames } : {}),
    ...(ds.categorical?.length ? { categorical: ds.categorical } : {}),
    ...(ds.image ? { image: ds.image } : {}),
  };
}

async function writeRun(
  dir: string,
  r: RunResult,
  ds: Dataset,
  backend: BackendChoice,
  version: string,
  startedAt: number,
): Promise<void> {
  await mkdir(join(dir, 'model'), { recursive: true });
  const saved = await saveModel(r.model, r.normalizer, ds.categorical);
  await writeFile(join(dir, 'model', MODEL_MANIFEST_FILE), JSON.stringify(saved.manifest, null, 2) + '\n');
  await writeFile(join(dir, 'model', MODEL_WEIGHTS_FILE), saved.weights);
  await writeFile(join(dir, 'codes.npy'), encodeNpy(r.codes, [ds.rows, r.latent]));
  await writeFile(join(dir, 'reconstructions.npy'), encodeNpy(r.reconstructions, [ds.rows, ds.dims]));
  if (ds.labels) await writeFile(join(dir, 'labels.npy'), encodeNpy(ds.labels, [ds.rows]));
  const run = {
    app: { name: 'manifold-explorer', version },
    createdAt: new Date().toISOString(),
    config: r.config,
    train: r.train,
    dataset: datasetSummary(ds),
    backend,
    split: r.split,
    normalizer: saved.manifest.normalizer,
    history: flattenHistory(r.history),
    ...(r.stages.length ? { stages: r.stages } : {}),
    stopped: r.stopped,
    metrics: r.metrics,
    warnings: r.warnings,
    seconds: (performance.now() - startedAt) / 1000,
    trainingSeconds: r.seconds,
  };
  await writeFile(join(dir, 'run.json'), JSON.stringify(run, null, 2) + '\n');
}

const fmt = (v: number | null | undefined) =>
  v === null || v === undefined ? '-' : Number(v.toPrecision(4)).toString();

export function registerTrain(
  program: Command,
  io: { out: (s: string) => void; err: (s: string) => void },
  version: string,
): void {
  const cmd = program
    .command('train')
    .description(
      'train an autoencoder and write run.json, codes.npy, reconstructions.npy and model/ into --out',
    )
    .requiredOption(
      '--data <path|sample:NAME>',
      'the data: a CSV/TSV, .npy, IDX, JSON file, an image folder, or sample:NAME[?rows=…&noise=…&seed=…]',
    )
    .addOption(
      new Option('--model <family>', 'the autoencoder family (listed below)')
        .choices(FAMILIES)
        .makeOptionMandatory(),
    )
    .requiredOption('--out <dir>', 'the folder to write (created; must not exist or be empty unless --force)')
    .option('--latent <k>', 'code size k (default 2)', integer(1))
    .option(
      '--hidden <widths>',
      'hidden layer widths of the encoder, e.g. 256,64; the decoder mirrors them (default 64; deep 128,64; linear and psd none; none: the shallow textbook model)',
      widths,
    )
    .addOption(
      new Option('--activation <name>', 'activation of the hidden layers (default relu)').choices(
        ACTIVATIONS,
      ),
    )
    .addOption(
      new Option('--code-activation <name>', 'activation of the code layer (default by family)').choices(
        ACTIVATIONS,
      ),
    )
    .addOption(
      new Option(
        '--output <dist>',
        'decoder distribution p(x|h): gaussian, bernoulli (data in [0, 1]) or categorical (one-hot groups) (default gaussian)',
      ).choices(OUTPUTS),
    )
    .option(
      '--lambda <λ>',
      'regularisation weight: sparse L1 (0.01), contractive ‖J‖² (0.01), vae β on the KL (1), psd ‖h‖₁ (0.1)',
      number(0),
    )
    .option(
      '--noise <kind:level>',
      'denoising corruption: gaussian:σ, mask:ν or salt-pepper:ν (default gaussian:0.1)',
      noise,
    )
    .addOption(
      new Option(
        '--output-variance <kind>',
        'vae: the gaussian decoder variance, fixed at 1 or learned per feature (default learned)',
      ).choices(['fixed', 'learned']),
    )
    .option(
      '--kl-warmup <f>',
      'vae: β rises from 0 over this fraction of the epochs (default 0.2; 0 = off)',
      number(0, 1),
    )
    .option('--tied', 'tie the decoder to the encoder: W_dec = W_encᵀ (default for linear)')
    .option('--no-tied', 'untie the decoder (linear)')
    .addOption(
      new Option(
        '--pretrain <mode>',
        'greedy layer-wise pretraining of the stack, then fine-tuning (default none)',
      ).choices(['none', 'greedy']),
    )
    .option('--pretrain-epochs <n>', 'epochs for each greedy stage (default 20)', integer(1))
    .addOption(
      new Option(
        '--contractive <method>',
        'how ‖J_f‖² is computed (default: closed-form for one sigmoid layer, else exact)',
      ).choices(['closed-form', 'exact', 'stochastic']),
    )
    .option(
      '--contractive-samples <n>',
      'stochastic CAE+H estimate: noise samples per point (default 4)',
      integer(1),
    )
    .option('--contractive-sigma <σ>', 'stochastic CAE+H estimate: noise σ (default 0.05)', number(0))
    .option('--psd-gamma <γ>', 'psd: weight of the prediction term γ‖h − f(x)‖² (default 1)', number(0))
    .option('--psd-steps <n>', 'psd: ISTA/FISTA iterations per batch (default 30)', integer(1))
    .option('--ista', 'psd: plain ISTA instead of FISTA')
    .addOption(
      new Option(
        '--hash <method>',
        'hashing: noise before the sigmoid code layer, or a straight-through binariser (default noise)',
      ).choices(['noise', 'straight-through']),
    )
    .option(
      '--hash-noise <s>',
      'hashing: standard deviation of the noise before the sigmoid (default 2)',
      number(0),
    )
    .option('--epochs <n>', 'passes over the training rows (default 100; linear 500)', integer(1))
    .option(
      '--batch-size <n>',
      'rows per step, 0 = full batch (default 64; linear: full batch up to 20,000 rows)',
      integer(0),
    )
    .addOption(
      new Option('--optimizer <name>', 'adam or sgd with momentum (default adam)').choices(OPTIMIZERS),
    )
    .option('--momentum <μ>', 'sgd momentum (default 0.9)', number(0, 0.9999))
    .option('--lr <η>', 'learning rate (default 0.003; sgd 0.01; linear 0.03)', number(0))
    .addOption(
      new Option('--lr-schedule <kind>', 'learning-rate schedule (default cosine)').choices(LR_SCHEDULES),
    )
    .option('--clip-norm <c>', 'clip the gradient to this global norm (default off)', number(0))
    .option(
      '--patience <n>',
      'early stopping after n epochs without a better validation loss, 0 = off (default 20; linear 0)',
      integer(0),
    )
    .option('--seed <n>', 'seed for the initialisation, split, shuffles and noise (default 0)', integer(0))
    .option('--val-split <f>', 'fraction of rows held out for validation (default 0.1)', number(0, 0.9))
    .addOption(
      new Option(
        '--normalize <kind>',
        'feature normalisation fitted on the training rows (default standard; bernoulli minmax)',
      ).choices(NORMALIZE_KINDS),
    )
    .addOption(
      new Option('--backend <name>', 'compute backend; auto calibrates the available ones')
        .choices(['auto', 'webgpu', 'tensorflow', 'wasm', 'cpu'])
        .default('auto'),
    )
    .option('--force', 'replace --out if it exists')
    .option('-q, --quiet', 'no progress on stderr');
  addDataOptions(cmd);
  cmd.addHelpText(
    'after',
    '\nFamilies:\n' +
      FAMILIES.map((f) => `  ${f.padEnd(14)}${FAMILY_SUMMARY[f]}`).join('\n') +
      '\n\nExample:\n  manifold-explorer train --data sample:swiss-roll --model contractive --out runs/demo\n',
  );
  cmd.action(async (o: TrainCliOptions) => {
    const startedAt = performance.now();
    const { config, train } = configFromOptions(o);
    const out = resolve(o.out);
    await checkOut(out, !!o.force);
    const progress = (s: string) => {
      if (!o.quiet) io.err(s + '\n');
    };
    const dataset = await loadDataset(o.data, loadOptionsFrom(o));
    // What the loader read but doubts: printed even with --quiet (it may explain a bad result).
    for (const w of dataset.warnings ?? []) io.err(`warning: ${w}\n`);
    // Production mode: no debug checks, and no "install tfjs-node" banner from the CPU backend.
    tf.enableProdMode();
    let backend: BackendChoice;
    try {
      backend = await setupNodeBackend(o.backend, { dims: dataset.dims, log: (m) => progress(m) });
    } catch (e) {
      throw new UserError('backend', `--backend ${o.backend}: ${e instanceof Error ? e.message : String(e)}`);
    }
    progress(
      `training ${o.model} on ${dataset.source} (${dataset.rows} × ${dataset.dims}) with ${backend.backend} (${backend.reason})`,
    );
    const ctl = new AbortController();
    const onSigint = () => ctl.abort();
    process.once('SIGINT', onSigint);
    const parent = dirname(out);
    await mkdir(parent, { recursive: true });
    const tmp = join(parent, `.${basename(out)}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`);
    let result: RunResult | undefined;
    let summary = '';
    try {
      result = await runTraining(
        { dataset, config, train },
        {
          onEpochEnd: (h) => {
            const parts = Object.entries(h.parts)
              .map(([k, v]) => `${k} ${fmt(v)}`)
              .join('  ');
            progress(
              `${h.stage ? `${h.stage} ` : ''}epoch ${h.epoch}  loss ${fmt(h.loss)}  val ${fmt(h.valLoss)}  ${parts}  (${h.seconds.toFixed(1)} s)`,
            );
          },
        },
        ctl.signal,
      );
      if (result.stopped === 'aborted')
        throw new UserError('interrupted', 'interrupted; nothing was written');
      for (const w of result.warnings) progress(`warning: ${w}`);
      await writeRun(tmp, result, dataset, backend, version, startedAt);
      if (await exists(out)) {
        const old = join(parent, `.${basename(out)}.old-${process.pid}-${randomBytes(4).toString('hex')}`);
        await rename(out, old);
        await rename(tmp, out);
        await rm(old, { recursive: true, force: true });
      } else await rename(tmp, out);
      const m = result.metrics;
      summary =
        `trained ${o.model} (${m.paramCount} parameters, k = ${result.latent}) on ${dataset.rows} × ${dataset.dims} in ${result.seconds.toFixed(1)} s with ${backend.backend}: ` +
        `train MSE ${fmt(m.trainMse)}, val MSE ${fmt(m.valMse)}${m.pca ? `, PCA ${fmt(m.pca.trainMse)}` : ''}, ${Math.round(m.samplesPerSecond)} samples/s → ${o.out}\n`;
    } catch (e) {
      await rm(tmp, { recursive: true, force: true });
      throw e;
    } finally {
      process.removeListener('SIGINT', onSigint);
      result?.model.dispose();
    }
    io.out(summary);
  });
}
