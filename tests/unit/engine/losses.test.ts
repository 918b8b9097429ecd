/**
 * The decoder likelihoods against their formulas (docs/theory.md, "The decoder's distribution"), the VAE's KL against its closed
 * form and a Monte-Carlo estimate, and the reparameterisation's moments.
 */
import { tf } from '../../../electron/engine/tf';
import {
  nllConstant,
  outputMean,
  outputSpec,
  reconstructionLoss,
  rowNll,
} from '../../../electron/engine/losses';
import { gaussianKl, reparameterize } from '../../../electron/engine/regularizers/kl';
import { createRng } from '../../../electron/engine/random';
import { useCpu } from './helpers';

beforeAll(useCpu);

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

describe('negative log-likelihoods', () => {
  test('bernoulli: −Σ x log p + (1 − x) log(1 − p), p = σ(z), including intensities in (0, 1)', () => {
    const x = [
      [0, 1, 0.3],
      [1, 0.75, 0],
    ];
    const z = [
      [-2, 0.5, 1.2],
      [3, -1, 30],
    ];
    const spec = outputSpec('bernoulli', 3);
    const got = tf.tidy(() => rowNll(tf.tensor2d(x), tf.tensor2d(z), spec).arraySync());
    x.forEach((row, i) => {
      const want = -row.reduce((s, xi, j) => {
        const p = sigmoid(z[i]![j]!);
        // log(1 − σ(30)) underflows in float64 too: use −softplus(z) = log(1 − σ(z)).
        const log1mp = -Math.log1p(Math.exp(z[i]![j]!));
        return s + xi * Math.log(p) + (1 - xi) * log1mp;
      }, 0);
      expect(got[i]).toBeCloseTo(want, 4);
    });
    const mean = tf.tidy(() => outputMean(tf.tensor2d(z), spec).arraySync());
    expect(mean[0]![0]).toBeCloseTo(sigmoid(-2), 6);
  });

  test('categorical: −Σ_groups Σ x log softmax(z_group), gaussian columns outside the groups', () => {
    // Columns: 0 real, 1–3 group A, 4 real, 5–6 group B.
    const groups = [
      { name: 'a', start: 1, levels: ['p', 'q', 'r'] },
      { name: 'b', start: 5, levels: ['s', 't'] },
    ];
    const spec = outputSpec('categorical', 7, groups);
    expect(spec.segments.map((s) => [s.start, s.size, s.kind])).toEqual([
      [0, 1, 'gaussian'],
      [1, 3, 'categorical'],
      [4, 1, 'gaussian'],
      [5, 2, 'categorical'],
    ]);
    const x = [[0.5, 0, 1, 0, -1, 1, 0]];
    const z = [[0.2, 1, 2, -1, 0.5, 0.3, -0.4]];
    const got = tf.tidy(() => rowNll(tf.tensor2d(x), tf.tensor2d(z), spec).arraySync())[0]!;
    const lse = (v: number[]) => Math.log(v.reduce((s, a) => s + Math.exp(a), 0));
    const zr = z[0]!;
    const want =
      0.5 * (0.5 - 0.2) ** 2 +
      0.5 * (-1 - 0.5) ** 2 +
      -(zr[2]! - lse(zr.slice(1, 4))) +
      -(zr[5]! - lse(zr.slice(5, 7)));
    expect(got).toBeCloseTo(want, 5);
    const mean = tf.tidy(() => outputMean(tf.tensor2d(z), spec).arraySync())[0]!;
    expect(mean[1]! + mean[2]! + mean[3]!).toBeCloseTo(1, 6);
    expect(mean[5]! + mean[6]!).toBeCloseTo(1, 6);
    expect(mean[0]).toBeCloseTo(0.2, 6);
    expect(mean[4]).toBeCloseTo(0.5, 6);
    expect(nllConstant(spec)).toBeCloseTo(Math.log(2 * Math.PI), 12); // two gaussian columns
  });

  test('gaussian: ½‖x − μ‖², averaged over rows; the constant is (d/2) log 2π', () => {
    const spec = outputSpec('gaussian', 2);
    const loss = tf.tidy(
      () =>
        reconstructionLoss(
          tf.tensor2d([
            [1, 2],
            [0, 0],
          ]),
          tf.tensor2d([
            [0, 0],
            [3, 4],
          ]),
          spec,
        ).dataSync()[0],
    );
    expect(loss).toBeCloseTo((0.5 * 5 + 0.5 * 25) / 2, 5);
    expect(nllConstant(spec)).toBeCloseTo(Math.log(2 * Math.PI), 12);
  });

  test('a categorical group that does not fit the columns is refused', () => {
    expect(() => outputSpec('categorical', 3, [{ name: 'g', start: 2, levels: ['a', 'b'] }])).toThrow(
      /does not fit/,
    );
  });
});

describe('the VAE’s KL(N(μ, σ²) ‖ N(0, I))', () => {
  const mu = [
    [0.5, -1, 0],
    [2, 0.1, -0.3],
  ];
  const logvar = [
    [0, -1, 0.7],
    [-2, 0.3, 0],
  ];

  test('equals its closed form ½ Σ (μ² + σ² − log σ² − 1)', () => {
    const got = tf.tidy(() => gaussianKl(tf.tensor2d(mu), tf.tensor2d(logvar)).arraySync());
    mu.forEach((m, i) => {
      const want =
        0.5 * m.reduce((s, mj, j) => s + mj * mj + Math.exp(logvar[i]![j]!) - logvar[i]![j]! - 1, 0);
      expect(got[i]).toBeCloseTo(want, 5);
    });
    expect(tf.tidy(() => gaussianKl(tf.zeros([1, 3]), tf.zeros([1, 3])).dataSync()[0])).toBe(0);
  });

  test('agrees with a Monte-Carlo estimate E_q[log q(h) − log p(h)] over reparameterised samples', () => {
    const S = 20000;
    const closed = tf.tidy(() => gaussianKl(tf.tensor2d(mu), tf.tensor2d(logvar)).arraySync());
    const rng = createRng(3);
    mu.forEach((m, i) => {
      let acc = 0;
      for (let s = 0; s < S; s++) {
        let logq = 0,
          logp = 0;
        m.forEach((mj, j) => {
          const sd = Math.exp(0.5 * logvar[i]![j]!);
          const e = rng.normal();
          const h = mj + sd * e;
          logq += -0.5 * e * e - Math.log(sd);
          logp += -0.5 * h * h;
        });
        acc += logq - logp;
      }
      // The estimator's standard deviation here is < 3, so 20 000 draws give < 0.03.
      expect(Math.abs(acc / S - closed[i]!)).toBeLessThan(0.08);
    });
  });

  test('the reparameterised h = μ + σ ⊙ ε has mean μ and variance σ²', () => {
    const n = 20000;
    const m = tf.tidy(() => {
      const muT = tf.tile(tf.tensor2d([[1.5, -2]]), [n, 1]);
      const lv = tf.tile(tf.tensor2d([[Math.log(4), Math.log(0.25)]]), [n, 1]);
      const h = reparameterize(muT as tf.Tensor2D, lv as tf.Tensor2D, 42);
      const mom = tf.moments(h, 0);
      return [mom.mean.arraySync() as number[], mom.variance.arraySync() as number[]];
    });
    expect(m[0]![0]).toBeCloseTo(1.5, 1);
    expect(m[0]![1]).toBeCloseTo(-2, 1);
    expect(m[1]![0]! / 4).toBeCloseTo(1, 1);
    expect(m[1]![1]! / 0.25).toBeCloseTo(1, 1);
  });
});
