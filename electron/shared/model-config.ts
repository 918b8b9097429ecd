/**
 * The model and training configuration: one zod schema for the command line's options, the app's
 * IPC requests and run.json, so every host validates the same way and gets the same defaults.
 * Isomorphic (types and schemas only).
 *
 * Fields a family decides (`hidden`, `codeActivation`, `lambda`, the contractive method…) are
 * optional in the input and filled by `resolveFamilyDefaults` in the schema's transform: the
 * parsed `ModelConfig` always has every field set, and run.json records that resolved form.
 * Like nanoGPT's config: one comment per field, with its default.
 */
import { z } from 'zod';
import { UserError } from './errors';

export const FAMILIES = [
  'linear',
  'undercomplete',
  'sparse',
  'denoising',
  'contractive',
  'deep',
  'vae',
  'psd',
  'hashing',
] as const;
export type Family = (typeof FAMILIES)[number];

export const ACTIVATIONS = ['relu', 'tanh', 'sigmoid', 'elu', 'linear'] as const;
export type Activation = (typeof ACTIVATIONS)[number];

export const OUTPUTS = ['gaussian', 'bernoulli', 'categorical'] as const;
export type OutputDistribution = (typeof OUTPUTS)[number];

export const NOISE_KINDS = ['gaussian', 'mask', 'salt-pepper'] as const;
export type NoiseKind = (typeof NOISE_KINDS)[number];

/** One sentence per family, for --help and the model panel. */
export const FAMILY_SUMMARY: Record<Family, string> = {
  linear: 'linear encoder and decoder with squared error: learns the PCA subspace',
  undercomplete: 'a bottleneck k < d with non-linear encoder/decoder: L(x, g(f(x)))',
  sparse: 'L(x, g(h)) + λ Σ|h_i|: a Laplace prior on the codes',
  denoising: 'L(x, g(f(x̃))), x̃ a corrupted copy of x: learns the score r(x) − x ∝ ∇ log p(x)',
  contractive: 'L(x, g(f(x))) + λ ‖∂f/∂x‖²_F: codes insensitive off the manifold',
  deep: 'several hidden layers, optionally pretrained greedily layer by layer',
  vae: 'stochastic encoder N(μ, σ²), KL to N(0, I): maximises the ELBO',
  psd: '‖x − Dh‖² + λ‖h‖₁ + γ‖h − f(x)‖²: sparse coding with a fast predictor f',
  hashing: 'binary codes from a saturated sigmoid layer: semantic hashing',
};

export const NoiseSchema = z
  .object({
    /** gaussian: x̃ = x + N(0, σ²); mask: each input set to 0 with probability ν; salt-pepper: each
     *  input set to its column's min or max (half each) with probability ν. Default gaussian. */
    kind: z.enum(NOISE_KINDS).default('gaussian'),
    /** σ for gaussian (in normalised units), ν ∈ [0, 1] for mask and salt-pepper. Default 0.1. */
    level: z.number().min(0).default(0.1),
  })
  .strict()
  .refine((n) => n.kind === 'gaussian' || n.level <= 1, {
    message: 'a mask or salt-pepper probability must be in [0, 1]',
    path: ['level'],
  });

export const ContractiveSchema = z
  .object({
    /** How ‖J_f(x)‖²_F is computed. auto (default): closed-form for one sigmoid layer, else exact.
     *  closed-form: Σ_j (h_j(1−h_j))² Σ_i W_ji² (one sigmoid layer only); exact: k vector-Jacobian
     *  products; stochastic: E‖f(x+ε) − f(x)‖²/σ², ε ~ N(0, σ²I) (CAE+H, Rifai et al. 2011). */
    method: z.enum(['auto', 'closed-form', 'exact', 'stochastic']).default('auto'),
    /** Stochastic estimate: noise samples per point. Default 4. */
    samples: z.number().int().min(1).max(256).default(4),
    /** Stochastic estimate: σ of ε (normalised units). Default 0.05. */
    sigma: z.number().positive().default(0.05),
  })
  .strict();

export const PretrainSchema = z
  .object({
    /** none (default) or greedy: one shallow autoencoder per layer, stacked, then fine-tuned. */
    mode: z.enum(['none', 'greedy']).default('none'),
    /** Epochs for each greedy stage. Default 20. */
    epochs: z.number().int().min(1).default(20),
  })
  .strict();

export const PsdSchema = z
  .object({
    /** Weight γ of the prediction term γ‖h − f(x)‖². Default 1. */
    gamma: z.number().min(0).default(1),
    /** ISTA/FISTA iterations per batch when inferring h* (started at f(x)). Default 30. */
    steps: z.number().int().min(1).max(10000).default(30),
    /** Use FISTA (Beck & Teboulle's momentum) rather than plain ISTA. Default true. */
    fista: z.boolean().default(true),
  })
  .strict();

export const HashingSchema = z
  .object({
    /** noise (default): h = σ(a + ε), ε ~ N(0, s²) during training, so the codes must saturate
     *  (Salakhutdinov & Hinton 2009); straight-through: h = 1[σ(a) > ½] forward, ∂σ(a) backward. */
    method: z.enum(['noise', 'straight-through']).default('noise'),
    /** s, the standard deviation of the noise added before the sigmoid. Default 2. */
    noiseStd: z.number().min(0).default(2),
  })
  .strict();

/** What a caller may send: family-dependent fields optional. */
export const ModelConfigInputSchema = z
  .object({
    /** The autoencoder family (THEORY.md §1–§7). Default undercomplete. */
    family: z.enum(FAMILIES).default('undercomplete'),
    /** Code size k. Default 2. */
    latent: z.number().int().min(1).max(4096).default(2),
    /** Hidden layer widths of the encoder (the decoder mirrors them). Default [64] (one hidden
     *  layer: non-linear enough to beat PCA on the built-in manifolds in seconds); [128, 64] for
     *  deep; [] for linear and psd, which allow none. `[]` gives the textbook shallow autoencoder
     *  (and, with a sigmoid code, the contractive penalty's closed form). */
    hidden: z.array(z.number().int().min(1).max(65536)).max(16).optional(),
    /** Activation of the hidden layers. Default relu (linear forces linear). */
    activation: z.enum(ACTIVATIONS).optional(),
    /** Activation of the code layer. Default: linear; for contractive tanh behind hidden layers,
     *  sigmoid without; sigmoid for hashing (forced); relu for sparse; tanh (times a learned gain)
     *  for psd, fixed. */
    codeActivation: z.enum(ACTIVATIONS).optional(),
    /** The decoder's distribution p(x | h): gaussian (squared error), bernoulli (sigmoid and
     *  cross-entropy, for data in [0, 1]), categorical (softmax per one-hot group of the dataset's
     *  categorical columns; other columns gaussian). Default gaussian. */
    output: z.enum(OUTPUTS).default('gaussian'),
    /** The gaussian decoder's variance: fixed at 1 (−log p = ½‖x − μ‖²) or learned per feature
     *  (−log p = ½Σ_j (x_j − μ_j)²/σ_j² + log σ_j²). Default: learned for vae (with σ fixed at 1 on
     *  standardised data the KL term wins and the codes collapse onto the prior), fixed elsewhere;
     *  learned applies to vae only. */
    outputVariance: z.enum(['fixed', 'learned']).optional(),
    /** VAE: KL warm-up — β rises linearly from 0 over this fraction of the epochs (Bowman et al.
     *  2016; Sønderby et al. 2016), so the codes are used before the KL term can push them onto the
     *  prior; validation losses always use the full β. 0 = off. Default 0.2. */
    klWarmup: z.number().min(0).max(1).default(0.2),
    /** Tied weights W_dec = W_encᵀ (each decoder layer keeps its own bias). Default false, except
     *  linear: true — the tied linear autoencoder's optimum is exactly the orthogonal projector onto
     *  the PCA subspace, while an untied encoder's components off the subspace shrink only at the
     *  rate of the small eigenvalues. */
    tied: z.boolean().optional(),
    /** Regularisation weight: sparse λ (L1), contractive λ (‖J‖²), vae β (on the KL), psd λ (‖h‖₁).
     *  Defaults: sparse 0.01, contractive 0.1, vae 1, psd 0.1; unused elsewhere (0). */
    lambda: z.number().min(0).optional(),
    /** Corruption of the denoising family. Default gaussian, σ = 0.1. */
    noise: NoiseSchema.prefault({}),
    /** Options of the contractive penalty. */
    contractive: ContractiveSchema.prefault({}),
    /** Greedy layer-wise pretraining (deep stacks). */
    pretrain: PretrainSchema.prefault({}),
    /** Predictive sparse decomposition. */
    psd: PsdSchema.prefault({}),
    /** Semantic hashing. */
    hashing: HashingSchema.prefault({}),
  })
  .strict();

export type ModelConfigInput = z.input<typeof ModelConfigInputSchema>;
type Parsed = z.output<typeof ModelConfigInputSchema>;

/** The resolved configuration: every field set. */
export type ModelConfig = Omit<
  Parsed,
  'hidden' | 'activation' | 'codeActivation' | 'lambda' | 'contractive' | 'tied' | 'outputVariance'
> & {
  outputVariance: 'fixed' | 'learned';
  hidden: number[];
  tied: boolean;
  activation: Activation;
  codeActivation: Activation;
  lambda: number;
  contractive: Omit<Parsed['contractive'], 'method'> & { method: 'closed-form' | 'exact' | 'stochastic' };
};

// Contractive: 0.01. At 0.1 the penalty wins on standardised data and a 64-unit encoder settles at
// PCA's error on the swiss roll (0.303 vs PCA 0.303); at 0.01 it reaches 0.177 (100 epochs).
export const DEFAULT_LAMBDA: Partial<Record<Family, number>> = {
  sparse: 0.01,
  contractive: 0.01,
  vae: 1,
  psd: 0.1,
};

/** The hidden widths a family gets when none are given. */
export function defaultHidden(f: Family): number[] {
  return f === 'deep' ? [128, 64] : f === 'linear' || f === 'psd' ? [] : [64];
}

/** Fill what the family decides and refuse combinations that do not make sense. */
export function resolveFamilyDefaults(c: Parsed, ctx: z.RefinementCtx): ModelConfig {
  const issue = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message });
  const f = c.family;
  let hidden = c.hidden ?? defaultHidden(f);
  let activation: Activation = c.activation ?? 'relu';
  let codeActivation: Activation =
    c.codeActivation ??
    // Contractive: sigmoid for the shallow model (Rifai et al.; the penalty's closed form), tanh
    // behind hidden layers — with a sigmoid code there, a 64-unit encoder settled at PCA's error
    // on the swiss roll in most seeds (0.28–0.30 vs 0.30); with tanh 0.10–0.11.
    (f === 'contractive' && hidden.length > 0
      ? 'tanh'
      : f === 'contractive' || f === 'hashing'
        ? 'sigmoid'
        : f === 'sparse'
          ? 'relu'
          : f === 'psd'
            ? 'tanh'
            : 'linear');
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
    if (f === 'vae' || f === 'psd' || f === 'hashing' || f === 'linear')
      issue('pretrain', `greedy pretraining stacks dense autoencoders; it does not apply to ${f}`);
    else if (hidden.length === 0)
      issue('pretrain', 'greedy pretraining needs at least one hidden layer (--hidden)');
  }
  return {
    ...c,
    hidden,
    activation,
    codeActivation,
    tied: c.tied ?? f === 'linear',
    outputVariance: c.outputVariance ?? (f === 'vae' ? 'learned' : 'fixed'),
    lambda: c.lambda ?? DEFAULT_LAMBDA[f] ?? 0,
    contractive: { ...c.contractive, method },
  };
}

export const ModelConfigSchema = ModelConfigInputSchema.transform(resolveFamilyDefaults);

export const OPTIMIZERS = ['adam', 'sgd'] as const;
export const LR_SCHEDULES = ['constant', 'step', 'exponential', 'cosine'] as const;
export const NORMALIZE_KINDS = ['none', 'standard', 'minmax'] as const;
export const BACKEND_PREFERENCES = ['auto', 'webgpu', 'tensorflow', 'webgl', 'wasm', 'cpu'] as const;

export const TrainOptionsSchema = z
  .object({
    /** Passes over the training rows. Default: 500 for linear with full batches, else 100. */
    epochs: z.number().int().min(1).max(1_000_000).optional(),
    /** Rows per step; 0 = full batch. Default: full batch for linear when the training rows fit
     *  (≤ 20 000), else 64. */
    batchSize: z.number().int().min(0).optional(),
    /** adam (default) or sgd (with momentum). */
    optimizer: z.enum(OPTIMIZERS).default('adam'),
    /** SGD momentum μ: v ← μv + g, θ ← θ − η v. Default 0.9. */
    momentum: z.number().min(0).max(0.9999).default(0.9),
    /** Base learning rate η. Default: 0.03 for linear with full batches, else 0.003 (adam) or 0.01 (sgd). */
    lr: z.number().positive().max(100).optional(),
    /** Learning-rate schedule over the run. Default cosine from η down to η·minFactor. */
    schedule: z
      .object({
        /** constant, step (×gamma every `every` epochs), exponential (×gamma each epoch), cosine. */
        kind: z.enum(LR_SCHEDULES).default('cosine'),
        /** Decay factor for step and exponential. Default 0.5 for step, 0.97 for exponential. */
        gamma: z.number().positive().max(1).optional(),
        /** Epochs between drops for step. Default: a third of the epochs. */
        every: z.number().int().min(1).optional(),
        /** Cosine ends at η·minFactor. Default 0.01. */
        minFactor: z.number().min(0).max(1).default(0.01),
      })
      .strict()
      .prefault({}),
    /** Rescale the gradient to this global norm when larger; 0 = off (default). */
    clipNorm: z.number().min(0).default(0),
    /** Early stopping: stop after this many epochs without a better validation loss, and restore
     *  the best weights; 0 = off. Default 20 (only with a validation split); 0 for linear, whose
     *  loss has no overfitting to guard against and whose validation loss may pause while the
     *  optimiser leaves a saddle on its way to the PCA subspace. */
    patience: z.number().int().min(0).optional(),
    /** Fraction of rows held out for validation (early stopping, valMse). Default 0.1. */
    valSplit: z.number().min(0).max(0.9).default(0.1),
    /** Seed for the initialisation, the split, the shuffles and every noise draw. Default 0. */
    seed: z
      .number()
      .int()
      .min(0)
      .max(2 ** 31 - 1)
      .default(0),
    /** Feature normalisation fitted on the training rows. Default: minmax for bernoulli output,
     *  else standard. */
    normalize: z.enum(NORMALIZE_KINDS).optional(),
    /** Compute backend (hosts choose; auto calibrates). Default auto. */
    backend: z.enum(BACKEND_PREFERENCES).default('auto'),
  })
  .strict();

export type TrainOptionsInput = z.input<typeof TrainOptionsSchema>;
export type TrainOptions = z.output<typeof TrainOptionsSchema>;

/** Train options with every default decided (what run.json records). */
export interface ResolvedTrainOptions extends Omit<
  TrainOptions,
  'epochs' | 'batchSize' | 'lr' | 'normalize' | 'schedule' | 'patience'
> {
  patience: number;
  epochs: number;
  batchSize: number;
  lr: number;
  normalize: (typeof NORMALIZE_KINDS)[number];
  schedule: { kind: (typeof LR_SCHEDULES)[number]; gamma: number; every: number; minFactor: number };
}

/** Defaults that depend on the family, the output and the number of training rows. */
export function resolveTrainOptions(
  t: TrainOptions,
  model: Pick<ModelConfig, 'family' | 'output'>,
  trainRows: number,
): ResolvedTrainOptions {
  const linearFull = model.family === 'linear' && t.batchSize === undefined && trainRows <= 20_000;
  const batchSize = t.batchSize ?? (linearFull ? 0 : 64);
  const fullBatch = batchSize === 0 || batchSize >= trainRows;
  const epochs = t.epochs ?? (model.family === 'linear' && fullBatch ? 500 : 100);
  const lr = t.lr ?? (model.family === 'linear' && fullBatch ? 0.03 : t.optimizer === 'sgd' ? 0.01 : 0.003);
  const kind = t.schedule.kind;
  return {
    ...t,
    epochs,
    batchSize,
    lr,
    patience: t.patience ?? (model.family === 'linear' ? 0 : 20),
    normalize: t.normalize ?? (model.output === 'bernoulli' ? 'minmax' : 'standard'),
    schedule: {
      kind,
      gamma: t.schedule.gamma ?? (kind === 'exponential' ? 0.97 : 0.5),
      every: t.schedule.every ?? Math.max(1, Math.round(epochs / 3)),
      minFactor: t.schedule.minFactor,
    },
  };
}

/** "a.b: message; c: message" — one readable line for the CLI and the app. */
export function describeZodError(e: z.ZodError, prefix = ''): string {
  return e.issues
    .map((i) => {
      const path = [prefix, ...i.path.map(String)].filter(Boolean).join('.');
      return path ? `${path}: ${i.message}` : i.message;
    })
    .join('; ');
}

/** Parse or throw a UserError naming each bad field. */
export function parseModelConfig(input: unknown, where = 'model'): ModelConfig {
  const r = ModelConfigSchema.safeParse(input);
  if (!r.success) throw new UserError('bad-config', describeZodError(r.error, where));
  return r.data;
}

export function parseTrainOptions(input: unknown, where = 'train'): TrainOptions {
  const r = TrainOptionsSchema.safeParse(input);
  if (!r.success) throw new UserError('bad-config', describeZodError(r.error, where));
  return r.data;
}
