import { tf } from '../../../electron/engine/tf';
import { createAutoencoder } from '../../../electron/engine/models/create';
import { train, type TrainCallbacks } from '../../../electron/engine/train';
import {
  parseModelConfig,
  parseTrainOptions,
  resolveTrainOptions,
  type ModelConfigInput,
} from '../../../electron/shared/model-config';

/** A small configuration of every family (docs/theory.md), on d = 6 inputs. */
export const FAMILY_CONFIGS: Record<string, ModelConfigInput> = {
  linear: { family: 'linear', latent: 2 },
  undercomplete: { family: 'undercomplete', hidden: [5], latent: 2 },
  sparse: { family: 'sparse', hidden: [5], latent: 4 },
  denoising: { family: 'denoising', hidden: [5], latent: 2 },
  'contractive (closed form)': { family: 'contractive', latent: 3 },
  'contractive (exact)': { family: 'contractive', hidden: [5], latent: 2 },
  deep: { family: 'deep', hidden: [5, 4], latent: 2, pretrain: { mode: 'greedy', epochs: 2 } },
  vae: { family: 'vae', hidden: [5], latent: 2, output: 'bernoulli' },
  psd: { family: 'psd', latent: 4, psd: { steps: 5 } },
  hashing: { family: 'hashing', hidden: [5], latent: 3 },
};

/** Train `config` on `x` with a constant learning rate and no validation split. */
export async function trainFamily(
  config: ModelConfigInput,
  x: tf.Tensor2D,
  epochs: number,
  callbacks: TrainCallbacks = {},
  batchSize = 16,
): Promise<number[]> {
  const cfg = parseModelConfig(config);
  const model = createAutoencoder(cfg, x.shape[1], { seed: 7 });
  try {
    const opts = resolveTrainOptions(
      parseTrainOptions({
        epochs,
        batchSize,
        lr: 0.01,
        schedule: { kind: 'constant' },
        patience: 0,
        valSplit: 0,
        seed: 3,
      }),
      cfg,
      x.shape[0],
    );
    const r = await train(model, { train: x }, opts, callbacks);
    return r.history.map((h) => h.loss);
  } finally {
    model.dispose();
  }
}

/** Rows in [0, 1] near a curve (a 1-D manifold in d = 6): deterministic, backend-independent. */
export function curveData(rows: number): tf.Tensor2D {
  const v = new Float32Array(rows * 6);
  for (let i = 0; i < rows; i++) {
    const t = (i / rows) * Math.PI * 2;
    const row = [
      Math.sin(t),
      Math.cos(t),
      Math.sin(2 * t),
      Math.cos(3 * t),
      t / 7,
      Math.sin(t) * Math.cos(t),
    ];
    row.forEach((c, j) => (v[i * 6 + j] = 0.5 + 0.4 * c * (j === 4 ? 1 : 1)));
  }
  return tf.tensor2d(v, [rows, 6]);
}
