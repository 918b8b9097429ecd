/**
 * What the training loop optimises: a family's loss, split into named parts (already weighted, so
 * the loss is their sum), as functions of a batch and a seed for the batch's randomness.
 */
import type { tf } from '../tf';

export interface Objective {
  /** The variables the optimiser updates. */
  variables: tf.Variable[];
  /** The loss parts' names, in the order `parts` returns them (history keys). */
  partNames: readonly string[];
  /** Work before the gradient that must not be differentiated (PSD infers h* here). Runs inside the
   *  step's tf.tidy; its tensors are handed to `parts`. */
  prepare?(x: tf.Tensor2D, seed: number): tf.Tensor[];
  /** One scalar per part (batch means), differentiable in `variables`. */
  parts(x: tf.Tensor2D, seed: number, prepared: readonly tf.Tensor[]): tf.Scalar[];
  /** Training progress before each step, in epochs from 0 to `epochs` (VAE: KL warm-up);
   *  Infinity while validating and evaluating (the full objective). */
  setProgress?(epoch: number, epochs: number): void;
  /** Fraction of the epochs during which the objective is still changing (warm-up); early stopping
   *  does not stop within it. */
  warmup?: number;
  /** After each update (PSD renormalises the dictionary). */
  afterUpdate?(): void;
  /** Tensors the objective owns (column ranges…). */
  dispose(): void;
}
