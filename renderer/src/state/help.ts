/**
 * What each control means, for tooltips and the help overlay: one sentence, and the formula for
 * the regularisers (THEORY.md, same notation: x ∈ Rᵈ, h = f(x) ∈ Rᵏ, r(x) = g(f(x))).
 */
import type { Family } from '../../../electron/shared/model-config';

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

export const HELP = {
  sample: 'A built-in dataset generated with a seed; the manifolds carry their true tangents',
  sampleRows: 'How many points to generate (10 to 1,000,000)',
  sampleNoise: 'Standard deviation of the Gaussian noise added to each point (blank: the sample’s default)',
  sampleSeed: 'Seed of the generator: the same seed gives the same points',
  openFile:
    'Open a CSV/TSV, NumPy .npy, IDX (MNIST, Fashion-MNIST; pick the images and labels files together), or JSON file. You can also drop files onto the window',
  normalize:
    'Feature scaling fitted on the training rows: standard (x − μ)/σ, minmax (x − min)/(max − min) ∈ [0, 1], or none. Default: minmax for a Bernoulli output, else standard',
  valSplit: 'Fraction of rows held out for the validation loss and early stopping',
  patience:
    'Stop after this many epochs without a better validation loss, and keep the best weights; 0 = train every epoch. Blank: 20 (off for linear)',
  family: 'The kind of autoencoder: what it minimises and so what its codes mean',
  latent: 'Code size k: the number of units in the code h = f(x). k < d makes a bottleneck',
  hidden:
    'Widths of the encoder’s hidden layers, comma-separated (e.g. 64, 32); the decoder mirrors them. Blank: the family’s default',
  activation: 'Non-linearity of the hidden layers',
  output:
    'The decoder’s distribution p(x | h): gaussian → squared error; bernoulli → sigmoid + cross-entropy, for data in [0, 1]; categorical → softmax per one-hot group',
  tied: 'Tied weights W_dec = W_encᵀ: stops the trivial solution of a shrinking encoder and a growing decoder',
  lambdaSparse: 'λ of the L1 penalty Ω(h) = λ Σᵢ |hᵢ| (a Laplace prior p(hᵢ) = λ/2 · e^(−λ|hᵢ|))',
  lambdaContractive: 'λ of the contractive penalty λ ‖J_f(x)‖²_F = λ Σ_ij (∂hⱼ/∂xᵢ)²',
  lambdaVae: 'β, the weight of KL(q(h | x) ‖ N(0, I)) in the ELBO (β = 1: the plain VAE)',
  lambdaPsd: 'λ of the sparsity term λ ‖h‖₁',
  noiseKind:
    'Corruption C(x̃ | x): gaussian x̃ = x + N(0, σ²I); mask: each input set to 0 with probability ν; salt-pepper: each input set to its min or max with probability ν',
  noiseLevel: 'σ for gaussian noise (normalised units), ν ∈ [0, 1] for mask and salt-pepper',
  contractiveMethod:
    'How ‖J_f‖²_F is computed: closed form Σⱼ (hⱼ(1 − hⱼ))² Σᵢ Wⱼᵢ² (one sigmoid layer), exact (k vector-Jacobian products), or stochastic E‖f(x + ε) − f(x)‖²/σ²',
  pretrain:
    'Greedy layer-wise pretraining: train a shallow autoencoder per layer on the previous layer’s codes, stack them, then fine-tune end to end',
  pretrainEpochs: 'Epochs of each greedy stage',
  psdGamma:
    'γ of the prediction term γ ‖h − f(x)‖²: how closely the fast encoder f must match the sparse code h*',
  psdSteps: 'ISTA/FISTA iterations per batch when inferring h* (started at f(x))',
  hashingMethod:
    'noise: h = σ(a + ε), ε ~ N(0, s²) during training so the codes saturate; straight-through: h = 1[σ(a) > ½] forward, ∂σ backward',
  hashingNoise: 's, the standard deviation of the noise added before the sigmoid',
  contractiveSamples: 'Stochastic estimate: noise samples ε per point',
  contractiveSigma: 'Stochastic estimate: σ of ε ~ N(0, σ²I) (normalised units)',
  psdFista: 'Infer h* with FISTA (Beck & Teboulle’s momentum) rather than plain ISTA',
  outputVariance:
    'The Gaussian decoder’s variance: fixed at 1 (−log p = ½‖x − μ‖²) or learned per feature (−log p = ½ Σⱼ (xⱼ − μⱼ)²/σⱼ² + log σⱼ²)',
  klWarmup:
    'β rises linearly from 0 over this fraction of the epochs, so the codes are used before the KL term can pull them onto the prior (0 = off)',
  optimizer: 'adam, or sgd with momentum',
  momentum: 'SGD momentum μ: v ← μv + g, θ ← θ − η v',
  epochs: 'Passes over the training rows (blank: the default, 100; 500 for linear with full batches)',
  batchSize: 'Rows per step; 0 = the whole training set at once (blank: 64)',
  lr: 'Learning rate η (blank: 0.003 for adam, 0.01 for sgd; 0.03 for linear with full batches)',
  seed: 'Seed of the initialisation, the split, the shuffles and the noise: the same seed gives the same run',
  backend:
    'Where the tensors are computed: auto calibrates the available ones and picks the fastest (it says which and why)',
} as const;
