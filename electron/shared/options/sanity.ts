/**
 * Options that defeat their family, said before training (the command line's `warning:` lines, a
 * note beside the model panel's field): a Bernoulli decoder on data that will not lie in [0, 1], a
 * code no smaller than the input for the families that must compress, a batch larger than the
 * training rows, raw data whose columns differ by orders of magnitude. Only what cannot run is
 * refused (by the schemas); these train, but not as the user means. One rule set for every face:
 * the engine records them in run.json (engine/warnings.ts), the panel reads them for its fields.
 */
import type { ModelConfig } from '../model-config';
import type { ResolvedTrainOptions } from '../train-config';

/** What the rules need to know of the data: its shape and its raw value range. */
export interface DataFacts {
  rows: number;
  trainRows: number;
  dims: number;
  min: number;
  max: number;
}

export interface OptionNote {
  /** The options the note belongs beside (paths of the options table), the first the one to change. */
  paths: string[];
  message: string;
  /** A change that resolves it: option path → value as typed. */
  fix?: { label: string; set: Record<string, string> };
}

const fmt = (v: number) => Number(v.toPrecision(3)).toString();

export function optionNotes(config: ModelConfig, train: ResolvedTrainOptions, data: DataFacts): OptionNote[] {
  const out: OptionNote[] = [];
  if (config.output === 'bernoulli' && train.normalize !== 'minmax') {
    const inside = train.normalize === 'none' && data.min >= 0 && data.max <= 1;
    if (!inside)
      out.push({
        paths: ['train.normalize', 'config.output'],
        message:
          train.normalize === 'none'
            ? `A Bernoulli output needs data in [0, 1], but the data span [${fmt(data.min)}, ${fmt(data.max)}]: use minmax normalisation (or a gaussian output).`
            : `A Bernoulli output needs targets in [0, 1]; ${train.normalize} normalisation gives values outside it: use minmax normalisation (or a gaussian output).`,
        fix: { label: 'Use minmax', set: { 'train.normalize': 'minmax' } },
      });
  }
  // The families that must compress; regularised ones (sparse, denoising, contractive…) may be overcomplete.
  if (['linear', 'undercomplete', 'deep'].includes(config.family) && config.latent >= data.dims)
    out.push({
      paths: ['config.latent'],
      message: `The code (k = ${config.latent}) is not smaller than the input (d = ${data.dims}): an undercomplete autoencoder can copy its input without learning its structure. Use k < d, or a regularised family.`,
      fix: {
        label: `Use k = ${Math.max(1, data.dims - 1)}`,
        set: { 'config.latent': String(Math.max(1, data.dims - 1)) },
      },
    });
  if (train.batchSize > data.trainRows)
    out.push({
      paths: ['train.batchSize'],
      message: `A batch of ${train.batchSize} is larger than the ${data.trainRows} training rows: every step takes them all (0 says so: full batch).`,
      fix: { label: 'Use full batches', set: { 'train.batchSize': '0' } },
    });
  if (
    config.output === 'gaussian' &&
    train.normalize === 'none' &&
    config.family !== 'linear' &&
    data.max - data.min > 1e3
  )
    out.push({
      paths: ['train.normalize'],
      message: `Without normalisation the data span [${fmt(data.min)}, ${fmt(data.max)}]: squared errors will be ruled by the widest columns. Use standard normalisation.`,
      fix: { label: 'Use standard', set: { 'train.normalize': 'standard' } },
    });
  return out;
}
