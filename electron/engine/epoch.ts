/**
 * One epoch of the training loop (loop.ts), as its steps: the batches in a seeded order (trainStep:
 * the gradients and the update inside tf.tidy), the throttled progress report and the event loop's
 * turn (reportBatch), then the epoch's end (endEpoch): its evaluation, early stopping's best weights,
 * the divergence check and the patience rule.
 */
import { tf } from './tf';
import { permutation, type Rng } from './random';
import type { Optimizer } from './optim/optimizer';
import { learningRate } from './optim/schedule';
import type { Objective } from './families/objective';
import { UserError } from '../shared/errors';
import type { FitSettings, HistoryRecord, LoopControl, StopReason, TrainCallbacks, TrainData } from './loop';

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

/** What one fit works with, fixed for the fit: its settings, the batching, the clock. */
export interface FitContext {
  obj: Objective;
  data: TrainData;
  s: FitSettings;
  callbacks: TrainCallbacks;
  signal: AbortSignal | undefined;
  control: LoopControl;
  now: () => number;
  throttleMs: number;
  yieldMs: number;
  startedAt: number;
  fitStart: number;
  /** Training rows, the batch size and the batches per epoch. */
  n: number;
  bs: number;
  batches: number;
  rng: Rng;
  opt: Optimizer;
  validation: tf.Tensor2D | undefined;
  /** Early stopping applies: patience, validation rows and the model's snapshot/restore. */
  early: boolean;
}

/** What a fit changes as it runs. */
export interface FitState {
  history: HistoryRecord[];
  best: { loss: number; epoch: number; weights: tf.Tensor[] } | undefined;
  stopped: StopReason;
  steps: number;
  samples: number;
  lastEmit: number;
  lastYield: number;
  lr: number;
}

/** One epoch: its batches in a fresh seeded order, then its evaluation and stopping rules. True: stop. */
export async function runEpoch(ctx: FitContext, st: FitState, epoch: number): Promise<boolean> {
  const { n, bs, batches, rng, control, signal } = ctx;
  const order = bs < n ? tf.tensor1d(Int32Array.from(permutation(n, rng)), 'int32') : undefined;
  // The epoch's loss parts, row-weighted sums kept on the device.
  const acc = { sums: tf.zeros([ctx.obj.partNames.length]) as tf.Tensor1D };
  try {
    for (let b = 0; b < batches; b++) {
      if (control.beforeStep) await control.beforeStep();
      if (signal?.aborted) {
        st.stopped = 'aborted';
        return true;
      }
      const partsVec = trainStep(ctx, st, epoch, b, order, acc);
      await reportBatch(ctx, st, epoch, b, partsVec);
    }
    return await endEpoch(ctx, st, epoch, acc.sums);
  } finally {
    acc.sums.dispose();
    order?.dispose();
  }
}

/** One step on batch `b`: the scheduled rate, the gradients inside tf.tidy, the update; its loss
 *  parts are added to the epoch's sums and returned (the caller disposes them). */
function trainStep(
  ctx: FitContext,
  st: FitState,
  epoch: number,
  b: number,
  order: tf.Tensor1D | undefined,
  acc: { sums: tf.Tensor1D },
): tf.Tensor1D {
  const { obj, s, data, n, bs, batches, rng, opt } = ctx;
  const start = b * bs;
  const rows = Math.min(bs, n - start);
  const lr = learningRate(s.lr, s.schedule, epoch - 1 + b / batches, s.epochs);
  st.lr = lr;
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
  st.steps++;
  st.samples += rows;
  const nextSums = tf.tidy(() => tf.add(acc.sums, tf.mul(partsVec, rows)) as tf.Tensor1D);
  acc.sums.dispose();
  acc.sums = nextSums;
  return partsVec;
}

/** The throttled progress report of a step (the one read-back of its losses), then a turn for
 *  the event loop when one is due. Disposes `partsVec`. */
async function reportBatch(
  ctx: FitContext,
  st: FitState,
  epoch: number,
  b: number,
  partsVec: tf.Tensor1D,
): Promise<void> {
  const { callbacks, now, s, obj } = ctx;
  if (callbacks.onBatchEnd && now() - st.lastEmit >= ctx.throttleMs) {
    st.lastEmit = now();
    const v = await partsVec.data();
    partsVec.dispose();
    await callbacks.onBatchEnd({
      ...(s.stage ? { stage: s.stage } : {}),
      epoch,
      batch: b + 1,
      batches: ctx.batches,
      step: st.steps,
      loss: total(v),
      parts: named(obj.partNames, v),
      lr: st.lr,
    });
  } else partsVec.dispose();
  if (now() - st.lastYield >= ctx.yieldMs) {
    await yieldToEventLoop();
    st.lastYield = now();
  }
}

/** The epoch's end: its record (training means, validation loss), the best weights so far, the
 *  divergence check and the patience rule. True: stop early. */
async function endEpoch(ctx: FitContext, st: FitState, epoch: number, sums: tf.Tensor1D): Promise<boolean> {
  const { obj, s, early } = ctx;
  const record = await evaluateEpoch(ctx, st, epoch, sums);
  st.history.push(record);
  // The validation loss is the full objective even during a warm-up, so the best weights may
  // come from any epoch; only the decision to stop waits for the warm-up to end.
  const warm = epoch >= Math.ceil((obj.warmup ?? 0) * s.epochs);
  if (early && record.valLoss !== null && Number.isFinite(record.valLoss))
    keepBest(ctx, st, record.valLoss, epoch);
  await ctx.callbacks.onEpochEnd?.(record);
  if (!Number.isFinite(record.loss))
    throw new UserError(
      'diverged',
      `the training loss diverged (${record.loss}) at epoch ${epoch}; lower the learning rate (--lr)`,
    );
  if (early && warm && st.best && epoch - st.best.epoch >= s.patience) {
    st.stopped = 'early-stopped';
    return true;
  }
  return false;
}

/** Evaluation: the training parts' means (one read-back), the validation loss, the record. */
async function evaluateEpoch(
  ctx: FitContext,
  st: FitState,
  epoch: number,
  sums: tf.Tensor1D,
): Promise<HistoryRecord> {
  const { obj, s, validation } = ctx;
  const trainParts = Array.from(await sums.data(), (v) => v / ctx.n);
  const valParts = validation ? await evaluateObjective(obj, validation) : undefined;
  return {
    epoch,
    ...(s.stage ? { stage: s.stage } : {}),
    loss: total(trainParts),
    valLoss: valParts ? total(valParts) : null,
    seconds: (ctx.now() - ctx.startedAt) / 1000,
    lr: st.lr,
    parts: named(obj.partNames, trainParts),
    ...(valParts ? { valParts: named(obj.partNames, valParts) } : {}),
  };
}

/** Early stopping's checkpoint: a snapshot of the weights whenever the validation loss improves. */
function keepBest(ctx: FitContext, st: FitState, valLoss: number, epoch: number): void {
  if (st.best && valLoss >= st.best.loss) return;
  if (st.best) tf.dispose(st.best.weights);
  st.best = { loss: valLoss, epoch, weights: ctx.s.snapshot!() };
}
