/**
 * The variational autoencoder (Kingma & Welling 2014; docs/theory.md, "VAE"): encoder d → hidden… → two
 * heads μ(x), log σ²(x) [n, k]; decoder k → …hidden reversed → d with the chosen p(x | h).
 * Parameter names: enc.{i}.*, mu.w, mu.b, logvar.w, logvar.b, dec.{i}.*, and dec.logvar [d] (the
 * gaussian output's learned log-variance, when configured).
 */
import type { tf } from '../tf';
import type { ModelConfig } from '../../shared/model-config';
import type { OutputSpec } from '../losses';
import { affine } from '../layers/dense';
import { ModelBase } from './base';
import type { Autoencoder } from './autoencoder';
import type { ParamStore } from './params';
import { decodeLogits, decodeMean, stackForward, type CodecView, type DenseLayer } from './stack';

export class VaeAutoencoder extends ModelBase implements Autoencoder {
  readonly kind = 'vae';
  readonly hiddenLayers: DenseLayer[];
  readonly decoderLayers: DenseLayer[];
  private readonly mu: { w: tf.Variable; b: tf.Variable };
  private readonly logvar: { w: tf.Variable; b: tf.Variable };
  private readonly decView: CodecView;
  /** Learned log σ² of the gaussian output, per feature [d] (config.outputVariance = learned). */
  readonly outputLogvar: tf.Variable | undefined;

  constructor(config: ModelConfig, inputDims: number, output: OutputSpec, params: ParamStore) {
    super(config, inputDims, config.latent, output, params);
    const widths = [inputDims, ...config.hidden];
    this.hiddenLayers = config.hidden.map((w, i) => ({
      w: params.glorot(`enc.${i}.w`, widths[i]!, w),
      b: params.filled(`enc.${i}.b`, [w], 0),
      activation: config.activation,
      transposeW: false,
    }));
    const top = widths[widths.length - 1]!;
    const k = config.latent;
    this.mu = { w: params.glorot('mu.w', top, k), b: params.filled('mu.b', [k], 0) };
    // Small initial log-variances keep early samples close to μ.
    this.logvar = { w: params.normal('logvar.w', [top, k], 1e-3), b: params.filled('logvar.b', [k], 0) };
    const dw = [k, ...[...config.hidden].reverse(), inputDims];
    this.decoderLayers = dw.slice(1).map((to, i) => ({
      w: params.glorot(`dec.${i}.w`, dw[i]!, to),
      b: params.filled(`dec.${i}.b`, [to], 0),
      activation: i === dw.length - 2 ? 'linear' : config.activation,
      transposeW: false,
    }));
    this.outputLogvar =
      config.outputVariance === 'learned' && config.output !== 'bernoulli'
        ? params.filled('dec.logvar', [inputDims], 0)
        : undefined;
    this.decView = { inputDims, latent: k, encoder: [], decoder: this.decoderLayers, output, variables: [] };
  }

  /** μ(x) and log σ²(x): [n, k] each. */
  posterior(x: tf.Tensor2D): { mu: tf.Tensor2D; logvar: tf.Tensor2D } {
    const top = this.hiddenLayers.length ? stackForward(this.hiddenLayers, x) : x;
    return {
      mu: affine(top, this.mu.w as tf.Tensor2D, this.mu.b as tf.Tensor1D),
      logvar: affine(top, this.logvar.w as tf.Tensor2D, this.logvar.b as tf.Tensor1D),
    };
  }

  encode(x: tf.Tensor2D): tf.Tensor2D {
    const top = this.hiddenLayers.length ? stackForward(this.hiddenLayers, x) : x;
    return affine(top, this.mu.w as tf.Tensor2D, this.mu.b as tf.Tensor1D);
  }
  decodeLogits(h: tf.Tensor2D): tf.Tensor2D {
    return decodeLogits(this.decView, h);
  }
  decode(h: tf.Tensor2D): tf.Tensor2D {
    return decodeMean(this.decView, h);
  }
  codes(x: tf.Tensor2D): tf.Tensor2D {
    return this.encode(x);
  }
  reconstruct(x: tf.Tensor2D): tf.Tensor2D {
    return this.decode(this.encode(x));
  }
}
