/**
 * Sparse inference for PSD (docs/theory.md, "PSD"): minimise, per row,
 *   E(h) = ‖x − Dh‖² + λ‖h‖₁ + γ‖h − f(x)‖²
 * by iterative shrinkage (ISTA) or its accelerated form (FISTA, Beck & Teboulle 2009), started at
 * f(x) (or at 0, to measure the steps the predictor saves). Shapes: x [n, d], dict [k, d] (row j is
 * atom D_{:,j}), h [n, k]. With the Gram matrix A = dict·dictᵀ [k, k] and c = x·dictᵀ [n, k]:
 *   ∇ smooth part = 2(h·A − c) + 2γ(h − f),  Lipschitz constant L = 2(λ_max(A) + γ)
 *   ISTA step: h ← S_{λ/L}(h − ∇/L),  S_t(v) = sign(v)·max(|v| − t, 0).
 * Everything stays on the device: λ_max(A) comes from power iteration (capped by Gershgorin's bound,
 * which is always ≥ λ_max), so no value is read back.
 */
import { tf } from '../tf';
import { matMul } from '../layers/dense';

export interface SparseCodingOptions {
  lambda: number;
  gamma: number;
  steps: number;
  fista: boolean;
}

/** S_t(v) = sign(v)·max(|v| − t, 0) = relu(v − t) − relu(−v − t). */
export function softThreshold(v: tf.Tensor2D, t: tf.Scalar | number): tf.Tensor2D {
  return tf.sub(tf.relu(tf.sub(v, t)), tf.relu(tf.sub(tf.neg(v), t)));
}

/** An upper estimate of λ_max of a symmetric PSD matrix A [k, k] (power iteration, 5% margin,
 *  never above the Gershgorin bound max_i Σ_j |A_ij|). */
export function largestEigenvalue(a: tf.Tensor2D, iterations = 50): tf.Scalar {
  return tf.tidy(() => {
    const k = a.shape[0];
    let v: tf.Tensor2D = tf.fill([k, 1], 1 / Math.sqrt(k));
    for (let i = 0; i < iterations; i++) {
      const av = tf.matMul(a, v);
      v = tf.div(av, tf.add(tf.norm(av), 1e-30));
    }
    const rayleigh = tf.sum(tf.mul(v, tf.matMul(a, v)));
    const gershgorin = tf.max(tf.sum(tf.abs(a), 1));
    return tf.minimum(tf.mul(rayleigh, 1.05), gershgorin) as tf.Scalar;
  });
}

export interface IstaState {
  gram: tf.Tensor2D;
  c: tf.Tensor2D;
  lipschitz: tf.Scalar;
}

export function istaSetup(x: tf.Tensor2D, dict: tf.Tensor2D, gamma: number): IstaState {
  const gram = matMul(dict, dict, false, true); // [k, k]
  const c = matMul(x, dict, false, true); // [n, k]
  const lipschitz = tf.mul(2, tf.add(largestEigenvalue(gram), gamma)) as tf.Scalar;
  return { gram, c, lipschitz };
}

/** The smooth part's gradient at h: 2(h·A − c) + 2γ(h − f). */
export function smoothGradient(s: IstaState, h: tf.Tensor2D, f: tf.Tensor2D, gamma: number): tf.Tensor2D {
  const g = tf.mul(2, tf.sub(matMul(h, s.gram), s.c)) as tf.Tensor2D;
  return gamma > 0 ? (tf.add(g, tf.mul(2 * gamma, tf.sub(h, f))) as tf.Tensor2D) : g;
}

/** One proximal-gradient step from y. */
function proxStep(s: IstaState, y: tf.Tensor2D, f: tf.Tensor2D, o: SparseCodingOptions): tf.Tensor2D {
  const step: tf.Tensor2D = tf.sub(y, tf.div(smoothGradient(s, y, f, o.gamma), s.lipschitz));
  return softThreshold(step, tf.div(o.lambda, s.lipschitz) as tf.Scalar);
}

/**
 * h* ≈ argmin E(h) after `steps` iterations from h0. `each(h, i)` (optional) sees every iterate.
 * Not differentiated: call it outside tf.variableGrads.
 */
export function inferSparseCodes(
  x: tf.Tensor2D,
  dict: tf.Tensor2D,
  f: tf.Tensor2D,
  h0: tf.Tensor2D,
  o: SparseCodingOptions,
  each?: (h: tf.Tensor2D, step: number) => void,
): tf.Tensor2D {
  return tf.tidy(() => {
    const s = istaSetup(x, dict, o.gamma);
    let h = h0;
    let y = h0;
    let t = 1;
    for (let i = 1; i <= o.steps; i++) {
      // Each iterate in its own scope; the previous ones are released as we go.
      const from = o.fista ? y : h;
      const next = tf.tidy(() => proxStep(s, from, f, o));
      if (o.fista) {
        const tNext = (1 + Math.sqrt(1 + 4 * t * t)) / 2;
        const prev = h;
        const yNext = tf.tidy(() => tf.add(next, tf.mul((t - 1) / tNext, tf.sub(next, prev))) as tf.Tensor2D);
        if (y !== h0) y.dispose();
        y = yNext;
        t = tNext;
      }
      if (h !== h0) h.dispose();
      h = next;
      each?.(h, i);
    }
    if (y !== h0 && y !== h) y.dispose();
    return h;
  });
}

/** E(h) per row: ‖x − h·dict‖² + λ‖h‖₁ + γ‖h − f‖²: [n]. */
export function sparseCodingEnergy(
  x: tf.Tensor2D,
  dict: tf.Tensor2D,
  f: tf.Tensor2D,
  h: tf.Tensor2D,
  lambda: number,
  gamma: number,
): tf.Tensor1D {
  return tf.tidy(() => {
    const rec = tf.sum(tf.square(tf.sub(x, matMul(h, dict))), 1);
    const l1 = tf.mul(lambda, tf.sum(tf.abs(h), 1));
    const pred = tf.mul(gamma, tf.sum(tf.square(tf.sub(h, f)), 1));
    return tf.addN([rec, l1, pred]) as tf.Tensor1D;
  });
}
