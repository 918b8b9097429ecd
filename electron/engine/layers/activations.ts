/**
 * Activations with hand-written gradients that stay correct under a second differentiation.
 *
 * The contractive penalty differentiates the encoder's Jacobian (itself a gradient, computed by k
 * vector-Jacobian products) with respect to the weights. tfjs-core 4.22's own Sigmoid, Tanh and Elu
 * gradients give wrong second derivatives (measured against finite differences: errors of 0.6 % to
 * 15 %), Elu's has none at all, and Relu's fails inside a nested tape. Here each gradient is written
 * with differentiable ops of the saved input x (a saved tensor stays on the tape), or with a
 * constant mask where the second derivative is zero, so tf.grad inside tf.variableGrads is exact
 * (tests/unit/engine/jacobian.test.ts checks every activation against finite differences).
 */
import { tf } from '../tf';
import type { Activation } from '../../shared/model-config';

type Unary = (x: tf.Tensor) => tf.Tensor;
const saver = (s: unknown) => s as tf.GradSaveFunc;

/** relu(x) = x·1[x > 0]; relu' = 1[x > 0], a constant mask (relu'' = 0 almost everywhere). */
const reluOp = tf.customGrad((x, save) => {
  const xt = x as tf.Tensor;
  const mask = tf.cast(tf.greater(xt, 0), 'float32');
  saver(save)([mask]);
  return { value: tf.mul(xt, mask), gradFunc: (dy, saved) => tf.mul(dy as tf.Tensor, saved[0]!) };
});

/** tanh' = 1 − tanh²(x), recomputed from the saved x so its own derivative is taped. */
const tanhOp = tf.customGrad((x, save) => {
  const xt = x as tf.Tensor;
  saver(save)([xt]);
  return {
    value: tf.tanh(xt),
    gradFunc: (dy, saved) => tf.mul(dy as tf.Tensor, tf.sub(1, tf.square(tf.tanh(saved[0]!)))),
  };
});

/** σ' = σ(x)(1 − σ(x)), recomputed from the saved x. */
const sigmoidOp = tf.customGrad((x, save) => {
  const xt = x as tf.Tensor;
  saver(save)([xt]);
  return {
    value: tf.sigmoid(xt),
    gradFunc: (dy, saved) => {
      const s = tf.sigmoid(saved[0]!);
      return tf.mul(dy as tf.Tensor, tf.mul(s, tf.sub(1, s)));
    },
  };
});

/**
 * elu(x) = x for x > 0, eˣ − 1 otherwise; elu' = 1 or eˣ. With the constant mask m = 1[x > 0]:
 * elu(x) = m·x + (1 − m)(e^{(1−m)x} − 1), elu' = m + (1 − m)·e^{(1−m)x} (the exponent is 0 where
 * m = 1, so large positive x never overflows).
 */
const eluOp = tf.customGrad((x, save) => {
  const xt = x as tf.Tensor;
  const m = tf.cast(tf.greater(xt, 0), 'float32');
  const notM = tf.sub(1, m);
  saver(save)([xt, m, notM]);
  return {
    value: tf.add(tf.mul(m, xt), tf.mul(notM, tf.sub(tf.exp(tf.mul(notM, xt)), 1))),
    gradFunc: (dy, saved) => {
      const [x0, mm, nm] = saved as [tf.Tensor, tf.Tensor, tf.Tensor];
      return tf.mul(dy as tf.Tensor, tf.add(mm, tf.mul(nm, tf.exp(tf.mul(nm, x0)))));
    },
  };
});

export const ACTIVATION_FNS: Record<Activation, Unary> = {
  relu: (x) => reluOp(x) as tf.Tensor,
  tanh: (x) => tanhOp(x) as tf.Tensor,
  sigmoid: (x) => sigmoidOp(x) as tf.Tensor,
  elu: (x) => eluOp(x) as tf.Tensor,
  linear: (x) => x,
};

/** tfjs's own kernels: one call each, first derivatives exact (all a training step needs). */
const NATIVE_FNS: Record<Activation, Unary> = {
  relu: (x) => tf.relu(x),
  tanh: (x) => tf.tanh(x),
  sigmoid: (x) => tf.sigmoid(x),
  elu: (x) => tf.elu(x),
  linear: (x) => x,
};

let secondOrder = 0;

/**
 * Run `f` with the twice-differentiable activations above: forward passes taped inside it can be
 * differentiated twice (the exact contractive penalty, analysis/jacobian.ts). Outside, activations
 * are tfjs's single kernels (their first derivatives are right) — a third of the kernel calls.
 */
export function withSecondOrder<T>(f: () => T): T {
  secondOrder++;
  try {
    return f();
  } finally {
    secondOrder--;
  }
}

export function activate<T extends tf.Tensor>(x: T, a: Activation): T {
  return (secondOrder > 0 ? ACTIVATION_FNS : NATIVE_FNS)[a](x) as T;
}
