/**
 * What the analysis needs of a trained model: its encoder and decoder as tensor functions in
 * normalised units, and the normaliser that maps the data's original units to them.
 *   x_n = (x − offset) / scale,  so  ∂x_n/∂x = diag(1/scale)  and  ∂x/∂x_n = diag(scale).
 */
import type { tf } from '../tf';
import type { Normalizer } from '../data/normalize';
import type { LoadedModel } from '../serialize';

export interface ModelView {
  inputDims: number;
  latent: number;
  encode(x: tf.Tensor2D): tf.Tensor2D;
  decode(h: tf.Tensor2D): tf.Tensor2D;
  reconstruct(x: tf.Tensor2D): tf.Tensor2D;
  normalizer: Normalizer;
}

/** A loaded model (serialize.ts) as the analysis sees it: the one place the CLI and the host adapt it. */
export function viewOf({ model: m, normalizer }: LoadedModel): ModelView {
  return {
    inputDims: m.inputDims,
    latent: m.latent,
    normalizer,
    encode: (x) => m.encode(x),
    decode: (h) => m.decode(h),
    reconstruct: (x) => m.reconstruct(x),
  };
}
