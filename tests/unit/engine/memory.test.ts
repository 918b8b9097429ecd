/** No tensor leaks: tf.memory().numTensors is the same after epoch 2 as after epoch 20, per family. */
import { tf } from '../../../electron/engine/tf';
import { runTraining } from '../../../electron/engine/run';
import type { ModelConfigInput } from '../../../electron/shared/model-config';
import { datasetOf, lowRankData, useCpu } from './helpers';

beforeAll(useCpu);

const n = 60,
  d = 5;
const ds = datasetOf(lowRankData(n, d, [2, 1], 0.2, 8), n, d);

const configs: [string, ModelConfigInput][] = [
  ['linear', { family: 'linear', latent: 2 }],
  ['sparse', { family: 'sparse', latent: 3, hidden: [4] }],
  [
    'denoising (salt-and-pepper)',
    { family: 'denoising', latent: 2, hidden: [4], noise: { kind: 'salt-pepper', level: 0.2 } },
  ],
  ['contractive (exact)', { family: 'contractive', latent: 2, hidden: [4], activation: 'tanh' }],
  ['contractive (stochastic)', { family: 'contractive', latent: 2, contractive: { method: 'stochastic' } }],
  [
    'contractive, greedy (one contractive layer at a time)',
    { family: 'contractive', latent: 2, hidden: [4], pretrain: { mode: 'greedy', epochs: 2 } },
  ],
  ['deep (greedy)', { family: 'deep', latent: 2, hidden: [6, 4], pretrain: { mode: 'greedy', epochs: 2 } }],
  ['vae', { family: 'vae', latent: 2, hidden: [4] }],
  ['psd', { family: 'psd', latent: 4, psd: { steps: 5 } }],
  ['hashing (straight-through)', { family: 'hashing', latent: 3, hashing: { method: 'straight-through' } }],
];

test.each(configs)('%s: the tensor count is flat from epoch 2 to epoch 20', async (_name, config) => {
  const counts = new Map<string, number>();
  const before = tf.memory().numTensors;
  const r = await runTraining(
    { dataset: ds, config, train: { epochs: 20, batchSize: 16, patience: 50 } },
    {
      onEpochEnd: (h) => {
        if (h.stage === undefined || h.stage === 'finetune') counts.set(`${h.epoch}`, tf.memory().numTensors);
      },
      onBatchEnd: () => undefined,
    },
    undefined,
    { throttleMs: 0 },
  );
  expect(counts.get('2')).toBeDefined();
  expect(counts.get('20')).toBe(counts.get('2'));
  r.model.dispose();
  expect(tf.memory().numTensors).toBe(before);
});
