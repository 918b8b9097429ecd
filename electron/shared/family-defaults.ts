/**
 * What a family (and, when known, the data's shape) decides when the caller leaves it out: the code
 * size, the hidden widths and activations, the regulariser's weight, tied weights, the VAE's output
 * variance and the contractive method; and the combinations a family refuses. model-config.ts runs
 * `resolveFamilyDefaults` in its schema's transform, so this is the one place those defaults are
 * written. Isomorphic.
 */
import type { z } from 'zod';
import { PRETRAIN_FAMILIES, isLowDim, type Activation, type DataShape, type Family } from './families';
import type { ModelConfig, ParsedModelConfig } from './model-config';

/**
 * The code size when none is given: 2, a code the latent view shows as it is; 32 for sparse, whose
 * point is a code with many units of which few are active (with 2 ReLU units on the digits, 8–17 %
 * of the codes were zero whatever λ; with 32 and λ below, 57 %); 16 bits for hashing, a hash that
 * retrieval can use (2 bits make 4 buckets; with 16 the digits' bits had a mean entropy of 0.92
 * and none was constant).
 */
export function defaultLatent(f: Family): number {
  return f === 'sparse' ? 32 : f === 'hashing' ? 16 : 2;
}

/**
 * The regulariser's weight when none is given.
 * - sparse: d/1000 — the reconstruction term sums over the d inputs, so the L1 term must grow with
 *   them to matter: on the digits (d = 784) λ = 0.01 left 12–25 % of 32 codes zero, 0.78 57 %;
 * - contractive: 0.01 — at 0.1 the penalty wins on standardised data and a 64-unit encoder settled
 *   at PCA's error on the swiss roll (0.303 vs PCA 0.303); at 0.01 it reached 0.177 (100 epochs);
 *   0.001 on narrow data, whose reconstruction sums over few inputs: with the narrow defaults and
 *   0.01 the sphere's tangent planes ended 62° off and one swiss roll 19°; with 0.001 4.5° and
 *   5–9° (the unregularised model: 3–6°);
 * - vae: β = 1 (the ELBO); psd: 0.1.
 */
export function defaultLambda(f: Family, data?: DataShape): number {
  if (f === 'sparse') return data ? Number((data.dims / 1000).toPrecision(3)) : 0.01;
  if (f === 'contractive') return isLowDim(data) ? 0.001 : 0.01;
  return { vae: 1, psd: 0.1 }[f as string] ?? 0;
}

/**
 * The hidden widths a family gets when none are given. Linear and psd allow none. Narrow data
 * (families.ts LOW_DIMS): three layers of 64 — with one layer of 64 and 100 epochs the swiss roll's
 * tangent planes ended 34° (undercomplete) and 49° (contractive) from the true ones; with 64, 64,
 * 64 (tanh, 400 epochs of 32 rows) 2.8–5.7° and 1.6°, where 64, 64 gave 14° and 128, 128 12°.
 * Wide data: one hidden layer of 64 (deep: 128, 64), non-linear enough to beat PCA in seconds.
 */
export function defaultHidden(f: Family, data?: DataShape): number[] {
  if (f === 'linear' || f === 'psd') return [];
  if (isLowDim(data)) return [64, 64, 64];
  return f === 'deep' ? [128, 64] : [64];
}

/**
 * The hidden layers' activation when none is given: tanh on narrow data (a smooth decoder, whose
 * tangent planes turn with the manifold; ReLU decoders are piecewise flat), else relu.
 */
export function defaultActivation(_f: Family, data?: DataShape): Activation {
  return isLowDim(data) ? 'tanh' : 'relu';
}

/**
 * The code layer's activation when none is given: linear, but for contractive tanh behind hidden
 * layers and sigmoid without (Rifai et al.; the penalty's closed form) — with a sigmoid code behind
 * a hidden layer a 64-unit encoder settled at PCA's error on the swiss roll in most seeds (0.28–0.30
 * vs 0.30), with tanh 0.10–0.11; sigmoid for hashing; relu for sparse; tanh (times a learned gain)
 * for psd.
 */
function defaultCodeActivation(f: Family, hidden: readonly number[]): Activation {
  if (f === 'contractive') return hidden.length > 0 ? 'tanh' : 'sigmoid';
  if (f === 'hashing') return 'sigmoid';
  if (f === 'sparse') return 'relu';
  if (f === 'psd') return 'tanh';
  return 'linear';
}

/**
 * Fill what the family (and, when known, the data's shape) decides and refuse combinations that do
 * not make sense. Without `data` the defaults are those of a small table (what validation needs);
 * the engine resolves with the dataset's shape before it trains.
 */
export function resolveFamilyDefaults(
  c: ParsedModelConfig,
  ctx: z.RefinementCtx,
  data?: DataShape,
): ModelConfig {
  const issue = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message });
  const f = c.family;
  let hidden = c.hidden ?? defaultHidden(f, data);
  let activation: Activation = c.activation ?? defaultActivation(f, data);
  let codeActivation: Activation = c.codeActivation ?? defaultCodeActivation(f, hidden);
  if (f === 'linear') {
    if (hidden.length)
      issue('hidden', 'the linear family has no hidden layers (it is PCA); use undercomplete or deep');
    if (c.activation && c.activation !== 'linear') issue('activation', 'the linear family has no activation');
    if (c.codeActivation && c.codeActivation !== 'linear')
      issue('codeActivation', 'the linear family has no activation');
    if (c.output !== 'gaussian') issue('output', 'the linear family uses a gaussian output (squared error)');
    hidden = [];
    activation = 'linear';
    codeActivation = 'linear';
  }
  if (f === 'deep' && hidden.length === 0) issue('hidden', 'the deep family needs at least one hidden layer');
  if (f === 'psd') {
    if (hidden.length)
      issue('hidden', 'psd has a one-layer predictor f(x) = G·tanh(Wx + b): no hidden layers');
    if (c.codeActivation && c.codeActivation !== 'tanh')
      issue('codeActivation', 'psd uses f(x) = G·tanh(Wx + b)');
    if (c.output !== 'gaussian')
      issue('output', 'psd reconstructs with a linear dictionary: gaussian output only');
    if (c.tied)
      issue(
        'tied',
        'psd has a dictionary D and an encoder W that are learned separately; tied does not apply',
      );
    hidden = [];
    codeActivation = 'tanh';
  }
  if (f === 'hashing') {
    if (c.codeActivation && c.codeActivation !== 'sigmoid')
      issue('codeActivation', 'hashing codes come from a sigmoid layer');
    codeActivation = 'sigmoid';
  }
  if (f === 'vae') {
    if (c.codeActivation && c.codeActivation !== 'linear')
      issue('codeActivation', 'the vae encoder outputs a Gaussian (μ, log σ²); no code activation');
    codeActivation = 'linear';
    if (c.tied) issue('tied', 'the vae has separate μ and log σ² heads; tied does not apply');
  }
  if (c.outputVariance === 'learned' && f !== 'vae')
    issue('outputVariance', 'a learned output variance applies to the vae family only');
  let method: ModelConfig['contractive']['method'];
  const oneSigmoidLayer = hidden.length === 0 && codeActivation === 'sigmoid';
  if (c.contractive.method === 'auto') method = oneSigmoidLayer ? 'closed-form' : 'exact';
  else method = c.contractive.method;
  if (f === 'contractive' && method === 'closed-form' && !oneSigmoidLayer)
    issue(
      'contractive.method',
      'the closed-form contractive penalty needs one sigmoid layer (no hidden layers, code activation sigmoid); use exact or stochastic',
    );
  if (c.pretrain.mode === 'greedy') {
    if (!(PRETRAIN_FAMILIES as readonly Family[]).includes(f))
      issue('pretrain', `greedy pretraining stacks dense autoencoders; it does not apply to ${f}`);
    else if (hidden.length === 0)
      issue('pretrain', 'greedy pretraining needs at least one hidden layer (--hidden)');
  }
  return {
    ...c,
    hidden,
    activation,
    codeActivation,
    // Linear: tied. The tied linear autoencoder's optimum is exactly the orthogonal projector onto
    // the PCA subspace, while an untied encoder's components off the subspace shrink only at the
    // rate of the small eigenvalues.
    tied: c.tied ?? f === 'linear',
    // VAE: learned. With σ fixed at 1 on standardised data the KL term wins and the codes collapse
    // onto the prior.
    outputVariance: c.outputVariance ?? (f === 'vae' ? 'learned' : 'fixed'),
    latent: c.latent ?? defaultLatent(f),
    lambda: c.lambda ?? defaultLambda(f, data),
    contractive: { ...c.contractive, method },
  };
}
