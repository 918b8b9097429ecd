/**
 * Predictive sparse decomposition (Kavukcuoglu, Ranzato & LeCun 2008; docs/theory.md, "PSD"): a linear
 * dictionary D with unit-norm atoms and a fast predictor f(x) = G·tanh(Wx + b), G a learned diagonal
 * gain. Stored as dict [k, d] (row j is atom D_{:,j}, so the decoder is x̂ = h·dict), enc.w [d, k],
 * enc.b [k], gain [k].
 */
import { tf } from '../tf';
import type { ModelConfig } from '../../shared/model-config';
import type { OutputSpec } from '../losses';
import { affine, matMul } from '../layers/dense';
import { activate } from '../layers/activations';
import { ModelBase } from './base';
import type { Autoencoder } from './autoencoder';
import type { ParamStore } from './params';

export class PsdAutoencoder extends ModelBase implements Autoencoder {
  readonly kind = 'psd';
  readonly w: tf.Variable;
  readonly b: tf.Variable;
  readonly gain: tf.Variable;
  readonly dict: tf.Variable;

  constructor(config: ModelConfig, inputDims: number, output: OutputSpec, params: ParamStore) {
    super(config, inputDims, config.latent, output, params);
    const k = config.latent;
    this.w = params.glorot('enc.w', inputDims, k);
    this.b = params.filled('enc.b', [k], 0);
    this.gain = params.filled('gain', [k], 1);
    this.dict = params.normal('dict', [k, inputDims], 1);
    this.normalizeDictionary();
  }

  /** Rescale every atom to unit norm: dict_j ← dict_j / ‖dict_j‖. */
  normalizeDictionary(): void {
    tf.tidy(() => {
      const norms = tf.sqrt(tf.add(tf.sum(tf.square(this.dict), 1, true), 1e-12));
      this.dict.assign(tf.div(this.dict, norms));
    });
  }

  /** f(x) = G ⊙ tanh(xW + b): [n, k]. */
  encode(x: tf.Tensor2D): tf.Tensor2D {
    return tf.mul(activate(affine(x, this.w as tf.Tensor2D, this.b as tf.Tensor1D), 'tanh'), this.gain);
  }
  /** x̂ = h·dict = D h: [n, d]. */
  decodeLogits(h: tf.Tensor2D): tf.Tensor2D {
    return matMul(h, this.dict as tf.Tensor2D);
  }
  decode(h: tf.Tensor2D): tf.Tensor2D {
    return this.decodeLogits(h);
  }
  codes(x: tf.Tensor2D): tf.Tensor2D {
    return this.encode(x);
  }
  reconstruct(x: tf.Tensor2D): tf.Tensor2D {
    return this.decode(this.encode(x));
  }
}
