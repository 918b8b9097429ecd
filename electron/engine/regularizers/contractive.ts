/**
 * The contractive penalty ‖J_f(x)‖²_F (docs/theory.md, "Contractive"), per point [n], three ways:
 *   closed form, one sigmoid layer h = σ(xW + b), W [d, k]:  Σ_j (h_j(1−h_j))² Σ_i W_ij²
 *   exact, any encoder: k vector-Jacobian products (analysis/jacobian.ts)
 *   stochastic (CAE+H): (1/S) Σ_s ‖f(x + ε_s) − f(x)‖² / σ², ε_s ~ N(0, σ²I); its expectation is
 *   ‖J‖²_F + O(σ²).
 */
import { tf } from '../tf';
import { affine } from '../layers/dense';
import { activate } from '../layers/activations';
import { jacobianFrobeniusSq, type TensorFn } from '../analysis/jacobian';
import type { Activation } from '../../shared/model-config';

export function contractiveClosedForm(x: tf.Tensor2D, w: tf.Tensor2D, b: tf.Tensor1D): tf.Tensor1D {
  const h = tf.sigmoid(affine(x, w, b)); // [n, k]
  const colSq = tf.sum(tf.square(w), 0); // [k]: Σ_i W_ij²
  return tf.sum(tf.mul(tf.square(tf.mul(h, tf.sub(1, h))), colSq), 1) as tf.Tensor1D;
}

export function contractiveExact(f: TensorFn, x: tf.Tensor2D, k: number): tf.Tensor1D {
  return jacobianFrobeniusSq(f, x, k);
}

export function contractiveStochastic(
  f: TensorFn,
  x: tf.Tensor2D,
  sigma: number,
  samples: number,
  seed: number,
): tf.Tensor1D {
  const fx = f(x);
  const terms: tf.Tensor1D[] = [];
  for (let s = 0; s < samples; s++) {
    const eps = tf.randomNormal(x.shape, 0, sigma, 'float32', (seed + 7919 * s) >>> 0);
    terms.push(tf.sum(tf.square(tf.sub(f(tf.add(x, eps)), fx)), 1) as tf.Tensor1D);
  }
  const total = terms.length === 1 ? terms[0]! : tf.addN(terms);
  return tf.div(total, samples * sigma * sigma) as tf.Tensor1D;
}

/** a'(z) as explicit, once-differentiable ops. */
function derivative(z: tf.Tensor2D, a: Activation): tf.Tensor2D {
  switch (a) {
    case 'relu':
      return tf.step(z) as tf.Tensor2D; // 1[z > 0]; Step's gradient is zero, as relu'' is
    case 'tanh':
      return tf.sub(1, tf.square(tf.tanh(z))) as tf.Tensor2D;
    case 'sigmoid': {
      const s = tf.sigmoid(z);
      return tf.mul(s, tf.sub(1, s)) as tf.Tensor2D;
    }
    case 'elu':
      // 1 for z > 0, eᶻ otherwise: m + (1 − m)·e^{min(z, 0)} with the mask m = step(z).
      return tf.add(tf.step(z), tf.mul(tf.sub(1, tf.step(z)), tf.exp(tf.minimum(z, 0)))) as tf.Tensor2D;
    case 'linear':
      return tf.onesLike(z);
  }
}

/** One dense layer of an encoder: x·W + b with W [in, out] (or [out, in] read transposed). */
export interface DenseStackLayer {
  w: tf.Tensor2D;
  b: tf.Tensor1D;
  activation: Activation;
  transposeW: boolean;
}

/**
 * ‖J_f(x)‖²_F for a dense encoder f = a_L(… a_1(x·W_1 + b_1) …), exactly, without taping a Jacobian:
 * per point J = D_L W_Lᵀ ⋯ D_1 W_1ᵀ with D_i = diag(a_i′(z_i)). Building M = D_L W_Lᵀ ⋯ W_2ᵀ D_1
 * ([n, k, h₁]) from the code end and G = W_1ᵀW_1 ([h₁, h₁]), ‖J‖²_F = Σ_j (M G Mᵀ)_jj: about
 * n·k·(Σ h_i h_{i−1} + h₁²) multiply-adds and first derivatives only, where the k vector-Jacobian
 * products (contractiveExact) take k backward passes that are differentiated again.
 * (Rifai et al. 2011 give the one-layer case; this is its chain-rule product.)
 */
export function contractiveDense(layers: readonly DenseStackLayer[], x: tf.Tensor2D): tf.Tensor1D {
  const n = x.shape[0];
  const ws = layers.map((l) => (l.transposeW ? tf.transpose(l.w) : l.w) as tf.Tensor2D); // [in, out]
  const ds: tf.Tensor2D[] = [];
  let h = x;
  for (const l of layers) {
    const z = affine(h, l.w, l.b, l.transposeW);
    ds.push(derivative(z, l.activation));
    h = activate(z, l.activation);
  }
  const L = layers.length;
  const k = ws[L - 1]!.shape[1];
  // M = D_L W_Lᵀ: [n, k, in_L]
  let m = tf.mul(tf.expandDims(ds[L - 1]!, 2), tf.expandDims(tf.transpose(ws[L - 1]!), 0)) as tf.Tensor3D;
  for (let i = L - 2; i >= 0; i--) {
    m = tf.mul(m, tf.expandDims(ds[i]!, 1)) as tf.Tensor3D; // · D_i: [n, k, out_i]
    if (i > 0) {
      const w = ws[i]!; // [in_i, out_i]; ·W_iᵀ: [n, k, in_i]
      m = tf.reshape(tf.matMul(tf.reshape(m, [n * k, w.shape[1]]), w, false, true), [
        n,
        k,
        w.shape[0],
      ]) as tf.Tensor3D;
    }
  }
  if (L === 1) return tf.sum(tf.square(m), [1, 2]) as tf.Tensor1D; // M is J itself: [n, k, d]
  const w1 = ws[0]!; // [d, h₁]
  const h1 = w1.shape[1];
  const d = w1.shape[0];
  if (d <= h1) {
    // Narrow inputs (the built-in manifolds, d = 3): J = M·W_1ᵀ [n, k, d] directly is cheaper than
    // forming G [h₁, h₁] (n·k·h₁·d against n·k·h₁² multiply-adds).
    const j = tf.reshape(tf.matMul(tf.reshape(m, [n * k, h1]), w1, false, true), [n, k, d]);
    return tf.sum(tf.square(j), [1, 2]) as tf.Tensor1D;
  }
  const g = tf.matMul(w1, w1, true, false); // G = W_1ᵀ W_1: [h₁, h₁]
  const mg = tf.reshape(tf.matMul(tf.reshape(m, [n * k, h1]), g), [n, k, h1]);
  return tf.sum(tf.mul(mg, m), [1, 2]) as tf.Tensor1D;
}
