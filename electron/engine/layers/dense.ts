/**
 * The dense layer: y = act(x·W + b), x [n, in], W [in, out], b [out]. Every matrix product of every
 * model goes through `matMul` here, so a faster kernel or gradient (see the performance work) can be
 * swapped in at one place without touching the models.
 */
import { tf } from '../tf';
import type { Activation } from '../../shared/model-config';
import { activate } from './activations';

export type MatMulFn = (
  a: tf.Tensor2D,
  b: tf.Tensor2D,
  transposeA: boolean,
  transposeB: boolean,
) => tf.Tensor2D;

const defaultMatMul: MatMulFn = (a, b, ta, tb) => tf.matMul(a, b, ta, tb);
let impl: MatMulFn = defaultMatMul;

/** a·b (optionally transposed): [n, m]·[m, p] → [n, p]. */
export function matMul(a: tf.Tensor2D, b: tf.Tensor2D, transposeA = false, transposeB = false): tf.Tensor2D {
  return impl(a, b, transposeA, transposeB);
}

/** Replace the matrix product used by every layer (pass undefined to restore tfjs's own). It must be
 *  differentiable, and twice differentiable for the exact contractive penalty. */
export function setMatMul(fn: MatMulFn | undefined): void {
  impl = fn ?? defaultMatMul;
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

export function dense(
  x: tf.Tensor2D,
  w: tf.Tensor2D,
  b: tf.Tensor1D | undefined,
  activation: Activation,
  transposeW = false,
): tf.Tensor2D {
  return activate(affine(x, w, b, transposeW), activation);
}
