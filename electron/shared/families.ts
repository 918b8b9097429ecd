/**
 * The names the configuration is made of: the autoencoder families (docs/theory.md), the
 * activations, the decoder distributions and the corruptions, with one sentence per family.
 * Isomorphic (data only).
 */
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

export const OPTIMIZERS = ['adam', 'sgd'] as const;
export const LR_SCHEDULES = ['constant', 'step', 'exponential', 'cosine'] as const;
export const NORMALIZE_KINDS = ['none', 'standard', 'minmax'] as const;
export const BACKEND_PREFERENCES = ['auto', 'webgpu', 'tensorflow', 'webgl', 'wasm', 'cpu'] as const;

/**
 * The data a default may depend on: the rows (all of them, before the validation split; the
 * training defaults get the training rows) and the columns.
 */
export interface DataShape {
  rows: number;
  dims: number;
}

/**
 * Data this narrow (d ≤ 16: the built-in manifolds, small tables) are a few coordinates of a smooth
 * manifold: their defaults are a deeper tanh network trained for a budget of small steps, where
 * wide data (images) get one ReLU layer for a fixed number of epochs (family-defaults.ts,
 * train-config.ts, docs/options.md).
 */
export const LOW_DIMS = 16;

export const isLowDim = (data?: DataShape): boolean => data !== undefined && data.dims <= LOW_DIMS;

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

/** The panel's name of each family. */
export const FAMILY_TITLE: Record<Family, string> = {
  linear: 'Linear (PCA)',
  undercomplete: 'Undercomplete',
  sparse: 'Sparse',
  denoising: 'Denoising',
  contractive: 'Contractive',
  deep: 'Deep',
  vae: 'Variational (VAE)',
  psd: 'Predictive sparse decomposition',
  hashing: 'Semantic hashing',
};

/** The families built of dense encoder/decoder stacks (hidden layers, activations, tied weights). */
export const DENSE_FAMILIES = [
  'undercomplete',
  'sparse',
  'denoising',
  'contractive',
  'deep',
  'hashing',
] as const satisfies readonly Family[];
/** The families greedy layer-wise pretraining applies to. */
export const PRETRAIN_FAMILIES = [
  'undercomplete',
  'sparse',
  'denoising',
  'contractive',
  'deep',
] as const satisfies readonly Family[];

/** The loss each family minimises, as shown beside its sentence. */
export const FAMILY_FORMULA: Record<Family, string> = {
  linear: 'L = ‖x − W_d W_e x‖²  (optimum: the top-k PCA subspace)',
  undercomplete: 'L = ‖x − g(f(x))‖²,  k < d',
  sparse: 'L = ‖x − g(h)‖² + λ Σᵢ |hᵢ|',
  denoising: 'L = ‖x − g(f(x̃))‖²,  x̃ ~ C(x̃ | x)',
  contractive: 'L = ‖x − g(f(x))‖² + λ ‖J_f(x)‖²_F',
  deep: 'L = ‖x − g(f(x))‖², f and g several layers deep',
  vae: '−ELBO = E_q[−log p(x | h)] + β KL(q(h | x) ‖ N(0, I))',
  psd: 'L = ‖x − D h‖² + λ ‖h‖₁ + γ ‖h − f(x)‖²',
  hashing: 'L = ‖x − g(σ(a + ε))‖²,  binary code 1[h > ½]',
};
