/**
 * The model configuration: one zod schema for the command line's options, the app's IPC requests
 * and run.json, so every host validates the same way and gets the same defaults. Each field
 * carries its option metadata (flag, label, help, the families it applies to: options/meta.ts);
 * the command line, the model panel and docs/options.md are built from it (options/table.ts).
 * Isomorphic (types and schemas only).
 *
 * Fields a family decides (`hidden`, `codeActivation`, `lambda`, the contractive method…) are
 * optional in the input and filled by `resolveFamilyDefaults` (family-defaults.ts) in the schema's
 * transform: the parsed `ModelConfig` always has every field set, and run.json records that
 * resolved form. That function is the one place those defaults are written. The per-family
 * sub-schemas (noise, contractive, pretrain, psd, hashing) are in regularizer-config.ts.
 */
import { z } from 'zod';
import { UserError } from './errors';
import {
  ACTIVATIONS,
  DENSE_FAMILIES,
  FAMILIES,
  OUTPUTS,
  PRETRAIN_FAMILIES,
  type Activation,
  type DataShape,
} from './families';
import { resolveFamilyDefaults } from './family-defaults';
import {
  ContractiveSchema,
  HashingSchema,
  NoiseSchema,
  PretrainSchema,
  PsdSchema,
} from './regularizer-config';
import { opt } from './options/meta';
import { describeZodError } from './describe-zod';

export * from './families';
export * from './train-config';
export { describeZodError } from './describe-zod';
export * from './family-defaults';
export * from './regularizer-config';

const NOT_LINEAR_PSD = FAMILIES.filter((f) => f !== 'linear' && f !== 'psd');

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
/** The input as parsed, before the family's defaults are filled. */
export type ParsedModelConfig = z.output<typeof ModelConfigInputSchema>;

/** The resolved configuration: every field set. */
export type ModelConfig = Omit<
  ParsedModelConfig,
  'latent' | 'hidden' | 'activation' | 'codeActivation' | 'lambda' | 'contractive' | 'tied' | 'outputVariance'
> & {
  latent: number;
  outputVariance: 'fixed' | 'learned';
  hidden: number[];
  tied: boolean;
  activation: Activation;
  codeActivation: Activation;
  lambda: number;
  contractive: Omit<ParsedModelConfig['contractive'], 'method'> & {
    method: 'closed-form' | 'exact' | 'stochastic';
  };
};

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
