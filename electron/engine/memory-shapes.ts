/**
 * The shapes a model's training allocates, counted in float32 values, for the memory estimate
 * (memory-estimate.ts): the layers of each family, the parameters, and the tensors one step, one
 * evaluation chunk and one inference chunk create. Pure arithmetic over the configuration.
 *
 * Why a step costs what it costs: tf.variableGrads keeps, of the forward pass, only what the
 * backward pass saves, and of the backward pass only the gradients, while the loop's tf.tidy
 * (loop.ts) keeps the rest of the step to its end. Per dense layer of width w over b rows that is
 * ≈ TRAIN_PER_UNIT[a] · b·w values at the backward pass's peak (the pre-activation, the bias sum,
 * the activation and their gradients). The constants were measured as the peak of the distinct
 * tensor buffers (tf.memory().numBytes counts shared buffers twice) on the cpu and wasm backends:
 * tests/unit/engine/memory-estimate.test.ts keeps them honest, README "Memory" has the figures.
 */
import type { Activation, ModelConfig } from '../shared/model-config';

export interface LayerShape {
  name: string;
  from: number;
  to: number;
  activation: Activation;
}

/** Values per output unit and row that one training step keeps, by activation (measured). */
const TRAIN_PER_UNIT: Record<Activation, number> = { linear: 2, relu: 4.5, tanh: 4, sigmoid: 4, elu: 3.5 };
/** The same for a forward pass alone (evaluation, inference): x·W, + b, a(·). */
const FORWARD_PER_UNIT: Record<Activation, number> = { linear: 2, relu: 3, tanh: 3, sigmoid: 3, elu: 5 };
/** Values per row and output column of the reconstruction loss and its gradient (measured). */
const LOSS_TRAIN = 6.5;
const LOSS_FORWARD = 4;

export interface ModelShape {
  /** Encoder layers in order (the VAE's hidden layers, then its μ head). */
  encoder: LayerShape[];
  decoder: LayerShape[];
  /** Layers outside the stacks (the VAE's log σ² head). */
  extra: LayerShape[];
  /** Every parameter tensor: name and size in values. */
  params: { name: string; size: number }[];
  paramCount: number;
  /** The largest parameter tensor (a weight matrix). */
  largest: { name: string; rows: number; cols: number };
}

const dense = (name: string, from: number, to: number, activation: Activation): LayerShape => ({
  name,
  from,
  to,
  activation,
});

/** The layers and parameters `createAutoencoder(config, dims)` builds (models/*.ts). */
export function modelShape(config: ModelConfig, dims: number): ModelShape {
  const k = config.latent;
  const encoder: LayerShape[] = [];
  const decoder: LayerShape[] = [];
  const extra: LayerShape[] = [];
  const params: { name: string; size: number }[] = [];
  const weights: { name: string; rows: number; cols: number }[] = [];
  const layer = (l: LayerShape, list: LayerShape[], ownWeights = true) => {
    list.push(l);
    if (ownWeights) {
      params.push({ name: `${l.name}.w`, size: l.from * l.to });
      weights.push({ name: `${l.name}.w`, rows: l.from, cols: l.to });
    }
    params.push({ name: `${l.name}.b`, size: l.to });
  };
  if (config.family === 'psd') {
    layer(dense('enc', dims, k, 'tanh'), encoder);
    params.push({ name: 'gain', size: k }, { name: 'dict', size: k * dims });
    weights.push({ name: 'dict', rows: k, cols: dims });
    decoder.push(dense('dict', k, dims, 'linear'));
  } else if (config.family === 'vae') {
    const widths = [dims, ...config.hidden];
    config.hidden.forEach((w, i) => layer(dense(`enc.${i}`, widths[i]!, w, config.activation), encoder));
    const top = widths[widths.length - 1]!;
    layer(dense('mu', top, k, 'linear'), encoder);
    layer(dense('logvar', top, k, 'linear'), extra);
    const dw = [k, ...[...config.hidden].reverse(), dims];
    for (let i = 0; i + 1 < dw.length; i++)
      layer(
        dense(`dec.${i}`, dw[i]!, dw[i + 1]!, i === dw.length - 2 ? 'linear' : config.activation),
        decoder,
      );
    if (config.outputVariance === 'learned' && config.output !== 'bernoulli')
      params.push({ name: 'dec.logvar', size: dims });
  } else {
    const widths = [dims, ...config.hidden, k];
    const L = widths.length - 1;
    for (let i = 0; i < L; i++)
      layer(
        dense(
          `enc.${i}`,
          widths[i]!,
          widths[i + 1]!,
          i === L - 1 ? config.codeActivation : config.activation,
        ),
        encoder,
      );
    for (let i = 0; i < L; i++)
      layer(
        dense(`dec.${i}`, widths[L - i]!, widths[L - i - 1]!, i === L - 1 ? 'linear' : config.activation),
        decoder,
        !config.tied,
      );
  }
  const largest = weights.reduce((a, w) => (w.rows * w.cols > a.rows * a.cols ? w : a), weights[0]!);
  return {
    encoder,
    decoder,
    extra,
    params,
    paramCount: params.reduce((s, p) => s + p.size, 0),
    largest,
  };
}

const sumWidths = (layers: readonly LayerShape[], per: Record<Activation, number>) =>
  layers.reduce((s, l) => s + l.to * per[l.activation], 0);

/** Values a training step of `b` rows keeps for the forward and backward pass (not the gradients
 *  of the parameters, counted apart): the layers, the loss and each family's extra terms. */
export function stepActivations(config: ModelConfig, shape: ModelShape, dims: number, b: number): number {
  const k = config.latent;
  const layers = [...shape.encoder, ...shape.extra, ...shape.decoder];
  // Each layer's forward and backward, plus the gradient reaching its input (not for the data).
  let perRow = sumWidths(layers, TRAIN_PER_UNIT);
  perRow += layers.reduce((s, l, i) => s + (i === 0 ? 0 : l.from), 0);
  perRow += LOSS_TRAIN * dims;
  if (config.family === 'denoising') perRow += 4 * dims; // the noise, its mask, x̃
  if (config.family === 'sparse' || config.family === 'hashing') perRow += 6 * k;
  if (config.family === 'vae') perRow += 12 * k + (config.outputVariance === 'learned' ? 4 * dims : 0);
  if (config.family === 'psd')
    // f(x) twice (inference and the prediction term), ISTA's iterates and temporaries.
    perRow += 12 * k;
  let values = b * perRow;
  if (config.family === 'contractive') values += contractiveStep(config, shape, dims, b);
  if (config.family === 'psd') values += 3 * k * dims + 2 * k * k; // renormalised D, the Gram matrix
  return values;
}

/**
 * ‖J_f‖²_F's tensors in a step (regularizers/contractive.ts). Exact: the encoder again, and the
 * chain-rule product M, [b, k, width] at each hidden layer, with the gradient of each; closed form:
 * [b, k] terms; stochastic: S more encoder passes on noisy inputs.
 */
function contractiveStep(config: ModelConfig, shape: ModelShape, dims: number, b: number): number {
  const k = config.latent;
  const enc = shape.encoder;
  const { method, samples } = config.contractive;
  if (method === 'closed-form') return 12 * b * k + 3 * dims * k;
  if (method === 'stochastic') return samples * b * (3 * dims + sumWidths(enc, TRAIN_PER_UNIT) + 4 * k);
  const widths = enc.map((l) => l.from); // the widths M takes: in_L … in_1 = d
  const m = widths.reduce((s, w, i) => s + (i === 0 ? (enc.length === 1 ? w : 0) : w), 0);
  const h1 = enc.length > 1 ? enc[0]!.to : 0;
  return b * (sumWidths(enc, TRAIN_PER_UNIT) + 4 * k * (m + 2 * h1)) + 3 * h1 * h1;
}

/** Values one forward evaluation of the objective over `c` rows keeps (evaluateObjective). */
export function evalActivations(config: ModelConfig, shape: ModelShape, dims: number, c: number): number {
  const k = config.latent;
  const layers = [...shape.encoder, ...shape.extra, ...shape.decoder];
  let perRow = sumWidths(layers, FORWARD_PER_UNIT) + LOSS_FORWARD * dims;
  if (config.family === 'denoising') perRow += 3 * dims;
  if (config.family === 'psd') perRow += 12 * k;
  if (config.family === 'vae') perRow += 8 * k;
  let values = c * perRow;
  if (config.family === 'contractive' && config.contractive.method === 'exact') {
    const enc = shape.encoder;
    const m = enc.reduce((s, l, i) => s + (i === 0 ? (enc.length === 1 ? l.from : 0) : l.from), 0);
    values += c * (sumWidths(enc, FORWARD_PER_UNIT) + 2 * k * (m + (enc.length > 1 ? 2 * enc[0]!.to : 0)));
  }
  if (config.family === 'contractive' && config.contractive.method === 'stochastic')
    values += config.contractive.samples * c * (2 * dims + sumWidths(shape.encoder, FORWARD_PER_UNIT));
  return values;
}

/** Values `reconstruct` (encode then decode) keeps over `c` rows (inference.ts's chunks). */
export function inferenceActivations(shape: ModelShape, dims: number, c: number): number {
  return c * (dims + sumWidths([...shape.encoder, ...shape.decoder], FORWARD_PER_UNIT) + dims);
}

/** The widest activation a step, evaluation or inference over `rows` creates: [rows, width]. */
export function widestLayer(shape: ModelShape): LayerShape {
  const all = [...shape.encoder, ...shape.extra, ...shape.decoder];
  return all.reduce((a, l) => (l.to > a.to ? l : a), all[0]!);
}
