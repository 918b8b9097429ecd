/**
 * Predictive sparse decomposition (docs/theory.md, "PSD"): the inferred codes satisfy the optimality (KKT)
 * conditions of min_h ‖x − Dh‖² + λ‖h‖₁ + γ‖h − f(x)‖², the dictionary keeps unit-norm atoms, and
 * training moves the fast predictor f(x) toward the optimal codes h*.
 */
import { tf } from '../../../electron/engine/tf';
import { inferSparseCodes, largestEigenvalue } from '../../../electron/engine/psd/ista';
import { createAutoencoder } from '../../../electron/engine/models/create';
import type { PsdAutoencoder } from '../../../electron/engine/models/psd';
import { train } from '../../../electron/engine/train';
import { psdFigures } from '../../../electron/engine/metrics/psd';
import { parseTrainOptions, resolveTrainOptions } from '../../../electron/shared/model-config';
import { createRng } from '../../../electron/engine/random';
import { useCpu } from './helpers';

beforeAll(useCpu);

/** Max KKT violation: for h_i ≠ 0, |g_i + λ sign h_i|; for h_i = 0, max(0, |g_i| − λ); g the smooth gradient. */
function kktViolation(
  x: number[][],
  dict: number[][],
  f: number[][],
  h: number[][],
  lambda: number,
  gamma: number,
): number {
  let worst = 0;
  const d = x[0]!.length;
  h.forEach((hr, r) => {
    const resid = Array.from(
      { length: d },
      (_, c) => hr.reduce((s, hj, j) => s + hj * dict[j]![c]!, 0) - x[r]![c]!,
    );
    hr.forEach((hj, j) => {
      const g = 2 * resid.reduce((s, e, c) => s + e * dict[j]![c]!, 0) + 2 * gamma * (hj - f[r]![j]!);
      const v = hj !== 0 ? Math.abs(g + lambda * Math.sign(hj)) : Math.max(0, Math.abs(g) - lambda);
      worst = Math.max(worst, v);
    });
  });
  return worst;
}

/** Rows x = D_true·h_true + noise with 2 active atoms of 8 per row. */
function sparseData(n: number, d: number, k: number, seed: number): Float32Array {
  const r = createRng(seed);
  const atoms = Array.from({ length: k }, () => {
    const a = Array.from({ length: d }, () => r.normal());
    const nrm = Math.hypot(...a);
    return a.map((v) => v / nrm);
  });
  const out = new Float32Array(n * d);
  for (let i = 0; i < n; i++) {
    const active = [r.int(k), r.int(k)];
    for (const j of active) {
      const amp = (r.next() < 0.5 ? -1 : 1) * (1 + r.next());
      for (let c = 0; c < d; c++) out[i * d + c]! += amp * atoms[j]![c]!;
    }
    for (let c = 0; c < d; c++) out[i * d + c]! += 0.05 * r.normal();
  }
  return out;
}

describe('sparse inference (ISTA / FISTA)', () => {
  const cases = [
    { fista: true, gamma: 1, steps: 400 },
    { fista: false, gamma: 0.5, steps: 1500 },
    { fista: true, gamma: 0, steps: 600 },
  ];
  test.each(cases)('codes satisfy the lasso optimality conditions (%o)', ({ fista, gamma, steps }) => {
    const r = createRng(4);
    const n = 12,
      d = 7,
      k = 10,
      lambda = 0.3;
    const dictRows = Array.from({ length: k }, () => {
      const a = Array.from({ length: d }, () => r.normal());
      const nrm = Math.hypot(...a);
      return a.map((v) => v / nrm);
    });
    const x = Array.from({ length: n }, () => Array.from({ length: d }, () => r.normal()));
    const f = Array.from({ length: n }, () => Array.from({ length: k }, () => 0.3 * r.normal()));
    const h = tf.tidy(() => {
      const ft = tf.tensor2d(f);
      return inferSparseCodes(tf.tensor2d(x), tf.tensor2d(dictRows), ft, ft, {
        lambda,
        gamma,
        steps,
        fista,
      }).arraySync();
    });
    expect(kktViolation(x, dictRows, f, h, lambda, gamma)).toBeLessThan(2e-3);
    // Sparse: the ℓ1 term zeroes a good share of an overcomplete code.
    const zeros = h.flat().filter((v) => v === 0).length;
    expect(zeros).toBeGreaterThan(0.1 * n * k);
  });

  test('the step size bound is never below λ_max of DDᵀ', () => {
    const a = tf.tensor2d([
      [4, 1, 0],
      [1, 3, 1],
      [0, 1, 2],
    ]);
    // λ_max of this matrix is 4.7320508 (= 3 + √3).
    const l = largestEigenvalue(a).dataSync()[0]!;
    expect(l).toBeGreaterThanOrEqual(3 + Math.sqrt(3) - 1e-4);
    expect(l).toBeLessThan(1.06 * (3 + Math.sqrt(3)));
    a.dispose();
  });
});

describe('PSD training', () => {
  test('keeps unit-norm atoms, moves f(x) toward h*, and its codes stay optimal', async () => {
    const n = 400,
      d = 10,
      k = 8;
    const xs = sparseData(n, d, k, 6);
    const model = createAutoencoder(
      { family: 'psd', latent: k, lambda: 0.2, psd: { gamma: 1, steps: 20 } },
      d,
      { seed: 2 },
    ) as PsdAutoencoder;
    const x = tf.tensor2d(xs, [n, d]);
    const sample = tf.slice(x, [0, 0], [200, d]) as tf.Tensor2D;
    const before = await psdFigures(model, sample);
    const opts = resolveTrainOptions(
      parseTrainOptions({ epochs: 12, batchSize: 50, lr: 0.02, seed: 1 }),
      model.config,
      n,
    );
    const r = await train(model, { train: x }, opts);
    const after = await psdFigures(model, sample);
    // f(x) approaches the optimised codes…
    expect(after.predictionGap).toBeLessThan(0.5 * before.predictionGap);
    // …and so saves ISTA iterations over a start at zero.
    expect(after.istaStepsFromPrediction).toBeLessThanOrEqual(after.istaStepsFromZero);
    // The prediction term of the loss fell during training.
    expect(r.history.at(-1)!.parts.prediction!).toBeLessThan(0.5 * r.history[0]!.parts.prediction!);
    const norms = tf.tidy(() => tf.sqrt(tf.sum(tf.square(model.dict), 1)).arraySync() as number[]);
    norms.forEach((v) => expect(v).toBeCloseTo(1, 5));
    // The codes the model infers (from f(x), its configured steps ×10) are optimal for its energy.
    const xsRows = sample.arraySync().slice(0, 20);
    const fx = tf.tidy(() => model.encode(tf.tensor2d(xsRows)).arraySync());
    const hStar = tf.tidy(() => {
      const xt = tf.tensor2d(xsRows);
      const ft = tf.tensor2d(fx);
      return inferSparseCodes(xt, model.dict as tf.Tensor2D, ft, ft, {
        lambda: 0.2,
        gamma: 1,
        steps: 300,
        fista: true,
      }).arraySync();
    });
    const dict = model.dict.arraySync() as number[][];
    expect(kktViolation(xsRows, dict, fx, hStar, 0.2, 1)).toBeLessThan(2e-3);
    tf.dispose([x, sample]);
    model.dispose();
  });
});
