/**
 * The model panel's form: the family, the architecture, the regulariser's knobs and the training
 * options, as the user typed them. `input` is what startTraining receives (blank fields are left
 * to the engine's family defaults); `errors` checks it with the same zod schemas the engine uses,
 * so a bad field is flagged beside it before anything is sent.
 */
import {
  DEFAULT_LAMBDA,
  FAMILIES,
  ModelConfigSchema,
  TrainOptionsSchema,
  defaultHidden,
  describeZodError,
} from '../../../electron/shared/model-config';
import type {
  Activation,
  Family,
  ModelConfigInput,
  NoiseKind,
  OutputDistribution,
  TrainOptionsInput,
} from '../../../electron/shared/model-config';
import type { DatasetSummary } from '../../../electron/shared/contract';
import { fieldErrors } from './format';

export type Normalize = 'default' | 'none' | 'standard' | 'minmax';
export type Backend = 'auto' | 'webgpu' | 'tensorflow' | 'webgl' | 'wasm' | 'cpu';

export type Knob =
  | 'lambda'
  | 'noise'
  | 'contractive'
  | 'pretrain'
  | 'psd'
  | 'hashing'
  | 'vae'
  | 'tied'
  | 'output'
  | 'hidden'
  | 'activation';
const KNOB_NAMES: readonly Knob[] = [
  'lambda',
  'noise',
  'contractive',
  'pretrain',
  'psd',
  'hashing',
  'vae',
  'tied',
  'output',
  'hidden',
  'activation',
];
const DENSE: readonly Knob[] = ['tied', 'output', 'hidden', 'activation'];

/** Which knobs each family has (model-config.ts refuses the others). */
const FAMILY_KNOBS: Record<Family, readonly Knob[]> = {
  linear: ['tied'],
  undercomplete: [...DENSE, 'pretrain'],
  sparse: [...DENSE, 'pretrain', 'lambda'],
  denoising: [...DENSE, 'pretrain', 'noise'],
  contractive: [...DENSE, 'pretrain', 'lambda', 'contractive'],
  deep: [...DENSE, 'pretrain'],
  vae: ['output', 'hidden', 'activation', 'lambda', 'vae'],
  psd: ['lambda', 'psd'],
  hashing: [...DENSE, 'hashing'],
};

export const KNOBS = Object.fromEntries(
  Object.entries(FAMILY_KNOBS).map(([f, ks]) => [
    f,
    Object.fromEntries(KNOB_NAMES.map((k) => [k, ks.includes(k)])),
  ]),
) as Record<Family, Record<Knob, boolean>>;

/** The family's default λ and hidden widths (model-config.ts), shown as the fields' placeholders. */
export { DEFAULT_LAMBDA };
export const DEFAULT_HIDDEN = Object.fromEntries(
  FAMILIES.map((f) => [f, defaultHidden(f).join(', ') || 'none']),
) as Record<Family, string>;

/**
 * The hidden widths the form starts with, per family (the engine's defaults, written out so the
 * user sees and edits them): one hidden layer of 64 makes the non-linear families clearly better
 * than PCA on the built-in manifolds within a few seconds of training; "none" gives the textbook
 * shallow autoencoder.
 */
export const SUGGESTED_HIDDEN: Record<Family, string> = {
  linear: '',
  undercomplete: '64',
  sparse: '64',
  denoising: '64',
  contractive: '64',
  deep: '128, 64',
  vae: '64',
  psd: '',
  hashing: '64',
};

export class ModelForm {
  family = $state<Family>('undercomplete');
  latent = $state<number | null>(2);
  hidden = $state(SUGGESTED_HIDDEN.undercomplete);
  activation = $state<Activation | 'default'>('default');
  output = $state<OutputDistribution>('gaussian');
  tied = $state<'default' | 'yes' | 'no'>('default');
  lambda = $state<number | null>(null);
  noiseKind = $state<NoiseKind>('gaussian');
  noiseLevel = $state<number | null>(0.1);
  contractiveMethod = $state<'auto' | 'closed-form' | 'exact' | 'stochastic'>('auto');
  contractiveSamples = $state<number | null>(4);
  contractiveSigma = $state<number | null>(0.05);
  pretrain = $state(false);
  pretrainEpochs = $state<number | null>(20);
  psdGamma = $state<number | null>(1);
  psdSteps = $state<number | null>(30);
  psdFista = $state(true);
  outputVariance = $state<'default' | 'fixed' | 'learned'>('default');
  klWarmup = $state<number | null>(0.2);
  hashingMethod = $state<'noise' | 'straight-through'>('noise');
  hashingNoise = $state<number | null>(2);

  optimizer = $state<'adam' | 'sgd'>('adam');
  momentum = $state<number | null>(0.9);
  epochs = $state<number | null>(40);
  batchSize = $state<number | null>(null);
  lr = $state<number | null>(null);
  seed = $state<number | null>(0);
  valSplit = $state<number | null>(0.1);
  /** Epochs without a better validation loss before training stops; blank = the engine's default. */
  patience = $state<number | null>(null);
  normalize = $state<Normalize>('default');
  backend = $state<Backend>('auto');

  /** Messages the engine sent back for fields (bad-config), until the form changes. */
  serverErrors = $state<Record<string, string>>({});

  readonly knobs = $derived(KNOBS[this.family]);

  /** "64, 32" → [64, 32]; blank → undefined (the family's default); anything else → an error. */
  readonly hiddenList = $derived.by((): number[] | undefined | 'bad' => {
    const t = this.hidden.trim();
    if (t === '' || !this.knobs.hidden) return undefined;
    if (/^(none|0)$/i.test(t)) return [];
    const parts = t.split(/[\s,;x×]+/).filter(Boolean);
    const nums = parts.map(Number);
    return nums.every((v) => Number.isInteger(v) && v > 0) ? nums : 'bad';
  });

  readonly input = $derived.by((): { config: ModelConfigInput; train: TrainOptionsInput } => {
    const k = this.knobs;
    const f = this.family;
    const hidden = this.hiddenList;
    const num = (v: number | null): number | undefined => (v === null || Number.isNaN(v) ? undefined : v);
    const config: ModelConfigInput = {
      family: f,
      ...(num(this.latent) !== undefined ? { latent: num(this.latent)! } : {}),
      ...(Array.isArray(hidden) ? { hidden } : {}),
      ...(k.activation && this.activation !== 'default' ? { activation: this.activation } : {}),
      output: k.output ? this.output : 'gaussian',
      ...(k.tied && this.tied !== 'default' ? { tied: this.tied === 'yes' } : {}),
      ...(k.lambda && num(this.lambda) !== undefined ? { lambda: num(this.lambda)! } : {}),
      ...(k.noise ? { noise: { kind: this.noiseKind, level: num(this.noiseLevel) ?? 0.1 } } : {}),
      ...(k.contractive
        ? {
            contractive: {
              method: this.contractiveMethod,
              ...(this.contractiveMethod === 'stochastic'
                ? { samples: num(this.contractiveSamples) ?? 4, sigma: num(this.contractiveSigma) ?? 0.05 }
                : {}),
            },
          }
        : {}),
      ...(k.pretrain && this.pretrain
        ? { pretrain: { mode: 'greedy' as const, epochs: num(this.pretrainEpochs) ?? 20 } }
        : {}),
      ...(k.psd
        ? { psd: { gamma: num(this.psdGamma) ?? 1, steps: num(this.psdSteps) ?? 30, fista: this.psdFista } }
        : {}),
      ...(k.vae && this.outputVariance !== 'default' ? { outputVariance: this.outputVariance } : {}),
      ...(k.vae && num(this.klWarmup) !== undefined ? { klWarmup: num(this.klWarmup)! } : {}),
      ...(k.hashing
        ? { hashing: { method: this.hashingMethod, noiseStd: num(this.hashingNoise) ?? 2 } }
        : {}),
    };
    const train: TrainOptionsInput = {
      optimizer: this.optimizer,
      ...(this.optimizer === 'sgd' && num(this.momentum) !== undefined
        ? { momentum: num(this.momentum)! }
        : {}),
      ...(num(this.epochs) !== undefined ? { epochs: num(this.epochs)! } : {}),
      ...(num(this.batchSize) !== undefined ? { batchSize: num(this.batchSize)! } : {}),
      ...(num(this.lr) !== undefined ? { lr: num(this.lr)! } : {}),
      ...(num(this.patience) !== undefined ? { patience: num(this.patience)! } : {}),
      seed: num(this.seed) ?? 0,
      valSplit: num(this.valSplit) ?? 0.1,
      ...(this.normalize !== 'default' ? { normalize: this.normalize } : {}),
      backend: this.backend,
    };
    return { config, train };
  });

  /** Field → message ('config.lambda', 'train.epochs', …), from the schemas and the engine. */
  readonly errors = $derived.by((): Record<string, string> => {
    const out: Record<string, string> = {};
    if (this.hiddenList === 'bad')
      out['config.hidden'] = 'expected layer widths separated by commas, e.g. 64, 32';
    const c = ModelConfigSchema.safeParse(this.input.config);
    if (!c.success) Object.assign(out, fieldErrors(describeZodError(c.error, 'config')));
    const t = TrainOptionsSchema.safeParse(this.input.train);
    if (!t.success) Object.assign(out, fieldErrors(describeZodError(t.error, 'train')));
    for (const [key, msg] of Object.entries(this.serverErrors)) out[key] ??= msg;
    return out;
  });

  readonly valid = $derived(Object.keys(this.errors).length === 0);

  /** The normalisation the engine will use (its default depends on the output). */
  readonly effectiveNormalize = $derived(
    this.normalize === 'default'
      ? this.output === 'bernoulli' && this.knobs.output
        ? 'minmax'
        : 'standard'
      : this.normalize,
  );

  /**
   * SPEC "scale mismatch": a Bernoulli decoder needs targets in [0, 1]. After normalisation the
   * targets are in [0, 1] only with minmax (or with none when the data already are).
   */
  rangeWarning(summary: DatasetSummary | null): string | null {
    if (!summary || !this.knobs.output || this.output !== 'bernoulli') return null;
    const n = this.effectiveNormalize;
    const { min, max } = summary.range;
    if (n === 'minmax') return null;
    if (n === 'none' && min >= 0 && max <= 1) return null;
    return n === 'none'
      ? `A Bernoulli output needs data in [0, 1], but this data spans [${min.toPrecision(3)}, ${max.toPrecision(3)}]. Use minmax normalisation.`
      : `A Bernoulli output needs targets in [0, 1]; ${n} normalisation gives values outside it. Use minmax normalisation.`;
  }

  /** Rough parameter count: dense layers d → hidden… → k and back (tied halves the weights). */
  paramCount(d: number): number | null {
    const k = this.latent ?? 2;
    const hidden = Array.isArray(this.hiddenList)
      ? this.hiddenList
      : DEFAULT_HIDDEN[this.family] === 'none'
        ? []
        : DEFAULT_HIDDEN[this.family].split(', ').map(Number);
    const widths = [d, ...hidden, this.family === 'vae' ? 2 * k : k];
    let enc = 0;
    let weights = 0;
    for (let i = 1; i < widths.length; i++) {
      enc += widths[i - 1]! * widths[i]! + widths[i]!;
      weights += widths[i - 1]! * widths[i]!;
    }
    const dec = [k, ...[...hidden].reverse(), d];
    let decoder = 0;
    for (let i = 1; i < dec.length; i++) decoder += dec[i - 1]! * dec[i]! + dec[i]!;
    const tied = this.tied === 'yes' || (this.tied === 'default' && this.family === 'linear');
    return enc + (tied ? decoder - weights : decoder);
  }

  setFamily(f: Family): void {
    // Widths the user has not changed follow the family's suggestion.
    if (this.hidden.trim() === SUGGESTED_HIDDEN[this.family] || !KNOBS[f].hidden)
      this.hidden = SUGGESTED_HIDDEN[f];
    this.family = f;
    this.serverErrors = {};
    if (!KNOBS[f].output) this.output = 'gaussian';
  }

  /** After a failed start: the engine's message, split by field where it names one. */
  setServerError(message: string): boolean {
    const e = fieldErrors(message);
    this.serverErrors = e;
    return Object.keys(e).length > 0;
  }
}
