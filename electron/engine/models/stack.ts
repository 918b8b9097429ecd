/**
 * Stacks of dense layers and the "codec view" the dense families train: an encoder stack, a decoder
 * stack and the decoder's output distribution. A greedy-pretraining stage is a view too (one encoder
 * layer and its mirror), over the same variables, so training a stage trains the deep model.
 */
import type { tf } from '../tf';
import type { Activation } from '../../shared/model-config';
import { activate } from '../layers/activations';
import { affine } from '../layers/dense';
import { outputMean, type OutputSpec } from '../losses';

export interface DenseLayer {
  /** [in, out], or [out, in] read transposed (a tied decoder layer shares its encoder's matrix). */
  w: tf.Variable;
  b: tf.Variable;
  activation: Activation;
  transposeW: boolean;
}

export interface CodecView {
  inputDims: number;
  latent: number;
  encoder: DenseLayer[];
  decoder: DenseLayer[];
  output: OutputSpec;
  /** The distinct variables the view uses. */
  variables: tf.Variable[];
}

function layerPre(l: DenseLayer, x: tf.Tensor2D): tf.Tensor2D {
  return affine(x, l.w as tf.Tensor2D, l.b as tf.Tensor1D, l.transposeW);
}

/** Every layer with its activation except the last, which returns its pre-activation. */
export function stackPre(layers: readonly DenseLayer[], x: tf.Tensor2D): tf.Tensor2D {
  let h = x;
  layers.forEach((l, i) => {
    const z = layerPre(l, h);
    h = i === layers.length - 1 ? z : activate(z, l.activation);
  });
  return h;
}

export function stackForward(layers: readonly DenseLayer[], x: tf.Tensor2D): tf.Tensor2D {
  return activate(stackPre(layers, x), layers[layers.length - 1]!.activation);
}

/** The code layer's pre-activation a(x): [n, k]. */
export const encodePre = (v: CodecView, x: tf.Tensor2D): tf.Tensor2D => stackPre(v.encoder, x);
/** h = f(x): [n, k]. */
export const encodeView = (v: CodecView, x: tf.Tensor2D): tf.Tensor2D => stackForward(v.encoder, x);
/** The decoder's natural parameters z(h) (logits, or the gaussian pre-activation): [n, d]. */
export const decodeLogits = (v: CodecView, h: tf.Tensor2D): tf.Tensor2D => stackPre(v.decoder, h);
/** The mean of p(x | h): [n, d]. */
export const decodeMean = (v: CodecView, h: tf.Tensor2D): tf.Tensor2D =>
  outputMean(decodeLogits(v, h), v.output);

export function distinctVariables(layers: readonly DenseLayer[]): tf.Variable[] {
  const seen = new Set<tf.Variable>();
  for (const l of layers) {
    seen.add(l.w);
    seen.add(l.b);
  }
  return [...seen];
}
