/**
 * The model configuration: one zod schema for the command line's options, the app's IPC requests
 * and run.json, so every host validates the same way and gets the same defaults. Each field
 * carries its option metadata (flag, label, help, the families it applies to: options/meta.ts);
 * the command line, the model panel and docs/options.md are built from it (options/table.ts).
 * Isomorphic (types and schemas only).
 *
 * Fields a family decides (`hidden`, `codeActivation`, `lambda`, the contractive method…) are
 * optional in the input and filled by `resolveFamilyDefaults` in the schema's transform: the
 * parsed `ModelConfig` always has every field set, and run.json records that resolved form.
 * That function is the one place those defaults are written.
 */
import { z } from 'zod';
import { UserError } from './errors';
import {
  ACTIVATIONS,
  DENSE_FAMILIES,
  FAMILIES,
  NOISE_KINDS,
  OUTPUTS,
  PRETRAIN_FAMILIES,
  isLowDim,
  type Activation,
  type DataShape,
  type Family,
} from './families';
import { opt } from './options/meta';
import { describeZodError } from './describe-zod';

export * from './families';
export * from './train-config';
export { describeZodError } from './describe-zod';

const NOT_LINEAR_PSD = FAMILIES.filter((f) => f !== 'linear' && f !== 'psd');

export const NoiseSchema = z
  .object({
    kind: z
      .enum(NOISE_KINDS)
      .default('gaussian')
      .meta(
        opt({
          flag: '--noise',
          label: 'Corruption',
          help: 'C(x̃ | x): gaussian x̃ = x + N(0, σ²I); mask: each input set to 0 with probability ν; salt-pepper: each input set to its min or max with probability ν',
          group: 'regulariser',
          families: ['denoising'],
        }),
      ),
    // 0.3: with σ = 0.1 (standardised units) r(x) − x on the Gaussian mixture had a mean cosine of
    // 0.87 to the true score; with 0.3, 0.94–0.97 (tanh and three layers: 0.99).
    level: z
      .number()
      .min(0)
      .default(0.3)
      .meta(
        opt({
          flag: '--noise',
          label: 'Noise level',
          help: 'σ for gaussian noise (in normalised units), ν ∈ [0, 1] for mask and salt-pepper',
          group: 'regulariser',
          families: ['denoising'],
        }),
      ),
  })
  .strict()
  .refine((n) => n.kind === 'gaussian' || n.level <= 1, {
    message: 'a mask or salt-pepper probability must be in [0, 1]',
    path: ['level'],
  })
  .meta(
    opt({
      flag: '--noise',
      label: 'Corruption',
      help: 'the denoising corruption, written kind:level — gaussian:σ, mask:ν or salt-pepper:ν',
      group: 'regulariser',
      families: ['denoising'],
      composite: 'kind:level',
    }),
  );

const STOCHASTIC = { path: 'config.contractive.method', is: ['stochastic'] } as const;

export const ContractiveSchema = z
  .object({
    /** auto: closed-form for one sigmoid layer, else exact. */
    method: z
      .enum(['auto', 'closed-form', 'exact', 'stochastic'])
      .default('auto')
      .meta(
        opt({
          flag: '--contractive',
          label: '‖J‖² method',
          help: 'how ‖J_f‖²_F is computed: closed form Σⱼ (hⱼ(1 − hⱼ))² Σᵢ Wⱼᵢ² (one sigmoid layer), exact (the chain-rule product), or stochastic E‖f(x + ε) − f(x)‖²/σ² (CAE+H); auto picks the closed form where it applies, else exact',
          group: 'regulariser',
          families: ['contractive'],
          choiceLabels: { 'closed-form': 'closed form' },
        }),
      ),
    samples: z
      .number()
      .int()
      .min(1)
      .max(256)
      .default(4)
      .meta(
        opt({
          flag: '--contractive-samples',
          label: 'Samples',
          help: 'stochastic estimate: noise samples ε per point',
          group: 'regulariser',
          families: ['contractive'],
          when: STOCHASTIC,
        }),
      ),
    sigma: z
      .number()
      .positive()
      .default(0.05)
      .meta(
        opt({
          flag: '--contractive-sigma',
          label: 'σ of ε',
          help: 'stochastic estimate: σ of ε ~ N(0, σ²I), in normalised units',
          group: 'regulariser',
          families: ['contractive'],
          when: STOCHASTIC,
        }),
      ),
  })
  .strict();

export const PretrainSchema = z
  .object({
    mode: z
      .enum(['none', 'greedy'])
      .default('none')
      .meta(
        opt({
          flag: '--pretrain',
          label: 'Greedy pretraining',
          help: 'greedy layer-wise pretraining: a shallow autoencoder per layer on the previous layer’s codes, stacked, then fine-tuned end to end',
          group: 'regulariser',
          families: PRETRAIN_FAMILIES,
        }),
      ),
    epochs: z
      .number()
      .int()
      .min(1)
      .default(20)
      .meta(
        opt({
          flag: '--pretrain-epochs',
          label: 'Epochs per layer',
          help: 'epochs of each greedy stage',
          group: 'regulariser',
          families: PRETRAIN_FAMILIES,
          when: { path: 'config.pretrain.mode', is: ['greedy'] },
        }),
      ),
  })
  .strict();

export const PsdSchema = z
  .object({
    gamma: z
      .number()
      .min(0)
      .default(1)
      .meta(
        opt({
          flag: '--psd-gamma',
          label: 'γ',
          help: 'weight γ of the prediction term γ‖h − f(x)‖²: how closely the fast encoder f must match the sparse code h*',
          group: 'regulariser',
          families: ['psd'],
        }),
      ),
    steps: z
      .number()
      .int()
      .min(1)
      .max(10000)
      .default(30)
      .meta(
        opt({
          flag: '--psd-steps',
          label: 'ISTA steps',
          help: 'ISTA/FISTA iterations per batch when inferring h* (started at f(x))',
          group: 'regulariser',
          families: ['psd'],
        }),
      ),
    fista: z
      .boolean()
      .default(true)
      .meta(
        opt({
          flag: '--ista',
          invert: true,
          invertHelp: 'infer h* with plain ISTA instead of FISTA',
          label: 'FISTA',
          help: 'infer h* with FISTA (Beck & Teboulle’s momentum) rather than plain ISTA',
          group: 'regulariser',
          families: ['psd'],
        }),
      ),
  })
  .strict();

export const HashingSchema = z
  .object({
    method: z
      .enum(['noise', 'straight-through'])
      .default('noise')
      .meta(
        opt({
          flag: '--hash',
          label: 'Binarise by',
          help: 'noise: h = σ(a + ε), ε ~ N(0, s²) during training, so the codes must saturate (Salakhutdinov & Hinton 2009); straight-through: h = 1[σ(a) > ½] forward, ∂σ(a) backward',
          group: 'regulariser',
          families: ['hashing'],
          choiceLabels: { noise: 'noise before the sigmoid' },
        }),
      ),
    noiseStd: z
      .number()
      .min(0)
      .default(2)
      .meta(
        opt({
          flag: '--hash-noise',
          label: 'Noise s',
          help: 's, the standard deviation of the noise added before the sigmoid',
          group: 'regulariser',
          families: ['hashing'],
          when: { path: 'config.hashing.method', is: ['noise'] },
        }),
      ),
  })
  .strict();

/** What a caller may send: family-dependent fields optional. */
export const ModelConfigInputSchema = z
  .object({
    family: z
      .enum(FAMILIES)
      .default('undercomplete')
      .meta(
        opt({
          flag: '--model',
          label: 'Family',
          help: 'the kind of autoencoder: what it minimises, and so what its codes mean',
          group: 'architecture',
        }),
      ),
    latent: z
      .number()
      .int()
      .min(1)
      .max(4096)
      .optional()
      .meta(
        opt({
          flag: '--latent',
          label: 'Code size k',
          help: 'the number of units in the code h = f(x); k < d makes a bottleneck',
          group: 'architecture',
        }),
      ),
    hidden: z
      .array(z.number().int().min(1).max(65536))
      .max(16)
      .optional()
      .meta(
        opt({
          flag: '--hidden',
          label: 'Hidden widths',
          help: 'widths of the encoder’s hidden layers, comma-separated (e.g. 256,64); the decoder mirrors them; none gives the shallow textbook model',
          group: 'architecture',
          families: NOT_LINEAR_PSD,
        }),
      ),
    activation: z
      .enum(ACTIVATIONS)
      .optional()
      .meta(
        opt({
          flag: '--activation',
          label: 'Activation',
          help: 'non-linearity of the hidden layers',
          group: 'architecture',
          families: NOT_LINEAR_PSD,
        }),
      ),
    codeActivation: z
      .enum(ACTIVATIONS)
      .optional()
      .meta(
        opt({
          flag: '--code-activation',
          label: 'Code activation',
          help: 'non-linearity of the code layer (hashing, vae and psd fix their own)',
          group: 'architecture',
          families: [...PRETRAIN_FAMILIES],
          advanced: true,
        }),
      ),
    output: z
      .enum(OUTPUTS)
      .default('gaussian')
      .meta(
        opt({
          flag: '--output',
          label: 'Output p(x | h)',
          help: 'the decoder’s distribution: gaussian → squared error; bernoulli → sigmoid + cross-entropy, for data in [0, 1]; categorical → softmax per one-hot group of the dataset’s categorical columns',
          group: 'architecture',
          families: NOT_LINEAR_PSD,
        }),
      ),
    outputVariance: z
      .enum(['fixed', 'learned'])
      .optional()
      .meta(
        opt({
          flag: '--output-variance',
          label: 'Output variance',
          help: 'the Gaussian decoder’s variance: fixed at 1 (−log p = ½‖x − μ‖²) or learned per feature (−log p = ½ Σⱼ (xⱼ − μⱼ)²/σⱼ² + log σⱼ²)',
          group: 'regulariser',
          families: ['vae'],
          choiceLabels: { learned: 'learned per feature', fixed: 'fixed at 1' },
        }),
      ),
    klWarmup: z
      .number()
      .min(0)
      .max(1)
      .default(0.2)
      .meta(
        opt({
          flag: '--kl-warmup',
          label: 'KL warm-up',
          help: 'β rises linearly from 0 over this fraction of the epochs, so the codes are used before the KL term can pull them onto the prior (0 = off); validation losses use the full β',
          unit: 'fraction of the epochs',
          group: 'regulariser',
          families: ['vae'],
        }),
      ),
    tied: z
      .boolean()
      .optional()
      .meta(
        opt({
          flag: '--tied',
          label: 'Tied weights',
          help: 'W_dec = W_encᵀ (each decoder layer keeps its own bias): stops the trivial solution of a shrinking encoder and a growing decoder',
          group: 'architecture',
          families: ['linear', ...DENSE_FAMILIES],
        }),
      ),
    lambda: z
      .number()
      .min(0)
      .optional()
      .meta(
        opt({
          flag: '--lambda',
          label: 'λ',
          labelBy: { vae: 'β (KL weight)' },
          help: 'the regulariser’s weight: sparse λ Σᵢ|hᵢ|, contractive λ‖J_f‖²_F, vae β on the KL, psd λ‖h‖₁',
          helpBy: {
            sparse: 'λ of the L1 penalty Ω(h) = λ Σᵢ |hᵢ| (a Laplace prior p(hᵢ) = λ/2 · e^(−λ|hᵢ|))',
            contractive: 'λ of the contractive penalty λ ‖J_f(x)‖²_F = λ Σᵢⱼ (∂hⱼ/∂xᵢ)²',
            vae: 'β, the weight of KL(q(h | x) ‖ N(0, I)) in the ELBO (β = 1: the plain VAE)',
            psd: 'λ of the sparsity term λ ‖h‖₁',
          },
          group: 'regulariser',
          families: ['sparse', 'contractive', 'vae', 'psd'],
        }),
      ),
    noise: NoiseSchema.prefault({}),
    contractive: ContractiveSchema.prefault({}),
    pretrain: PretrainSchema.prefault({}),
    psd: PsdSchema.prefault({}),
    hashing: HashingSchema.prefault({}),
  })
  .strict();

export type ModelConfigInput = z.input<typeof ModelConfigInputSchema>;
type Parsed = z.output<typeof ModelConfigInputSchema>;

/** The resolved configuration: every field set. */
export type ModelConfig = Omit<
  Parsed,
  'latent' | 'hidden' | 'activation' | 'codeActivation' | 'lambda' | 'contractive' | 'tied' | 'outputVariance'
> & {
  latent: number;
  outputVariance: 'fixed' | 'learned';
  hidden: number[];
  tied: boolean;
  activation: Activation;
  codeActivation: Activation;
  lambda: number;
  contractive: Omit<Parsed['contractive'], 'method'> & { method: 'closed-form' | 'exact' | 'stochastic' };
};

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
export function resolveFamilyDefaults(c: Parsed, ctx: z.RefinementCtx, data?: DataShape): ModelConfig {
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

/** The schema that resolves the defaults for data of this shape (or, without, a small table's). */
export function modelConfigSchemaFor(data?: DataShape) {
  return ModelConfigInputSchema.transform((c, ctx) => resolveFamilyDefaults(c, ctx, data));
}

export const ModelConfigSchema = modelConfigSchemaFor();

/** Parse or throw a UserError naming each bad field; `data` decides the data-dependent defaults. */
export function parseModelConfig(input: unknown, where = 'model', data?: DataShape): ModelConfig {
  const r = (data ? modelConfigSchemaFor(data) : ModelConfigSchema).safeParse(input);
  if (!r.success) throw new UserError('bad-config', describeZodError(r.error, where));
  return r.data;
}
