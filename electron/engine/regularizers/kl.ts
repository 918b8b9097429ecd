/**
 * KL(N(μ, diag σ²) ‖ N(0, I)) = ½ Σ_j (μ_j² + σ_j² − log σ_j² − 1), per point [n]; the VAE's
 * regulariser (Kingma & Welling 2014, appendix B).
 */
import { tf } from '../tf';

export function gaussianKl(mu: tf.Tensor2D, logvar: tf.Tensor2D): tf.Tensor1D {
  return tf.mul(
    0.5,
    tf.sum(tf.sub(tf.add(tf.square(mu), tf.exp(logvar)), tf.add(logvar, 1)), 1),
  ) as tf.Tensor1D;
}

/** h = μ + σ ⊙ ε, ε ~ N(0, I) from `seed`: the reparameterisation trick. */
export function reparameterize(mu: tf.Tensor2D, logvar: tf.Tensor2D, seed: number): tf.Tensor2D {
  const eps = tf.randomNormal(mu.shape, 0, 1, 'float32', seed);
  return tf.add(mu, tf.mul(tf.exp(tf.mul(0.5, logvar)), eps));
}
