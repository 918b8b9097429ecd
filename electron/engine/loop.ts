/**
 * The one training loop (every family, every greedy stage): seeded shuffles, mini-batch or full
 * batch, the scheduled learning rate, each step inside tf.tidy, early stopping on the validation
 * loss with the best weights restored, throttled progress, and an AbortSignal checked before every
 * step. Losses stay on the device during an epoch (summed there) and are read back once per epoch,
 * or when a throttled progress report is due — never a blocking read per step. This file sets a
 * fit up and runs its epochs; epoch.ts holds one epoch's steps (step, report, evaluation, the best
 * weights, the stopping rules).
 */
import { tf } from './tf';
import { runEpoch, type FitContext, type FitState } from './epoch';
import { createRng, permutation } from './random';
import type { ResolvedTrainOptions } from '../shared/model-config';
import { createOptimizer } from './optim/optimizer';
import type { Objective } from './families/objective';

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

export { evaluateObjective } from './epoch';

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

/** The fit's set-up: the batching, the seeded generator, the optimizer, whether early stopping applies. */
function fitContext(
  obj: Objective,
  data: TrainData,
  s: FitSettings,
  callbacks: TrainCallbacks,
  signal: AbortSignal | undefined,
  control: LoopControl,
): FitContext {
  const now = control.now ?? (() => performance.now());
  const startedAt = s.startedAt ?? now();
  const fitStart = now();
  const n = data.train.shape[0];
  if (n === 0) throw new Error('no training rows');
  const bs = s.batchSize === 0 || s.batchSize >= n ? n : s.batchSize;
  const validation = data.validation && data.validation.shape[0] > 0 ? data.validation : undefined;
  return {
    obj,
    data,
    s,
    callbacks,
    signal,
    control,
    now,
    throttleMs: control.throttleMs ?? 100,
    yieldMs: control.yieldMs ?? 25,
    startedAt,
    fitStart,
    n,
    bs,
    batches: Math.ceil(n / bs),
    rng: createRng(s.seed ^ 0x7ea1),
    opt: createOptimizer({ kind: s.optimizer, momentum: s.momentum, clipNorm: s.clipNorm }),
    validation,
    early: s.patience > 0 && validation !== undefined && s.snapshot !== undefined && s.restore !== undefined,
  };
}

export async function fit(
  obj: Objective,
  data: TrainData,
  s: FitSettings,
  callbacks: TrainCallbacks = {},
  signal?: AbortSignal,
  control: LoopControl = {},
): Promise<FitResult> {
  const ctx = fitContext(obj, data, s, callbacks, signal, control);
  const st: FitState = {
    history: [],
    best: undefined,
    stopped: 'completed',
    steps: 0,
    samples: 0,
    lastEmit: -Infinity,
    lastYield: ctx.now(),
    lr: s.lr,
  };
  await callbacks.onStageBegin?.({ stage: s.stage ?? 'train', epochs: s.epochs, batches: ctx.batches });
  try {
    skipEpochs(ctx);
    const last = Math.min(s.epochs, s.lastEpoch ?? s.epochs);
    for (let epoch = Math.max(1, s.firstEpoch ?? 1); epoch <= last; epoch++)
      if (await runEpoch(ctx, st, epoch)) break;
    if (st.best) s.restore!(st.best.weights);
  } finally {
    if (st.best) tf.dispose(st.best.weights);
    ctx.opt.dispose();
  }
  return {
    history: st.history,
    stopped: st.stopped,
    bestEpoch: st.best?.epoch ?? st.history.length,
    steps: st.steps,
    samples: st.samples,
    seconds: (ctx.now() - ctx.fitStart) / 1000,
  };
}

/** Resume: draw and drop the shuffles and noise seeds of the epochs before the first one run. */
function skipEpochs({ s, n, bs, batches, rng }: FitContext): void {
  for (let epoch = 1; epoch < (s.firstEpoch ?? 1) && epoch <= s.epochs; epoch++) {
    if (bs < n) permutation(n, rng);
    for (let b = 0; b < batches; b++) rng.seed();
  }
}
