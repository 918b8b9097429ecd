/**
 * The encoder's Jacobian J_f(x) = ∂f(x)/∂x (k × d per point) by k vector-Jacobian products: for each
 * code unit j, the VJP with the one-hot cotangent e_j gives row j of J at every point of the batch
 * at once (rows of a batch are independent). Works for any differentiable f; the VJPs are taped, so
 * ‖J‖²_F can itself be differentiated (the exact contractive penalty).
 */
import { tf } from '../tf';
import { withSecondOrder } from '../layers/activations';

export type TensorFn = (x: tf.Tensor2D) => tf.Tensor2D;

/** Cotangent e_j broadcast over n rows: [n, k]. Built without a cast so it stays off the tape. */
function unitCotangent(n: number, k: number, j: number): tf.Tensor2D {
  const row = new Float32Array(k);
  row[j] = 1;
  return tf.mul(tf.ones([n, 1]), tf.tensor2d(row, [1, k]));
}

/** Row j of J at every point: ∂f_j/∂x, [n, d]. */
export function jacobianRow(f: TensorFn, x: tf.Tensor2D, k: number, j: number): tf.Tensor2D {
  // The row may itself be differentiated (the exact contractive penalty): twice-differentiable
  // activations for this forward pass.
  return withSecondOrder(
    () => tf.grad((xx: tf.Tensor) => f(xx as tf.Tensor2D))(x, unitCotangent(x.shape[0], k, j)) as tf.Tensor2D,
  );
}

/** J_f at every point: [n, k, d]. */
export function jacobian(f: TensorFn, x: tf.Tensor2D, k: number): tf.Tensor3D {
  const rows: tf.Tensor2D[] = [];
  for (let j = 0; j < k; j++) rows.push(jacobianRow(f, x, k, j));
  return tf.stack(rows, 1) as tf.Tensor3D;
}

/** ‖J_f(x)‖²_F per point: [n]. */
export function jacobianFrobeniusSq(f: TensorFn, x: tf.Tensor2D, k: number): tf.Tensor1D {
  const terms: tf.Tensor1D[] = [];
  for (let j = 0; j < k; j++) terms.push(tf.sum(tf.square(jacobianRow(f, x, k, j)), 1));
  return (terms.length === 1 ? terms[0]! : tf.addN(terms)) as tf.Tensor1D;
}
