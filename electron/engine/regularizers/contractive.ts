/**
 * The contractive penalty ‖J_f(x)‖²_F (THEORY.md §2.3), per point [n], three ways:
 *   closed form, one sigmoid layer h = σ(xW + b), W [d, k]:  Σ_j (h_j(1−h_j))² Σ_i W_ij²
 *   exact, any encoder: k vector-Jacobian products (analysis/jacobian.ts)
 *   stochastic (CAE+H): (1/S) Σ_s ‖f(x + ε_s) − f(x)‖² / σ², ε_s ~ N(0, σ²I); its expectation is
 *   ‖J‖²_F + O(σ²).
 */
import { tf } from '../tf';
import { affine } from '../layers/dense';
import { jacobianFrobeniusSq, type TensorFn } from '../analysis/jacobian';

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
