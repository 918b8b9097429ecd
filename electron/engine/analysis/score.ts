/**
 * The denoising vector field and trajectories (docs/theory.md, "The score r(x) − x"), in original units.
 *  - score field: r(x) − x, which for a DAE trained with small Gaussian noise σ approximates
 *    σ² ∇ log p(x) (Alain & Bengio 2014). In normalised units x_n = (x − o)/s the DAE learns
 *    σ² ∇_{x_n} log p_n = σ² diag(s) ∇_x log p, so the cosine to the true score is taken there:
 *    cos(r_n(x_n) − x_n, s ⊙ ∇_x log p). The vector returned is (r_n − x_n) ⊙ s (original units).
 *  - descent: x_{t+1} = x_t + α (r(x_t) − x_t) (α = 1: repeated reconstruction);
 *  - chain: x_{t+1} = r(C(x_t)), corrupt then denoise (Bengio et al. 2013).
 */
import { tf } from '../tf';
import { applyBatched } from './full-jacobian';
import type { ModelView } from './model-view';
import { denormalize, denormalizeDirections, normalize } from '../data/normalize';

/** r(x) − x at n points (original units in and out), n × d. */
export async function scoreField(model: ModelView, x: Float32Array, n: number): Promise<Float32Array> {
  const d = model.inputDims;
  const xn = normalize(model.normalizer, x);
  const rn = await applyBatched((t) => model.reconstruct(t), xn, n, d, d);
  for (let i = 0; i < rn.length; i++) rn[i]! -= xn[i]!;
  return denormalizeDirections(model.normalizer, rn);
}

/** Cosine between r(x) − x and the true score ∇ log p, compared in normalised units (see above). */
export function scoreCosines(
  scale: Float32Array,
  field: Float32Array,
  trueScore: Float32Array,
  n: number,
): Float32Array {
  const d = scale.length;
  const s = scale;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    let dot = 0,
      a = 0,
      b = 0;
    for (let c = 0; c < d; c++) {
      const v = field[i * d + c]! / s[c]!; // back to normalised units
      const t = trueScore[i * d + c]! * s[c]!; // ∇_{x_n} log p
      dot += v * t;
      a += v * v;
      b += t * t;
    }
    out[i] = a > 0 && b > 0 ? dot / Math.sqrt(a * b) : NaN;
  }
  return out;
}

export interface TrajectoryOptions {
  steps: number;
  mode: 'descent' | 'chain';
  alpha?: number;
  /** The corruption C for the chain, in normalised units (called inside tf.tidy). */
  corrupt?: (x: tf.Tensor2D, seed: number) => tf.Tensor2D;
  seed?: number;
}

/** Paths from the n starting points (original units): n × (steps + 1) × d. */
export async function trajectories(
  model: ModelView,
  start: Float32Array,
  n: number,
  opts: TrajectoryOptions,
): Promise<Float32Array> {
  const d = model.inputDims;
  const alpha = opts.alpha ?? 1;
  const T = opts.steps;
  const out = new Float32Array(n * (T + 1) * d);
  let cur = tf.tensor2d(normalize(model.normalizer, start), [n, d]);
  const write = (t: number, xn: Float32Array) => {
    const x = denormalize(model.normalizer, xn);
    for (let i = 0; i < n; i++) out.set(x.subarray(i * d, (i + 1) * d), (i * (T + 1) + t) * d);
  };
  try {
    write(0, (await cur.data()) as Float32Array);
    for (let t = 1; t <= T; t++) {
      const next = tf.tidy(() => {
        if (opts.mode === 'chain') {
          const noisy = opts.corrupt ? opts.corrupt(cur, (opts.seed ?? 0) * 7919 + t) : cur;
          return model.reconstruct(noisy);
        }
        return tf.add(cur, tf.mul(tf.sub(model.reconstruct(cur), cur), alpha)) as tf.Tensor2D;
      });
      cur.dispose();
      cur = next;
      write(t, (await cur.data()) as Float32Array);
    }
  } finally {
    cur.dispose();
  }
  return out;
}
