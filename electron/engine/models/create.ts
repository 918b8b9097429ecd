/** createAutoencoder: the family's model class, initialised from the seed. */
import type { ModelConfig, ModelConfigInput } from '../../shared/model-config';
import { parseModelConfig } from '../../shared/model-config';
import type { CategoricalGroup } from '../../shared/dataset';
import { UserError } from '../../shared/errors';
import { createRng } from '../random';
import { outputSpec } from '../losses';
import { ParamStore } from './params';
import { DenseAutoencoder } from './dense';
import { VaeAutoencoder } from './vae';
import { PsdAutoencoder } from './psd';

export type AnyAutoencoder = DenseAutoencoder | VaeAutoencoder | PsdAutoencoder;

export interface CreateOptions {
  seed?: number;
  /** The dataset's one-hot groups (needed for the categorical output). */
  categorical?: readonly CategoricalGroup[];
}

export function createAutoencoder(
  config: ModelConfig | ModelConfigInput,
  inputDims: number,
  opts: CreateOptions = {},
): AnyAutoencoder {
  const cfg = parseModelConfig(config);
  if (!(Number.isInteger(inputDims) && inputDims >= 1))
    throw new UserError('bad-dims', `input dims must be ≥ 1, got ${inputDims}`);
  if (cfg.output === 'categorical' && !opts.categorical?.length)
    throw new UserError(
      'no-categorical',
      'the categorical output needs categorical columns (one-hot groups) in the dataset; use gaussian or bernoulli',
    );
  const output = outputSpec(cfg.output, inputDims, opts.categorical ?? []);
  const params = new ParamStore(createRng((opts.seed ?? 0) ^ 0x1d1));
  if (cfg.family === 'vae') return new VaeAutoencoder(cfg, inputDims, output, params);
  if (cfg.family === 'psd') return new PsdAutoencoder(cfg, inputDims, output, params);
  return new DenseAutoencoder(cfg, inputDims, output, params);
}
