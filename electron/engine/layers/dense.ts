/**
 * The dense layer's affine part x·W + b, x [n, in], W [in, out], b [out] (the models apply the
 * activation: layers/activations.ts). Every matrix product of every model goes through `matMul`
 * here, so a faster kernel or gradient (see the performance work) can be swapped in at one place
 * without touching the models.
 */
import { tf } from '../tf';

/** a·b (optionally transposed): [n, m]·[m, p] → [n, p]. */
export function matMul(a: tf.Tensor2D, b: tf.Tensor2D, transposeA = false, transposeB = false): tf.Tensor2D {
  return tf.matMul(a, b, transposeA, transposeB);
}

/** x·W (+ b), before the activation. With `transposeW`, W is [out, in] (tied decoder weights). */
export function affine(
  x: tf.Tensor2D,
  w: tf.Tensor2D,
  b: tf.Tensor1D | undefined,
  transposeW = false,
): tf.Tensor2D {
  const z = matMul(x, w, false, transposeW);
  return b ? tf.add(z, b) : z;
}
