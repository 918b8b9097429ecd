/**
 * The one training loop (every family, every greedy stage): seeded shuffles, mini-batch or full
 * batch, the scheduled learning rate, each step inside tf.tidy, early stopping on the validation
 * loss with the best weights restored, throttled progress, and an AbortSignal checked before every
 * step. Losses stay on the device during an epoch (summed there) and are read back once per epoch,
 * or when a throttled progress report is due — never a blocking read per step.
 */
import { tf } from './tf';
import { createRng, permutation } from './random';
import type { ResolvedTrainOptions } from '../shared/model-config';
import { createOptimizer } from './optim/optimizer';
import { learningRate } from './optim/schedule';
import type { Objective } from './families/objective';
import { UserError } from '../shared/errors';

export interface HistoryRecord {
  /** 1-based, within the stage. */
  epoch: number;
  /** pretrain-1, pretrain-2, …, finetune (greedy pretraining only). */
  stage?: string;
  /** Training loss: the epoch's mean over its batches, weighted by rows. */
  loss: number;
  /** Validation loss after the epoch (null without a validation split). */
  valLoss: number | null;
  /** Seconds since training began. */
  seconds: number;
  /** Learning rate at the epoch's last step. */
  lr: number;
  /** Each loss part (reconstruction, penalty, kl, prediction), training mean. */
  parts: Record<string, number>;
  valParts?: Record<string, number>;
}

export interface BatchInfo {
  stage?: string;
  epoch: number;
  batch: number;
  batches: number;
  /** Steps taken so far in this stage. */
  step: number;
  loss: number;
  parts: Record<string, number>;
  lr: number;
}

export interface StageSummary {
  stage: string;
  epochs: number;
  /** Loss of the stage's objective on the training rows before its first step and after its last. */
  startLoss: number;
  endLoss: number;
}

type MaybePromise = void | Promise<void>;

export interface TrainCallbacks {
  onStageBegin?(stage: { stage: string; epochs: number; batches: number }): MaybePromise;
  /** At most every `throttleMs` (default 100 ms, ~10 Hz). */
  onBatchEnd?(info: BatchInfo): MaybePromise;
  onEpochEnd?(record: HistoryRecord): MaybePromise;
  onStageEnd?(summary: StageSummary): MaybePromise;
}

export interface LoopControl {
  /** Milliseconds, injectable for tests. Default performance.now. */
  now?: () => number;
  throttleMs?: number;
  /** Give the event loop a turn at least this often (so an abort message can arrive). Default 25. */
  yieldMs?: number;
  /** Awaited before every step: a host pauses training by returning a promise that resolves on
   *  resume (the abort signal is checked again after it). */
  beforeStep?: () => void | Promise<void>;
}

export interface TrainData {
  train: tf.Tensor2D;
  validation?: tf.Tensor2D | undefined;
}

export type StopReason = 'completed' | 'early-stopped' | 'aborted';

export interface FitResult {
  history: HistoryRecord[];
  stopped: StopReason;
  bestEpoch: number;
  steps: number;
  samples: number;
  /** Seconds spent in this fit. */
  seconds: number;
}

export interface FitSettings extends Pick<
  ResolvedTrainOptions,
  'epochs' | 'batchSize' | 'lr' | 'schedule' | 'optimizer' | 'momentum' | 'clipNorm' | 'patience' | 'seed'
> {
  stage?: string;
  /** Early stopping needs these (the model's snapshot/restore); without them patience is ignored. */
  snapshot?: () => tf.Tensor[];
  restore?: (s: readonly tf.Tensor[]) => void;
  /** The clock origin for `seconds` (ms). */
  startedAt?: number;
  /** Resume: start at this epoch (1-based); earlier epochs' shuffles and noise seeds are drawn and
   *  dropped, so the data order and noise match an uninterrupted run. Default 1. */
  firstEpoch?: number;
  /** Stop after this epoch (the schedule still spans `epochs`): a start that may be continued. */
  lastEpoch?: number;
}

const yieldToEventLoop = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

/** Fixed seed for validation and evaluation noise, so losses compare across epochs. */
export const EVAL_SEED = 0x0e7a1;

/** The objective's parts, averaged over all rows of `x` (in chunks), read back once. */
export async function evaluateObjective(
  obj: Objective,
  x: tf.Tensor2D,
  seed = EVAL_SEED,
  chunk = 2048,
): Promise<number[]> {
  const n = x.shape[0];
  obj.setProgress?.(Infinity, 1);
  let sums: tf.Tensor1D = tf.zeros([obj.partNames.length]);
  for (let start = 0; start < n; start += chunk) {
    const size = Math.min(chunk, n - start);
    const next = tf.tidy(() => {
      const xb = size === n ? x : tf.slice(x, [start, 0], [size, -1]);
      const prepared = obj.prepare?.(xb, seed) ?? [];
      return tf.add(sums, tf.mul(tf.stack(obj.parts(xb, seed, prepared)), size)) as tf.Tensor1D;
    });
    sums.dispose();
    sums = next;
  }
  const v = await sums.data();
  sums.dispose();
  return Array.from(v, (s) => s / Math.max(1, n));
}

const named = (names: readonly string[], values: ArrayLike<number>): Record<string, number> =>
  Object.fromEntries(names.map((k, i) => [k, values[i]!]));
const total = (values: ArrayLike<number>): number => Array.from(values).reduce((a, b) => a + b, 0);

export async function fit(
  obj: Objective,
  data: TrainData,
  s: FitSettings,
  callbacks: TrainCallbacks = {},
  signal?: AbortSignal,
  control: LoopControl = {},
): Promise<FitResult> {
  const now = control.now ?? (() => performance.now());
  const throttleMs = control.throttleMs ?? 100;
  const yieldMs = control.yieldMs ?? 25;
  const startedAt = s.startedAt ?? now();
  const fitStart = now();
  const n = data.train.shape[0];
  if (n === 0) throw new Error('no training rows');
  const bs = s.batchSize === 0 || s.batchSize >= n ? n : s.batchSize;
  const batches = Math.ceil(n / bs);
  const rng = createRng(s.seed ^ 0x7ea1);
  const opt = createOptimizer({ kind: s.optimizer, momentum: s.momentum, clipNorm: s.clipNorm });
  const validation = data.validation && data.validation.shape[0] > 0 ? data.validation : undefined;
  const early =
    s.patience > 0 && validation !== undefined && s.snapshot !== undefined && s.restore !== undefined;
  const history: HistoryRecord[] = [];
  let best: { loss: number; epoch: number; weights: tf.Tensor[] } | undefined;
  let stopped: StopReason = 'completed';
  let steps = 0;
  let samples = 0;
  let lastEmit = -Infinity;
  let lastYield = now();
  let lr = s.lr;
  await callbacks.onStageBegin?.({ stage: s.stage ?? 'train', epochs: s.epochs, batches });

  try {
    for (let epoch = 1; epoch < (s.firstEpoch ?? 1) && epoch <= s.epochs; epoch++) {
      if (bs < n) permutation(n, rng);
      for (let b = 0; b < batches; b++) rng.seed();
    }
    const last = Math.min(s.epochs, s.lastEpoch ?? s.epochs);
    epochs: for (let epoch = Math.max(1, s.firstEpoch ?? 1); epoch <= last; epoch++) {
      const order = bs < n ? tf.tensor1d(Int32Array.from(permutation(n, rng)), 'int32') : undefined;
      let sums: tf.Tensor1D = tf.zeros([obj.partNames.length]);
      try {
        for (let b = 0; b < batches; b++) {
          if (control.beforeStep) await control.beforeStep();
          if (signal?.aborted) {
            stopped = 'aborted';
            break epochs;
          }
          const start = b * bs;
          const rows = Math.min(bs, n - start);
          lr = learningRate(s.lr, s.schedule, epoch - 1 + b / batches, s.epochs);
          const seed = rng.seed();
          obj.setProgress?.(epoch - 1 + b / batches, s.epochs);
          const partsVec = tf.tidy(() => {
            const xb = order ? tf.gather(data.train, tf.slice(order, [start], [rows])) : data.train;
            const prepared = obj.prepare?.(xb, seed) ?? [];
            let vec: tf.Tensor1D | undefined;
            const { grads } = tf.variableGrads(() => {
              const ps = obj.parts(xb, seed, prepared);
              vec = tf.keep(tf.stack(ps) as tf.Tensor1D);
              return (ps.length === 1 ? ps[0]! : tf.addN(ps)) as tf.Scalar;
            }, obj.variables);
            opt.apply(
              obj.variables,
              obj.variables.map((v) => grads[v.name]),
              lr,
            );
            obj.afterUpdate?.();
            return vec!;
          });
          steps++;
          samples += rows;
          const nextSums = tf.tidy(() => tf.add(sums, tf.mul(partsVec, rows)) as tf.Tensor1D);
          sums.dispose();
          sums = nextSums;
          if (callbacks.onBatchEnd && now() - lastEmit >= throttleMs) {
            lastEmit = now();
            const v = await partsVec.data();
            partsVec.dispose();
            await callbacks.onBatchEnd({
              ...(s.stage ? { stage: s.stage } : {}),
              epoch,
              batch: b + 1,
              batches,
              step: steps,
              loss: total(v),
              parts: named(obj.partNames, v),
              lr,
            });
          } else partsVec.dispose();
          if (now() - lastYield >= yieldMs) {
            await yieldToEventLoop();
            lastYield = now();
          }
        }
        const trainParts = Array.from(await sums.data(), (v) => v / n);
        const valParts = validation ? await evaluateObjective(obj, validation) : undefined;
        const record: HistoryRecord = {
          epoch,
          ...(s.stage ? { stage: s.stage } : {}),
          loss: total(trainParts),
          valLoss: valParts ? total(valParts) : null,
          seconds: (now() - startedAt) / 1000,
          lr,
          parts: named(obj.partNames, trainParts),
          ...(valParts ? { valParts: named(obj.partNames, valParts) } : {}),
        };
        history.push(record);
        // The validation loss is the full objective even during a warm-up, so the best weights may
        // come from any epoch; only the decision to stop waits for the warm-up to end.
        const warm = epoch >= Math.ceil((obj.warmup ?? 0) * s.epochs);
        if (early && record.valLoss !== null && Number.isFinite(record.valLoss)) {
          if (!best || record.valLoss < best.loss) {
            if (best) tf.dispose(best.weights);
            best = { loss: record.valLoss, epoch, weights: s.snapshot!() };
          }
        }
        await callbacks.onEpochEnd?.(record);
        if (!Number.isFinite(record.loss))
          throw new UserError(
            'diverged',
            `the training loss diverged (${record.loss}) at epoch ${epoch}; lower the learning rate (--lr)`,
          );
        if (early && warm && best && epoch - best.epoch >= s.patience) {
          stopped = 'early-stopped';
          break;
        }
      } finally {
        sums.dispose();
        order?.dispose();
      }
    }
    if (best) s.restore!(best.weights);
  } finally {
    if (best) tf.dispose(best.weights);
    opt.dispose();
  }
  return {
    history,
    stopped,
    bestEpoch: best?.epoch ?? history.length,
    steps,
    samples,
    seconds: (now() - fitStart) / 1000,
  };
}
