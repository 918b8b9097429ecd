/**
 * Optimisers written out (rather than tfjs's classes) so the learning rate can follow a schedule
 * step by step and the state is plain variables we own:
 *   Adam (Kingma & Ba 2015): m ← β₁m + (1−β₁)g, v ← β₂v + (1−β₂)g²,
 *                            θ ← θ − η·√(1−β₂ᵗ)/(1−β₁ᵗ) · m / (√v + ε)
 *   SGD with momentum:       u ← μu + g, θ ← θ − η·u
 * Optional global-norm clipping: g ← g·min(1, c/‖g‖) over all parameters together.
 * `apply` must run inside the caller's tf.tidy.
 */
import { tf } from '../tf';
import { adamUpdate } from '../kernels/adam-kernel';

export interface OptimizerSettings {
  kind: 'adam' | 'sgd';
  momentum: number;
  clipNorm: number;
  beta1?: number;
  beta2?: number;
  epsilon?: number;
}

export interface Optimizer {
  apply(vars: readonly tf.Variable[], grads: readonly (tf.Tensor | undefined)[], lr: number): void;
  dispose(): void;
}

function clip(grads: readonly (tf.Tensor | undefined)[], c: number): (tf.Tensor | undefined)[] {
  if (!(c > 0)) return [...grads];
  const present = grads.filter((g): g is tf.Tensor => g !== undefined);
  if (!present.length) return [...grads];
  const norm = tf.sqrt(tf.addN(present.map((g) => tf.sum(tf.square(g)))));
  const scale = tf.minimum(1, tf.div(c, tf.add(norm, 1e-12)));
  return grads.map((g) => (g ? tf.mul(g, scale) : undefined));
}

export function createOptimizer(s: OptimizerSettings): Optimizer {
  const state = new Map<tf.Variable, tf.Variable[]>();
  const slots = (v: tf.Variable, n: number): tf.Variable[] => {
    let st = state.get(v);
    if (!st) {
      st = Array.from({ length: n }, () => tf.variable(tf.zerosLike(v), false));
      state.set(v, st);
    }
    return st;
  };
  let t = 0;
  const b1 = s.beta1 ?? 0.9,
    b2 = s.beta2 ?? 0.999,
    eps = s.epsilon ?? 1e-8;
  return {
    apply(vars, rawGrads, lr) {
      t++;
      const grads = clip(rawGrads, s.clipNorm);
      vars.forEach((v, i) => {
        const g = grads[i];
        if (!g) return;
        if (s.kind === 'adam') {
          const [m, u] = slots(v, 2) as [tf.Variable, tf.Variable];
          const stepSize = (lr * Math.sqrt(1 - b2 ** t)) / (1 - b1 ** t);
          // One kernel per variable where the backend has it (WASM SIMD, CPU), else the same ops.
          const [w2, m2, u2] = adamUpdate(v, g, m, u, { beta1: b1, beta2: b2, stepSize, epsilon: eps });
          m.assign(m2!);
          u.assign(u2!);
          v.assign(w2!);
        } else {
          const [u] = slots(v, 1) as [tf.Variable];
          u.assign(tf.add(tf.mul(u, s.momentum), g));
          v.assign(tf.sub(v, tf.mul(lr, u)));
        }
      });
    },
    dispose() {
      for (const st of state.values()) tf.dispose(st);
      state.clear();
    },
  };
}
