/**
 * What the analysis needs of a trained model: its encoder and decoder as tensor functions in
 * normalised units, and the normaliser that maps the data's original units to them.
 *   x_n = (x − offset) / scale,  so  ∂x_n/∂x = diag(1/scale)  and  ∂x/∂x_n = diag(scale).
 */
import type { tf } from '../tf';
import type { Normalizer } from '../data/normalize';

export interface ModelView {
  inputDims: number;
  latent: number;
  encode(x: tf.Tensor2D): tf.Tensor2D;
  decode(h: tf.Tensor2D): tf.Tensor2D;
  reconstruct(x: tf.Tensor2D): tf.Tensor2D;
  normalizer: Normalizer;
}
