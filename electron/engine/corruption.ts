/**
 * The denoising corruption C(x̃ | x) (docs/theory.md, "Denoising"), from a seed:
 *   gaussian:     x̃ = x + ε, ε ~ N(0, σ²I)
 *   mask:         x̃_i = 0 with probability ν, else x_i
 *   salt-pepper:  x̃_i = min_i or max_i (each half the time) with probability ν, else x_i, where
 *                 min_i, max_i are column i's extremes over the training rows.
 */
import { tf } from './tf';
import type { NoiseKind } from '../shared/model-config';

export interface ColumnRange {
  min: tf.Tensor1D;
  max: tf.Tensor1D;
}

export function corrupt(
  x: tf.Tensor2D,
  noise: { kind: NoiseKind; level: number },
  seed: number,
  range?: ColumnRange,
): tf.Tensor2D {
  const { kind, level } = noise;
  if (level === 0) return x;
  if (kind === 'gaussian') return tf.add(x, tf.randomNormal(x.shape, 0, level, 'float32', seed));
  const hit = tf.cast(tf.less(tf.randomUniform(x.shape, 0, 1, 'float32', seed), level), 'float32');
  const keep = tf.sub(1, hit);
  if (kind === 'mask') return tf.mul(x, keep);
  if (!range) throw new Error('salt-and-pepper corruption needs the columns’ min and max');
  const salt = tf.cast(
    tf.less(tf.randomUniform(x.shape, 0, 1, 'float32', (seed ^ 0x5a17) >>> 0), 0.5),
    'float32',
  );
  const extreme = tf.add(tf.mul(salt, range.max), tf.mul(tf.sub(1, salt), range.min));
  return tf.add(tf.mul(keep, x), tf.mul(hit, extreme));
}
