/**
 * runTraining: what the command line and the app's engine hosts both call. Validates the request,
 * splits the rows (seeded), fits the normaliser on the training rows, trains, and returns the codes
 * (input row order), the reconstructions in the data's original units, the history and the metrics
 * (the family's own figures included), plus warnings a user should see (e.g. an output distribution
 * that does not fit the data's range). Isomorphic: hosts write the files.
 */
import { tf } from './tf';
import type { Dataset } from '../shared/dataset';
import { UserError } from '../shared/errors';
import {
  parseModelConfig,
  parseTrainOptions,
  resolveTrainOptions,
  type ModelConfig,
  type ModelConfigInput,
  type ResolvedTrainOptions,
  type TrainOptions,
  type TrainOptionsInput,
} from '../shared/model-config';
import { denormalize, fitNormalizer, normalize, type Normalizer } from './data/normalize';
import { splitIndices, takeRows } from './data/split';
import { createAutoencoder, type AnyAutoencoder } from './models/create';
import type { NamedWeight } from './models/params';
import { fitLinearFrame, foldLinearFrame, intoFrame } from './data/linear-frame';
import {
  train,
  type HistoryRecord,
  type TrainResult,
  type LoopControl,
  type StageSummary,
  type StopReason,
  type TrainCallbacks,
} from './train';
import { mapRows } from './inference';
import { computeMetrics, type RunMetrics } from './metrics';
import { truthFigures } from './metrics/truth';
import { diagnose, type Diagnosis } from './diagnostics';
import { trainWithRestarts } from './restarts';
import { rangeWarnings } from './warnings';
import { inUserUnits, scaleRecord, withSnapshots } from './run-callbacks';

export interface RunRequest {
  dataset: Dataset;
  config: ModelConfigInput | ModelConfig;
  train?: TrainOptionsInput | TrainOptions;
  /** Live code snapshots for `onCodes`: how many rows (evenly spaced, default all up to 5,000) and
   *  how often (default every 500 ms of training). */
  snapshot?: { rows?: number; everyMs?: number };
  /** Continue from a checkpoint: its weights and the last epoch (of the final stage) they hold. */
  resume?: { epoch: number; weights: readonly NamedWeight[]; skipPretraining: boolean };
}

/** What a host needs while training runs: the live model (for checkpoints). */
export interface RunHooks {
  /** Called once the model exists, before the first step. `x`: every row, normalised, input order. */
  onModel?(ctx: {
    model: AnyAutoencoder;
    x: Float32Array;
    rows: number;
    dims: number;
    normalizer: Normalizer;
  }): void;
}

export interface CodeSnapshot {
  /** The rows shown, as indices into the dataset (the same every time). */
  indices: Uint32Array;
  /** indices.length × k codes (what codes.npy will hold). */
  codes: Float32Array;
  latent: number;
  stage?: string;
  epoch: number;
  step: number;
}

export interface RunCallbacks extends TrainCallbacks {
  /** Before the first step: the resolved settings and what they may defeat (warnings.ts). */
  onStart?(s: { config: ModelConfig; train: ResolvedTrainOptions; warnings: readonly string[] }): void;
  /** The codes of a fixed subset of rows, every `snapshot.everyMs` while training (the live
   *  latent view). Training waits while the codes are computed. */
  onCodes?(s: CodeSnapshot): void | Promise<void>;
}

export interface RunResult {
  config: ModelConfig;
  train: ResolvedTrainOptions;
  normalizer: Normalizer;
  split: { train: number; validation: number };
  history: HistoryRecord[];
  stages: StageSummary[];
  stopped: StopReason;
  metrics: RunMetrics;
  warnings: string[];
  /** What the run fell short of, each with its fix (diagnostics.ts). */
  diagnostics: Diagnosis[];
  /** rows × k, input row order (VAE: μ; hashing: 0/1). */
  codes: Float32Array;
  latent: number;
  /** rows × d, input row order, original units. */
  reconstructions: Float32Array;
  /** The trained model (normalised units); the caller disposes it. */
  model: AnyAutoencoder;
  seconds: number;
}

function checkDataset(ds: Dataset): void {
  if (!(ds.rows >= 2))
    throw new UserError('too-few-rows', `${ds.source}: training needs at least 2 rows, got ${ds.rows}`);
  if (!(ds.dims >= 1)) throw new UserError('no-columns', `${ds.source}: the data have no feature columns`);
  if (ds.data.length !== ds.rows * ds.dims)
    throw new UserError(
      'bad-shape',
      `${ds.source}: ${ds.data.length} values do not make ${ds.rows} rows × ${ds.dims} columns`,
    );
}

/** Columns of one-hot groups keep their 0/1 values under any normalisation (the softmax needs them). */
function keepOneHotColumns(n: Normalizer, ds: Dataset, config: ModelConfig): Normalizer {
  if (config.output !== 'categorical' || !ds.categorical) return n;
  for (const g of ds.categorical)
    for (let c = g.start; c < g.start + g.levels.length; c++) {
      n.offset[c] = 0;
      n.scale[c] = 1;
    }
  return n;
}

/** The run's data in the frames it trains in: resolved settings, the split, the normaliser. */
interface Prepared {
  ds: Dataset;
  rows: number;
  dims: number;
  config: ModelConfig;
  resolved: ResolvedTrainOptions;
  split: { train: Uint32Array; validation: Uint32Array };
  normalizer: Normalizer;
  /** Every row, normalised, input order; `trainX` the training rows of it. */
  x: Float32Array;
  trainX: Float32Array;
  warnings: string[];
  /** The linear family's frame (centred, globally rescaled); `xt` is `x` in it. */
  frame: ReturnType<typeof fitLinearFrame> | undefined;
  xt: Float32Array;
  fitX: Float32Array;
  valX: Float32Array;
  /** Losses in the frame × lossScale = losses in the user's units. */
  lossScale: number;
}

/** Validate and resolve the request, split the rows (seeded), fit the normaliser on the training rows. */
function prepare(req: RunRequest): Prepared {
  const ds = req.dataset;
  checkDataset(ds);
  const { rows, dims } = ds;
  const config = parseModelConfig(req.config, 'model', { rows, dims });
  const options = parseTrainOptions(req.train ?? {});
  const split = splitIndices(rows, options.valSplit, options.seed);
  const resolved = resolveTrainOptions(options, config, split.train.length, dims);
  const normalizer = keepOneHotColumns(
    fitNormalizer(resolved.normalize, takeRows(ds.data, dims, split.train), split.train.length, dims),
    ds,
    config,
  );
  const x = normalize(normalizer, ds.data);
  const trainX = takeRows(x, dims, split.train);
  const warnings = rangeWarnings(config, resolved, trainX, dims, ds);
  // The linear family trains centred and globally rescaled, then folds back (data/linear-frame.ts).
  const frame = config.family === 'linear' ? fitLinearFrame(trainX, split.train.length, dims) : undefined;
  const xt = frame ? intoFrame(frame, x) : x;
  const fitX = frame ? takeRows(xt, dims, split.train) : trainX;
  const valX = takeRows(xt, dims, split.validation);
  const lossScale = frame ? frame.scale ** 2 : 1;
  return {
    ds,
    rows,
    dims,
    config,
    resolved,
    split,
    normalizer,
    x,
    trainX,
    warnings,
    frame,
    xt,
    fitX,
    valX,
    lossScale,
  };
}

/** The model of start `start`: start 0 has the run's own seed; the others their own (restarts.ts). */
const modelBuilder =
  ({ config, dims, resolved, ds }: Prepared) =>
  (start: number): AnyAutoencoder =>
    createAutoencoder(config, dims, {
      seed: start === 0 ? resolved.seed : (resolved.seed + 7919 * start) >>> 0,
      ...(ds.categorical ? { categorical: ds.categorical } : {}),
    });

/** A checkpoint's weights into the new model; one that does not fit is refused (the model disposed). */
function resumeInto(model: AnyAutoencoder, resume: RunRequest['resume']): void {
  if (!resume) return;
  try {
    model.setWeights(resume.weights);
  } catch (e) {
    model.dispose();
    throw new UserError(
      'bad-checkpoint',
      `the checkpoint does not fit this model: ${e instanceof Error ? e.message : String(e)}`,
    );
  }
}

export async function runTraining(
  req: RunRequest,
  callbacks: RunCallbacks = {},
  signal?: AbortSignal,
  control: LoopControl = {},
  hooks: RunHooks = {},
): Promise<RunResult> {
  const now = control.now ?? (() => performance.now());
  const t0 = now();
  const p = prepare(req);
  const { rows, dims, split, x, normalizer } = p;
  const build = modelBuilder(p);
  let model = build(0);
  resumeInto(model, req.resume);
  callbacks.onStart?.({ config: p.config, train: p.resolved, warnings: p.warnings });
  hooks.onModel?.({ model, x, rows, dims, normalizer });
  const trainT = tf.tensor2d(p.fitX, [split.train.length, dims]);
  const valT = split.validation.length ? tf.tensor2d(p.valX, [split.validation.length, dims]) : undefined;
  try {
    const data = { train: trainT, validation: valT };
    const callbacksFor = (m: AnyAutoencoder) =>
      withSnapshots(
        inUserUnits(callbacks, p.lossScale),
        m,
        p.xt,
        dims,
        req.snapshot,
        now,
        p.frame?.scale ?? 1,
      );
    const resume = req.resume
      ? { epoch: req.resume.epoch, skipPretraining: req.resume.skipPretraining }
      : undefined;
    let r: TrainResult;
    if (p.resolved.restarts > 1 && !resume && p.config.pretrain.mode !== 'greedy') {
      const first = model;
      const best = await trainWithRestarts(
        (start) => (start === 0 ? first : build(start)),
        data,
        p.resolved,
        callbacksFor,
        signal,
        control,
        (kept) => hooks.onModel?.({ model: kept, x, rows, dims, normalizer }),
      );
      model = best.model;
      r = best.result;
    } else r = await train(model, data, p.resolved, callbacksFor(model), signal, control, resume);
    return await results(p, model, r, () => (now() - t0) / 1000);
  } catch (e) {
    model.dispose();
    throw e;
  } finally {
    tf.dispose([trainT, ...(valT ? [valT] : [])]);
  }
}

/** After training: the linear frame folded back; the codes, reconstructions, metrics, diagnostics. */
async function results(
  p: Prepared,
  model: AnyAutoencoder,
  r: TrainResult,
  /** Seconds since the run began (read last). */
  elapsed: () => number,
): Promise<RunResult> {
  const { rows, dims, x, split, resolved, normalizer, warnings, lossScale } = p;
  if (p.frame) model.setWeights(foldLinearFrame(p.frame, model.getWeights()));
  const history = lossScale === 1 ? r.history : r.history.map((h) => scaleRecord(h, lossScale));
  if (r.stopped === 'early-stopped')
    warnings.push(
      `early stopping: no better validation loss for ${resolved.patience} epochs; kept epoch ${r.bestEpoch}`,
    );
  const codes = await mapRows(x, rows, dims, (t) => model.codes(t));
  const recNorm = await mapRows(x, rows, dims, (t) => model.reconstruct(t));
  const metrics = await computeMetrics({
    model,
    x,
    rows,
    dims,
    split,
    trainX: p.trainX,
    reconstructions: recNorm.values,
    samplesPerSecond: r.samplesPerSecond,
  });
  const truth = await truthFigures(model, normalizer, p.ds);
  if (truth) metrics.truth = truth;
  const diagnostics = diagnose({
    config: model.config,
    train: resolved,
    metrics,
    history,
    stopped: r.stopped,
    codes: codes.values,
  });
  return {
    config: model.config,
    train: resolved,
    normalizer,
    split: { train: split.train.length, validation: split.validation.length },
    history,
    stages: r.stages,
    stopped: r.stopped,
    metrics,
    warnings,
    diagnostics,
    codes: codes.values,
    latent: model.latent,
    reconstructions: denormalize(normalizer, recNorm.values),
    model,
    seconds: elapsed(),
  };
}

/** History as run.json writes it: one flat object per epoch, each loss part a key. */
export function flattenHistory(history: readonly HistoryRecord[]): Record<string, number | string | null>[] {
  return history.map((h) => {
    const out: Record<string, number | string | null> = { epoch: h.epoch };
    if (h.stage) out.stage = h.stage;
    out.loss = h.loss;
    out.valLoss = h.valLoss;
    out.seconds = h.seconds;
    out.lr = h.lr;
    for (const [k, v] of Object.entries(h.parts)) out[k] = v;
    if (h.valParts)
      for (const [k, v] of Object.entries(h.valParts)) out[`val${k[0]!.toUpperCase()}${k.slice(1)}`] = v;
    return out;
  });
}
