/**
 * What every model offers, whatever its family. `encode` and `decode` are pure tensor functions
 * (differentiable; the analysis calls them inside tf.grad / tf.vjp). Everything is in normalised
 * units: the run (engine/run.ts) maps data in and results out with the training normaliser.
 */
import type { tf } from '../tf';
import type { ModelConfig } from '../../shared/model-config';
import type { OutputSpec } from '../losses';
import type { NamedWeight, WeightSpec } from './params';

export interface Autoencoder {
  readonly config: ModelConfig;
  /** d */
  readonly inputDims: number;
  /** k */
  readonly latent: number;
  readonly output: OutputSpec;
  /** Deterministic code h = f(x): [n, d] → [n, k]. VAE: the mean μ(x); hashing: the sigmoid
   *  probabilities; PSD: the predictor f(x) = G·tanh(Wx + b). */
  encode(x: tf.Tensor2D): tf.Tensor2D;
  /** The mean of p(x | h): [n, k] → [n, d]. */
  decode(h: tf.Tensor2D): tf.Tensor2D;
  /** The decoder's natural parameters (gaussian mean before its activation, logits): [n, d]. */
  decodeLogits(h: tf.Tensor2D): tf.Tensor2D;
  /** r(x) = g(f(x)), the mean of p(x | f(x)); hashing decodes the 0/1 codes. */
  reconstruct(x: tf.Tensor2D): tf.Tensor2D;
  /** What codes.npy holds: encode(x), except hashing's thresholded 0/1 bits. */
  codes(x: tf.Tensor2D): tf.Tensor2D;
  readonly variables: tf.Variable[];
  readonly paramCount: number;
  weightSpecs(): WeightSpec[];
  /** Synchronous (not on WebGPU in Node: use readWeights). */
  getWeights(): NamedWeight[];
  readWeights(): Promise<NamedWeight[]>;
  setWeights(w: readonly NamedWeight[]): void;
  /** Device copies of every variable, and their restoration (early stopping). */
  snapshot(): tf.Tensor[];
  restore(s: readonly tf.Tensor[]): void;
  dispose(): void;
}
