/**
 * The sparse autoencoder's penalty Ω(h) = λ Σ_i |h_i| (docs/theory.md, "Sparse"), per point [n]. Read as a
 * prior: with p(h_i) = (λ/2)·e^{−λ|h_i|} (Laplace), −log p(h) = Ω(h) − k·log(λ/2).
 */
import { tf } from '../tf';

export function l1Penalty(h: tf.Tensor2D, lambda: number): tf.Tensor1D {
  return tf.mul(lambda, tf.sum(tf.abs(h), 1)) as tf.Tensor1D;
}
