/**
 * The decoder's distribution p(x | h) (docs/theory.md, "The decoder's distribution"): its mean (what `reconstruct` returns) and its
 * negative log-likelihood per row, summed over the features and averaged over the batch. Constants
 * that do not depend on the parameters are left out of the training loss and reported by
 * `nllConstant` (the VAE's ELBO adds it back).
 *   gaussian (unit variance):  −log p = ½ Σ_j (x_j − μ_j)² + (d/2) log 2π
 *   gaussian (learned log σ²): −log p = ½ Σ_j [(x_j − μ_j)²/σ_j² + log σ_j²] + (d/2) log 2π
 *   bernoulli (logits z):       −log p = Σ_j softplus(z_j) − x_j z_j = −Σ_j x_j log p_j + (1−x_j) log(1−p_j)
 *   categorical (per group G):  −log p = −Σ_{j∈G} x_j log softmax(z_G)_j; columns outside every
 *                               group stay gaussian.
 */
import { tf } from './tf';
import type { Activation, OutputDistribution } from '../shared/model-config';
import type { CategoricalGroup } from '../shared/dataset';
import { activate } from './layers/activations';

export interface OutputSegment {
  start: number;
  size: number;
  kind: 'gaussian' | 'bernoulli' | 'categorical';
}

export interface OutputSpec {
  kind: OutputDistribution;
  dims: number;
  /** Consecutive column ranges covering 0..dims, each with its distribution. */
  segments: OutputSegment[];
  /** Applied to gaussian means (linear, except in greedy stages that reconstruct hidden codes). */
  gaussianActivation: Activation;
}

export function outputSpec(
  kind: OutputDistribution,
  dims: number,
  categorical: readonly CategoricalGroup[] = [],
  gaussianActivation: Activation = 'linear',
): OutputSpec {
  if (kind !== 'categorical')
    return { kind, dims, segments: [{ start: 0, size: dims, kind }], gaussianActivation };
  const groups = [...categorical].sort((a, b) => a.start - b.start);
  const segments: OutputSegment[] = [];
  let at = 0;
  for (const g of groups) {
    if (g.start < at || g.start + g.levels.length > dims || g.levels.length < 2)
      throw new Error(
        `categorical group ${g.name} [${g.start}, +${g.levels.length}) does not fit ${dims} columns`,
      );
    if (g.start > at) segments.push({ start: at, size: g.start - at, kind: 'gaussian' });
    segments.push({ start: g.start, size: g.levels.length, kind: 'categorical' });
    at = g.start + g.levels.length;
  }
  if (at < dims) segments.push({ start: at, size: dims - at, kind: 'gaussian' });
  return { kind, dims, segments, gaussianActivation };
}

function columns(t: tf.Tensor2D, s: OutputSegment, whole: boolean): tf.Tensor2D {
  return whole ? t : tf.slice(t, [0, s.start], [-1, s.size]);
}

/** The mean of p(x | h) from the decoder's last pre-activation z [n, d]. */
export function outputMean(z: tf.Tensor2D, spec: OutputSpec): tf.Tensor2D {
  const whole = spec.segments.length === 1;
  const parts = spec.segments.map((s) => {
    const zs = columns(z, s, whole);
    if (s.kind === 'bernoulli') return tf.sigmoid(zs);
    if (s.kind === 'categorical') return tf.softmax(zs);
    return activate(zs, spec.gaussianActivation);
  });
  return parts.length === 1 ? parts[0]! : tf.concat(parts, 1);
}

/** −log p(x | h) per row, without constants: [n]. `logvar` [d]: the gaussian columns' learned
 *  log-variances (unit variance when absent). */
export function rowNll(x: tf.Tensor2D, z: tf.Tensor2D, spec: OutputSpec, logvar?: tf.Tensor1D): tf.Tensor1D {
  const whole = spec.segments.length === 1;
  const terms = spec.segments.map((s) => {
    const xs = columns(x, s, whole);
    const zs = columns(z, s, whole);
    if (s.kind === 'bernoulli') return tf.sum(tf.sub(tf.softplus(zs), tf.mul(xs, zs)), 1);
    if (s.kind === 'categorical') return tf.neg(tf.sum(tf.mul(xs, tf.logSoftmax(zs)), 1));
    const sq = tf.square(tf.sub(xs, activate(zs, spec.gaussianActivation)));
    if (!logvar) return tf.mul(0.5, tf.sum(sq, 1));
    const lv = whole ? logvar : tf.slice(logvar, [s.start], [s.size]);
    return tf.mul(0.5, tf.sum(tf.add(tf.mul(sq, tf.exp(tf.neg(lv))), lv), 1));
  });
  return (terms.length === 1 ? terms[0]! : tf.addN(terms)) as tf.Tensor1D;
}

/** Mean over the batch of −log p(x | h) (without constants). */
export function reconstructionLoss(
  x: tf.Tensor2D,
  z: tf.Tensor2D,
  spec: OutputSpec,
  logvar?: tf.Tensor1D,
): tf.Scalar {
  return tf.mean(rowNll(x, z, spec, logvar));
}

/** The constant left out of `rowNll`: (d_gaussian / 2)·log 2π. */
export function nllConstant(spec: OutputSpec): number {
  const d = spec.segments.filter((s) => s.kind === 'gaussian').reduce((a, s) => a + s.size, 0);
  return 0.5 * d * Math.log(2 * Math.PI);
}
