/** The objective a model trains on, by family; and the objective of one greedy stage. */
import { tf } from '../tf';
import type { ModelConfig } from '../../shared/model-config';
import { outputSpec } from '../losses';
import type { ColumnRange } from '../corruption';
import type { AnyAutoencoder } from '../models/create';
import type { DenseAutoencoder } from '../models/dense';
import type { CodecView } from '../models/stack';
import { denseObjective } from './dense';
import { hashingObjective } from './hashing';
import { psdObjective } from './psd';
import { vaeObjective } from './vae';
import type { Objective } from './objective';

export type { Objective } from './objective';

/** Column min/max of the training inputs (salt-and-pepper needs them), kept until disposed. */
function columnRange(x: tf.Tensor2D): ColumnRange {
  return tf.tidy(() => ({ min: tf.min(x, 0) as tf.Tensor1D, max: tf.max(x, 0) as tf.Tensor1D }));
}

function viewObjective(view: CodecView, cfg: ModelConfig, trainX: tf.Tensor2D): Objective {
  if (cfg.family === 'hashing') return hashingObjective(view, cfg);
  const needsRange = cfg.family === 'denoising' && cfg.noise.kind === 'salt-pepper';
  const range = needsRange ? columnRange(trainX) : undefined;
  const o = denseObjective(view, cfg, range);
  return { ...o, dispose: () => range && tf.dispose([range.min, range.max]) };
}

/** The full model's objective; `trainX` is the (normalised) training data. */
export function createObjective(model: AnyAutoencoder, trainX: tf.Tensor2D): Objective {
  if (model.kind === 'vae') return vaeObjective(model);
  if (model.kind === 'psd') return psdObjective(model);
  return viewObjective(model.view, model.config, trainX);
}

/** Greedy stage i's objective on its input h_{i−1} (the family's penalty applies to each stage). */
export function stageObjective(model: DenseAutoencoder, i: number, stageInput: tf.Tensor2D): Objective {
  const output =
    i === 0
      ? model.output
      : outputSpec('gaussian', stageInput.shape[1], [], model.decoderLayers[model.depth - 1 - i]!.activation);
  return viewObjective(model.stageView(i, output), model.config, stageInput);
}
