/**
 * The training loop: determinism from the seed, abort within one step, throttled progress on an
 * injected clock, early stopping that restores the best weights, mini-batch/full-batch step counts,
 * SGD with momentum, learning-rate schedules, and no read-back of the loss at every step.
 */
import { tf } from '../../../electron/engine/tf';
import { createAutoencoder } from '../../../electron/engine/models/create';
import { train } from '../../../electron/engine/train';
import { createObjective } from '../../../electron/engine/families';
import { evaluateObjective } from '../../../electron/engine/loop';
import { learningRate } from '../../../electron/engine/optim/schedule';
import {
  parseTrainOptions,
  resolveTrainOptions,
  type ModelConfigInput,
  type TrainOptionsInput,
} from '../../../electron/shared/model-config';
import { lowRankData, useCpu } from './helpers';

beforeAll(useCpu);

const n = 120,
  d = 6;
const raw = lowRankData(n, d, [2, 1], 0.2, 5);

function setup(config: ModelConfigInput, opts: TrainOptionsInput, rows = n) {
  const model = createAutoencoder(config, d, { seed: opts.seed ?? 0 });
  const options = resolveTrainOptions(parseTrainOptions(opts), model.config, rows);
  const x = tf.tensor2d(raw.subarray(0, rows * d), [rows, d]);
  return { model, options, x };
}

const flat = (w: { data: Float32Array }[]) => w.flatMap((v) => Array.from(v.data));

describe('the training loop', () => {
  test('is deterministic given the seed; another seed gives other weights', async () => {
    const cfg: ModelConfigInput = { family: 'denoising', latent: 2, hidden: [5], activation: 'tanh' };
    const runs = [];
    for (const seed of [3, 3, 4]) {
      const { model, options, x } = setup(cfg, { epochs: 3, batchSize: 16, seed });
      const r = await train(model, { train: x }, options);
      runs.push({ weights: flat(model.getWeights()), losses: r.history.map((h) => h.loss) });
      model.dispose();
      x.dispose();
    }
    expect(runs[1]!.weights).toEqual(runs[0]!.weights);
    expect(runs[1]!.losses).toEqual(runs[0]!.losses);
    expect(runs[2]!.weights).not.toEqual(runs[0]!.weights);
  });

  test('counts steps: full batch = one per epoch, mini-batches = ⌈n / b⌉ per epoch', async () => {
    for (const [batchSize, perEpoch] of [
      [0, 1],
      [50, 3],
      [n, 1],
    ] as const) {
      const { model, options, x } = setup({ family: 'linear', latent: 2 }, { epochs: 4, batchSize });
      const r = await train(model, { train: x }, options);
      expect(r.steps).toBe(4 * perEpoch);
      model.dispose();
      x.dispose();
    }
  });

  test('an AbortSignal stops before the next step', async () => {
    const { model, options, x } = setup(
      { family: 'undercomplete', latent: 2 },
      { epochs: 50, batchSize: 10 },
    );
    const ctl = new AbortController();
    let seen = 0;
    const r = await train(
      model,
      { train: x },
      options,
      {
        onBatchEnd: (b) => {
          seen = b.step;
          if (b.step === 7) ctl.abort();
        },
      },
      ctl.signal,
      { throttleMs: 0 },
    );
    expect(r.stopped).toBe('aborted');
    expect(r.steps).toBe(7);
    expect(seen).toBe(7);
    expect(r.history.length).toBe(0); // the first epoch (12 steps) never finished
    model.dispose();
    x.dispose();
  });

  test('an abort from a timer lands while training runs (the loop yields to the event loop)', async () => {
    const { model, options, x } = setup(
      { family: 'undercomplete', latent: 2, hidden: [8] },
      { epochs: 100000, batchSize: 10 },
    );
    const ctl = new AbortController();
    setTimeout(() => ctl.abort(), 200);
    const r = await train(model, { train: x }, options, {}, ctl.signal);
    expect(r.stopped).toBe('aborted');
    expect(r.steps).toBeGreaterThan(0);
    model.dispose();
    x.dispose();
  });

  test('beforeStep pauses the loop until it resolves; an abort during the pause stops it', async () => {
    const { model, options, x } = setup({ family: 'linear', latent: 2 }, { epochs: 5, batchSize: 10 });
    const ctl = new AbortController();
    let steps = 0;
    let release: (() => void) | undefined;
    const run = train(
      model,
      { train: x },
      options,
      { onBatchEnd: (b) => void (steps = b.step) },
      ctl.signal,
      {
        throttleMs: 0,
        beforeStep: () => (steps === 5 ? new Promise<void>((resolve) => (release = resolve)) : undefined),
      },
    );
    while (!release) await new Promise((r) => setTimeout(r, 5));
    await new Promise((r) => setTimeout(r, 50));
    expect(steps).toBe(5); // held at the gate
    ctl.abort();
    release();
    const r = await run;
    expect(r.stopped).toBe('aborted');
    expect(r.steps).toBe(5);
    model.dispose();
    x.dispose();
  });

  test('progress is throttled on the injected clock', async () => {
    // A clock that advances 10 ms each time the loop reads it (a few reads per step).
    let t = 0;
    const steps: number[] = [];
    const { model, options, x } = setup({ family: 'linear', latent: 2 }, { epochs: 2, batchSize: 10 });
    const r = await train(
      model,
      { train: x },
      options,
      { onBatchEnd: (b) => void steps.push(b.step) },
      undefined,
      { now: () => (t += 10), throttleMs: 100 },
    );
    expect(r.steps).toBe(24);
    // Far fewer reports than steps, but more than one, at least 100 ms apart on that clock.
    expect(steps.length).toBeGreaterThan(1);
    expect(steps.length).toBeLessThan(r.steps / 2);
    model.dispose();
    x.dispose();
  });

  test('with a clock that never moves, only the first batch is reported', async () => {
    const calls: number[] = [];
    const { model, options, x } = setup({ family: 'linear', latent: 2 }, { epochs: 3, batchSize: 10 });
    await train(model, { train: x }, options, { onBatchEnd: (b) => void calls.push(b.step) }, undefined, {
      now: () => 0,
    });
    expect(calls).toEqual([1]);
    model.dispose();
    x.dispose();
  });

  test('reads the loss back once per epoch, not once per step', async () => {
    const { model, options, x } = setup({ family: 'undercomplete', latent: 2 }, { epochs: 3, batchSize: 8 });
    const proto = Object.getPrototypeOf(tf.scalar(0)) as { dataSync: () => unknown; data: () => unknown };
    const orig = { dataSync: proto.dataSync, data: proto.data };
    let reads = 0;
    proto.dataSync = function (this: unknown) {
      reads++;
      return orig.dataSync.call(this);
    };
    proto.data = function (this: unknown) {
      reads++;
      return orig.data.call(this);
    };
    try {
      const r = await train(model, { train: x }, options);
      expect(r.steps).toBe(45);
      expect(reads).toBeLessThanOrEqual(3);
    } finally {
      proto.dataSync = orig.dataSync;
      proto.data = orig.data;
    }
    model.dispose();
    x.dispose();
  });

  test('early stopping stops when validation stops improving and restores the best weights', async () => {
    // Ten training rows and a wide model overfit; the validation loss turns up.
    const model = createAutoencoder(
      { family: 'undercomplete', latent: 4, hidden: [64], activation: 'tanh' },
      d,
      { seed: 1 },
    );
    const options = resolveTrainOptions(
      parseTrainOptions({ epochs: 400, batchSize: 0, lr: 0.01, patience: 10 }),
      model.config,
      10,
    );
    const trainX = tf.tensor2d(raw.subarray(0, 10 * d), [10, d]);
    const valX = tf.tensor2d(raw.subarray(10 * d, 60 * d), [50, d]);
    const r = await train(model, { train: trainX, validation: valX }, options);
    expect(r.stopped).toBe('early-stopped');
    const vals = r.history.map((h) => h.valLoss!);
    const best = Math.min(...vals);
    expect(r.bestEpoch).toBe(vals.indexOf(best) + 1);
    expect(r.history.length).toBe(r.bestEpoch + 10);
    // The model now holds the best epoch's weights: its validation loss is that epoch's.
    const obj = createObjective(model, trainX);
    const [now] = await evaluateObjective(obj, valX);
    expect(now).toBeCloseTo(best, 5);
    obj.dispose();
    tf.dispose([trainX, valX]);
    model.dispose();
  });

  test('SGD with momentum lowers the loss', async () => {
    const { model, options, x } = setup(
      { family: 'undercomplete', latent: 2, hidden: [8], activation: 'tanh' },
      { epochs: 20, batchSize: 16, optimizer: 'sgd', momentum: 0.9, lr: 0.01 },
    );
    const r = await train(model, { train: x }, options);
    expect(r.history.at(-1)!.loss).toBeLessThan(0.6 * r.history[0]!.loss);
    model.dispose();
    x.dispose();
  });
});

describe('learning-rate schedules', () => {
  const base = { gamma: 0.5, every: 10, minFactor: 0.01 };
  test('constant, step, exponential and cosine', () => {
    expect(learningRate(0.1, { ...base, kind: 'constant' }, 37, 50)).toBe(0.1);
    expect(learningRate(0.1, { ...base, kind: 'step' }, 9.9, 50)).toBeCloseTo(0.1, 12);
    expect(learningRate(0.1, { ...base, kind: 'step' }, 25, 50)).toBeCloseTo(0.025, 12);
    expect(learningRate(0.1, { ...base, kind: 'exponential', gamma: 0.9 }, 3, 50)).toBeCloseTo(
      0.1 * 0.9 ** 3,
      12,
    );
    expect(learningRate(0.1, { ...base, kind: 'cosine' }, 0, 50)).toBeCloseTo(0.1, 12);
    expect(learningRate(0.1, { ...base, kind: 'cosine' }, 25, 50)).toBeCloseTo(0.001 + 0.5 * 0.099, 12);
    expect(learningRate(0.1, { ...base, kind: 'cosine' }, 50, 50)).toBeCloseTo(0.001, 12);
  });
});
