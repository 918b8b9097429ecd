/**
 * The per-family sub-schemas of the model configuration: the denoising corruption, the contractive
 * penalty's method, greedy pretraining, PSD's inference and semantic hashing's binarisation. Each
 * field carries its option metadata (options/meta.ts); model-config.ts nests them under their
 * family's key. Isomorphic (types and schemas only).
 */
import { z } from 'zod';
import { NOISE_KINDS, PRETRAIN_FAMILIES } from './families';
import { opt } from './options/meta';

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
