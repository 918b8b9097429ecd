/**
 * The training options: one zod schema (with each field's option metadata, options/meta.ts) and
 * `resolveTrainOptions`, the one place where the defaults that depend on the family, the output
 * and the data are decided. run.json records the resolved form. Isomorphic.
 */
import { z } from 'zod';
import { UserError } from './errors';
import {
  isLowDim,
  BACKEND_PREFERENCES,
  LR_SCHEDULES,
  NORMALIZE_KINDS,
  OPTIMIZERS,
  type Family,
  type OutputDistribution,
} from './families';
import { opt } from './options/meta';
import { describeZodError } from './describe-zod';

export const TrainOptionsSchema = z
  .object({
    epochs: z
      .number()
      .int()
      .min(1)
      .max(1_000_000)
      .optional()
      .meta(
        opt({
          flag: '--epochs',
          label: 'Epochs',
          help: 'passes over the training rows',
          group: 'optimisation',
        }),
      ),
    batchSize: z
      .number()
      .int()
      .min(0)
      .optional()
      .meta(
        opt({
          flag: '--batch-size',
          label: 'Batch size',
          help: 'rows per step; 0 = the whole training set at once',
          unit: 'rows',
          group: 'optimisation',
        }),
      ),
    optimizer: z
      .enum(OPTIMIZERS)
      .default('adam')
      .meta(
        opt({
          flag: '--optimizer',
          label: 'Optimiser',
          help: 'adam, or sgd with momentum',
          group: 'optimisation',
          choiceLabels: { sgd: 'sgd + momentum' },
        }),
      ),
    momentum: z
      .number()
      .min(0)
      .max(0.9999)
      .default(0.9)
      .meta(
        opt({
          flag: '--momentum',
          label: 'Momentum μ',
          help: 'SGD momentum μ: v ← μv + g, θ ← θ − η v',
          group: 'optimisation',
          when: { path: 'train.optimizer', is: ['sgd'] },
        }),
      ),
    lr: z
      .number()
      .positive()
      .max(100)
      .optional()
      .meta(
        opt({
          flag: '--lr',
          label: 'Learning rate',
          help: 'the base learning rate η',
          group: 'optimisation',
        }),
      ),
    schedule: z
      .object({
        kind: z
          .enum(LR_SCHEDULES)
          .default('cosine')
          .meta(
            opt({
              flag: '--lr-schedule',
              label: 'LR schedule',
              help: 'the learning rate over the run: constant, step (× γ every n epochs), exponential (× γ each epoch), or cosine from η down to η·(min factor)',
              group: 'optimisation',
              advanced: true,
            }),
          ),
        gamma: z
          .number()
          .positive()
          .max(1)
          .optional()
          .meta(
            opt({
              flag: '--lr-gamma',
              label: 'LR decay γ',
              help: 'the factor of a step or exponential schedule',
              group: 'optimisation',
              advanced: true,
              when: { path: 'train.schedule.kind', is: ['step', 'exponential'] },
            }),
          ),
        every: z
          .number()
          .int()
          .min(1)
          .optional()
          .meta(
            opt({
              flag: '--lr-every',
              label: 'LR step every',
              help: 'epochs between the drops of a step schedule',
              unit: 'epochs',
              group: 'optimisation',
              advanced: true,
              when: { path: 'train.schedule.kind', is: ['step'] },
            }),
          ),
        minFactor: z
          .number()
          .min(0)
          .max(1)
          .default(0.01)
          .meta(
            opt({
              flag: '--lr-min-factor',
              label: 'LR floor',
              help: 'a cosine schedule ends at η times this factor',
              group: 'optimisation',
              advanced: true,
              when: { path: 'train.schedule.kind', is: ['cosine'] },
            }),
          ),
      })
      .strict()
      .prefault({}),
    restarts: z
      .number()
      .int()
      .min(1)
      .max(10)
      .optional()
      .meta(
        opt({
          flag: '--restarts',
          label: 'Starts',
          help: 'train this many differently initialised models for the first 30 % of the epochs and go on with the one whose validation loss is lowest (folded solutions of a 2-D code are local minima that a fresh start avoids)',
          group: 'optimisation',
          advanced: true,
        }),
      ),
    clipNorm: z
      .number()
      .min(0)
      .default(0)
      .meta(
        opt({
          flag: '--clip-norm',
          label: 'Clip gradient norm',
          help: 'rescale the gradient to this global norm when it is larger; 0 = off',
          group: 'optimisation',
          advanced: true,
        }),
      ),
    patience: z
      .number()
      .int()
      .min(0)
      .optional()
      .meta(
        opt({
          flag: '--patience',
          label: 'Early stopping',
          help: 'stop after this many epochs without a better validation loss and keep the best weights; 0 = train every epoch',
          unit: 'epochs',
          group: 'optimisation',
        }),
      ),
    valSplit: z
      .number()
      .min(0)
      .max(0.9)
      .default(0.1)
      .meta(
        opt({
          flag: '--val-split',
          label: 'Validation',
          help: 'fraction of rows held out for the validation loss and early stopping',
          unit: 'fraction of rows',
          group: 'data',
        }),
      ),
    seed: z
      .number()
      .int()
      .min(0)
      .max(2 ** 31 - 1)
      .default(0)
      .meta(
        opt({
          flag: '--seed',
          label: 'Seed',
          help: 'seed of the initialisation, the split, the shuffles and every noise draw: the same seed gives the same run',
          group: 'optimisation',
        }),
      ),
    normalize: z
      .enum(NORMALIZE_KINDS)
      .optional()
      .meta(
        opt({
          flag: '--normalize',
          label: 'Normalise',
          help: 'feature scaling fitted on the training rows: standard (x − μ)/σ, minmax (x − min)/(max − min) ∈ [0, 1], or none',
          group: 'data',
        }),
      ),
    backend: z
      .enum(BACKEND_PREFERENCES)
      .default('auto')
      .meta(
        opt({
          flag: '--backend',
          label: 'Backend',
          help: 'where the tensors are computed: auto calibrates the available ones and picks the fastest (it says which and why)',
          group: 'optimisation',
          cliExclude: ['webgl'],
          choiceLabels: {
            webgpu: 'WebGPU',
            tensorflow: 'tfjs-node',
            webgl: 'WebGL',
            wasm: 'WebAssembly',
            cpu: 'CPU (JavaScript)',
          },
        }),
      ),
  })
  .strict();

export type TrainOptionsInput = z.input<typeof TrainOptionsSchema>;
export type TrainOptions = z.output<typeof TrainOptionsSchema>;

/** Train options with every default decided (what run.json records). */
export interface ResolvedTrainOptions extends Omit<
  TrainOptions,
  'epochs' | 'batchSize' | 'lr' | 'normalize' | 'schedule' | 'patience' | 'restarts'
> {
  patience: number;
  restarts: number;
  epochs: number;
  batchSize: number;
  lr: number;
  normalize: (typeof NORMALIZE_KINDS)[number];
  schedule: { kind: (typeof LR_SCHEDULES)[number]; gamma: number; every: number; minFactor: number };
}

/** Narrow data train for about this many steps (of 32 rows) by default: see resolveTrainOptions. */
export const LOW_DIM_STEPS = 24_000;

/**
 * Defaults that depend on the family, the output and the data (rows in the training split, columns):
 * - batch size 64; 32 on narrow data (families.ts LOW_DIMS); linear takes full batches while the
 *   training rows fit (≤ 20,000);
 * - epochs 100; for linear with full batches 2,000, or 500 where an epoch is costly (below); on narrow data as many as make about
 *   LOW_DIM_STEPS steps (400 epochs for the 1,800 training rows of a 2,000-row sample): the swiss
 *   roll needs that many to unroll — after 200 its tangent planes were 6–8° off, after 400 3–6°;
 * - learning rate 0.003 (adam) or 0.01 (sgd); 0.03 for linear with full batches;
 * - early stopping after a quarter of the epochs (at least 20) without a better validation loss; off
 *   on narrow data, where the validation loss pauses while the model unrolls the manifold (with 20
 *   the swiss roll stopped near epoch 100, 13.6° off instead of 3°; with a quarter, the sphere's
 *   contractive run stopped at epoch 137 and kept epoch 32's weights, 62° off) — a run that
 *   overfits says so instead (diagnostics.ts); off for linear, whose loss has no overfitting to
 *   guard against and whose validation loss may pause while the optimiser leaves a saddle on its
 *   way to the PCA subspace;
 * - three starts on narrow data for runs of 50 epochs or more (not linear: its loss has no other
 *   minima), the best kept after 30 % of the epochs (engine/restarts.ts): with one start one swiss
 *   roll in ten folded (10.5–12.3°; the others 3–10°); five for contractive, whose penalty folds the
 *   roll more often (swiss roll, seeds 31–35 of the fidelity report: three starts 3.6, 11.9, 12,
 *   3.9, 8.7°; five starts 3.2, 5.5, 7.4, 3.9, 8.7°);
 * - normalisation minmax for a bernoulli output (its targets must lie in [0, 1]), else standard;
 * - schedules: step γ 0.5 every third of the epochs, exponential γ 0.97.
 */
export function resolveTrainOptions(
  t: TrainOptions,
  model: { family: Family; output: OutputDistribution },
  trainRows: number,
  dims?: number,
): ResolvedTrainOptions {
  // PSD's steps each run an ISTA search: it keeps the wide-data schedule.
  const low = isLowDim(dims === undefined ? undefined : { rows: trainRows, dims }) && model.family !== 'psd';
  const linear = model.family === 'linear';
  const linearFull = linear && t.batchSize === undefined && trainRows <= 20_000;
  const batchSize = t.batchSize ?? (linearFull ? 0 : low ? 32 : 64);
  const fullBatch = batchSize === 0 || batchSize >= trainRows;
  const stepsPerEpoch = fullBatch ? 1 : Math.ceil(trainRows / batchSize);
  const budgetEpochs = Math.min(1000, Math.max(20, 10 * Math.round(LOW_DIM_STEPS / stepsPerEpoch / 10)));
  // Linear, full batches: 2,000 epochs where an epoch is cheap (≤ 500,000 values), else 500. Where
  // λ_k and λ_{k+1} are close (a sphere's, 1.05 apart) 500 left the error 1.007× PCA's; 2,000 reach
  // 1.0000000005× (2 s on 2,000 × 3).
  const linearEpochs = dims !== undefined && trainRows * dims <= 500_000 ? 2000 : 500;
  const epochs = t.epochs ?? (linear && fullBatch ? linearEpochs : low ? budgetEpochs : 100);
  const lr = t.lr ?? (linear && fullBatch ? 0.03 : t.optimizer === 'sgd' ? 0.01 : 0.003);
  const kind = t.schedule.kind;
  return {
    ...t,
    epochs,
    batchSize,
    lr,
    patience: t.patience ?? (linear || low ? 0 : Math.max(20, Math.round(epochs / 4))),
    restarts: t.restarts ?? (low && !linear && epochs >= 50 ? (model.family === 'contractive' ? 5 : 3) : 1),
    normalize: t.normalize ?? (model.output === 'bernoulli' ? 'minmax' : 'standard'),
    schedule: {
      kind,
      gamma: t.schedule.gamma ?? (kind === 'exponential' ? 0.97 : 0.5),
      every: t.schedule.every ?? Math.max(1, Math.round(epochs / 3)),
      minFactor: t.schedule.minFactor,
    },
  };
}

/** How many of `rows` the validation split holds out (the engine's split draws exactly this many). */
export function validationCount(rows: number, valFraction: number): number {
  return valFraction > 0 && rows > 1 ? Math.min(rows - 1, Math.max(1, Math.round(rows * valFraction))) : 0;
}

export function parseTrainOptions(input: unknown, where = 'train'): TrainOptions {
  const r = TrainOptionsSchema.safeParse(input);
  if (!r.success) throw new UserError('bad-config', describeZodError(r.error, where));
  return r.data;
}
