/**
 * What each family must do beyond its gradient: sparsity that grows with λ, binary hashing codes
 * with every bit in use, greedy pretraining that records each stage and a fine-tuning that improves
 * on the stacked start, and corruptions with the stated statistics.
 */
import { tf } from '../../../electron/engine/tf';
import { runTraining } from '../../../electron/engine/run';
import { corrupt } from '../../../electron/engine/corruption';
import { createAutoencoder } from '../../../electron/engine/models/create';
import { createObjective } from '../../../electron/engine/families';
import { evaluateObjective } from '../../../electron/engine/loop';
import { rowNll } from '../../../electron/engine/losses';
import { generateSample } from '../../../electron/data/samples/generate';
import { datasetOf, lowRankData, useCpu } from './helpers';

beforeAll(useCpu);

describe('sparse', () => {
  test('mean |h| falls as λ rises, and the Laplace rate fitted to the codes rises with it', async () => {
    const n = 400,
      d = 8;
    const ds = datasetOf(lowRankData(n, d, [3, 2, 1], 0.2, 3), n, d);
    const figures = [];
    for (const lambda of [0, 0.05, 0.3]) {
      const r = await runTraining({
        dataset: ds,
        config: { family: 'sparse', latent: 6, hidden: [16], activation: 'tanh', lambda },
        train: { epochs: 15, seed: 4, lr: 0.005 },
      });
      figures.push({ lambda, ...r.metrics.sparsity!, laplace: r.metrics.laplace! });
      r.model.dispose();
    }
    expect(figures[1]!.meanAbsCode).toBeLessThan(figures[0]!.meanAbsCode);
    expect(figures[2]!.meanAbsCode).toBeLessThan(figures[1]!.meanAbsCode);
    expect(figures[2]!.fractionNearZero).toBeGreaterThan(figures[0]!.fractionNearZero);
    for (const f of figures) expect(f.laplace.fittedLambda).toBeCloseTo(1 / f.meanAbsCode, 6);
    // The histogram is a density: it integrates to 1.
    const h = figures[2]!.laplace.histogram;
    const width = h.edges[1]! - h.edges[0]!;
    expect(h.density.reduce((a, b) => a + b, 0) * width).toBeCloseTo(1, 6);
  });
});

describe('hashing', () => {
  test.each(['noise', 'straight-through'] as const)(
    '%s: codes are 0/1 and no bit is constant',
    async (method) => {
      const ds = generateSample('gaussian-mixture', { rows: 600, seed: 2 });
      const k = 4;
      const r = await runTraining({
        dataset: ds,
        config: { family: 'hashing', latent: k, hidden: [16], activation: 'tanh', hashing: { method } },
        train: { epochs: 20, seed: 1, lr: 0.01 },
      });
      expect(r.codes.length).toBe(ds.rows * k);
      expect(r.codes.every((v) => v === 0 || v === 1)).toBe(true);
      for (let j = 0; j < k; j++) {
        const col = Array.from({ length: ds.rows }, (_, i) => r.codes[i * k + j]!);
        expect(new Set(col).size).toBe(2);
      }
      expect(r.metrics.hashing!.constantBits).toBe(0);
      expect(r.metrics.hashing!.distinctCodes).toBeGreaterThan(2);
      if (method === 'noise') expect(r.metrics.hashing!.saturation).toBeGreaterThan(0.5);
      r.model.dispose();
    },
  );
});

describe('greedy layer-wise pretraining', () => {
  test('records every stage, then fine-tuning lowers the loss below the stacked start', async () => {
    const ds = generateSample('swiss-roll', { rows: 500, seed: 3 });
    const r = await runTraining({
      dataset: ds,
      config: {
        family: 'deep',
        latent: 2,
        hidden: [16, 8],
        activation: 'tanh',
        pretrain: { mode: 'greedy', epochs: 4 },
      },
      train: { epochs: 10, seed: 2, lr: 0.01 },
    });
    expect(r.stages.map((s) => s.stage)).toEqual(['pretrain-1', 'pretrain-2', 'pretrain-3', 'finetune']);
    for (const stage of ['pretrain-1', 'pretrain-2', 'pretrain-3'])
      expect(r.history.filter((h) => h.stage === stage).map((h) => h.epoch)).toEqual([1, 2, 3, 4]);
    expect(r.history.filter((h) => h.stage === 'finetune').length).toBeGreaterThan(0);
    for (const s of r.stages.slice(0, 3)) expect(s.endLoss).toBeLessThan(s.startLoss);
    const fine = r.stages[3]!;
    expect(fine.endLoss).toBeLessThan(fine.startLoss);
    // The stacked start is the deep model's loss right after the last stage, before any fine-tuning.
    expect(Number.isFinite(fine.startLoss)).toBe(true);
    r.model.dispose();
  });
});

describe('vae', () => {
  test('KL warm-up: β rises from 0 over the warm-up, evaluation always uses the full β', async () => {
    const model = createAutoencoder({ family: 'vae', latent: 2, hidden: [4], lambda: 2, klWarmup: 0.5 }, 3, {
      seed: 1,
    });
    const x = tf.tensor2d([
      [0.1, 0.2, -0.3],
      [1, -1, 0.5],
    ]);
    const obj = createObjective(model, x);
    const kl = (epoch: number) => {
      obj.setProgress!(epoch, 10);
      return tf.tidy(() => obj.parts(x, 1, [])[1]!.dataSync()[0]!);
    };
    const full = kl(Infinity);
    expect(full).toBeGreaterThan(0);
    expect(kl(0)).toBe(0);
    expect(kl(2.5)).toBeCloseTo(full / 2, 5); // halfway through a 5-epoch warm-up
    expect(kl(7)).toBeCloseTo(full, 6);
    obj.setProgress!(0, 10);
    const [, evaluated] = await evaluateObjective(obj, x, 1);
    expect(evaluated).toBeCloseTo(full, 5);
    obj.dispose();
    x.dispose();
    model.dispose();
  });

  test('the gaussian decoder learns its variance: a mean off by δ costs ½(δ²/σ² + log σ²)', () => {
    const model = createAutoencoder({ family: 'vae', latent: 1 }, 2, { seed: 1 });
    if (model.kind !== 'vae') throw new Error('vae expected');
    expect(model.outputLogvar).toBeDefined();
    model.outputLogvar!.assign(tf.tensor1d([Math.log(4), 0]));
    const nll = tf.tidy(
      () =>
        rowNll(
          tf.tensor2d([[3, 1]]),
          tf.tensor2d([[1, 1]]),
          model.output,
          model.outputLogvar as tf.Tensor1D,
        ).dataSync()[0]!,
    );
    expect(nll).toBeCloseTo(0.5 * (4 / 4 + Math.log(4)), 6);
    model.dispose();
  });
});

describe('denoising corruptions', () => {
  const n = 4000,
    d = 5;
  const x = () => tf.tidy(() => tf.add(tf.randomNormal([n, d], 0, 1, 'float32', 1), 3) as tf.Tensor2D);

  test('gaussian: x̃ − x ~ N(0, σ²)', () => {
    const [m, v] = tf.tidy(() => {
      const xx = x();
      const { mean, variance } = tf.moments(tf.sub(corrupt(xx, { kind: 'gaussian', level: 0.5 }, 7), xx));
      return [mean.dataSync()[0]!, variance.dataSync()[0]!];
    });
    expect(Math.abs(m!)).toBeLessThan(0.02);
    expect(v! / 0.25).toBeCloseTo(1, 1);
  });

  test('mask: a fraction ν of the entries set to 0, the rest unchanged', () => {
    const [zeros, changed] = tf.tidy(() => {
      const xx = x();
      const c = corrupt(xx, { kind: 'mask', level: 0.3 }, 7);
      const z = tf.equal(c, 0);
      const same = tf.logicalOr(z, tf.equal(c, xx));
      return [
        tf.mean(tf.cast(z, 'float32')).dataSync()[0]!,
        1 - tf.mean(tf.cast(same, 'float32')).dataSync()[0]!,
      ];
    });
    expect(zeros).toBeCloseTo(0.3, 1.5);
    expect(changed).toBe(0);
  });

  test('salt-and-pepper: a fraction ν set to the column min or max, half each', () => {
    const [hit, salt, other] = tf.tidy(() => {
      const xx = x();
      const range = { min: tf.min(xx, 0) as tf.Tensor1D, max: tf.max(xx, 0) as tf.Tensor1D };
      const c = corrupt(xx, { kind: 'salt-pepper', level: 0.2 }, 9, range);
      const isMax = tf.equal(c, tf.broadcastTo(range.max, [n, d]));
      const isMin = tf.equal(c, tf.broadcastTo(range.min, [n, d]));
      const hitMask = tf.logicalOr(isMax, isMin);
      const notHitChanged = tf.logicalAnd(tf.logicalNot(hitMask), tf.notEqual(c, xx));
      const mean = (t: tf.Tensor) => tf.mean(tf.cast(t, 'float32')).dataSync()[0]!;
      return [mean(hitMask), mean(isMax) / mean(hitMask), mean(notHitChanged)];
    });
    expect(hit).toBeCloseTo(0.2, 1.5);
    expect(salt).toBeCloseTo(0.5, 1);
    expect(other).toBe(0);
  });
});
