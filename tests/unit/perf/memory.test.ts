import { tf } from '../../../electron/engine/tf';
import { setupNodeBackend } from '../../../electron/hosts/node/backends';
import { createRawMlp } from '../../../electron/bench/raw-mlp';
import { FAMILY_CONFIGS, curveData, trainFamily } from './train-helpers';

// No tensor or backend buffer may accumulate over a run: the counts at every epoch end are equal
// (heap and RSS over 100 epochs are measured by `npm run bench` and reported in docs/performance.md).

describe.each(['wasm', 'cpu'] as const)('no growth across epochs on %s', (backend) => {
  beforeAll(async () => {
    await setupNodeBackend(backend);
  });

  test.each(Object.keys(FAMILY_CONFIGS))('the training loop, %s', async (family) => {
    const x = curveData(48);
    const counts: { tensors: number; buffers: number }[] = [];
    const before = tf.memory().numTensors;
    await trainFamily(FAMILY_CONFIGS[family]!, x, 12, {
      onEpochEnd: () => {
        counts.push({ tensors: tf.memory().numTensors, buffers: tf.engine().backend.numDataIds() });
      },
    });
    // Greedy pretraining's stages hold their own inputs: compare the fine-tuning epochs only.
    const last = counts.slice(-10);
    expect(last).toHaveLength(10);
    for (const c of last) expect(c).toEqual(last[0]);
    x.dispose();
    // The model and the optimiser state are gone with the run: back to the count before it.
    expect(tf.memory().numTensors).toBe(before - 1);
  });

  test('the benchmark’s raw MLP', async () => {
    const x = tf.randomUniform([40, 12], 0, 1, 'float32', 1) as tf.Tensor2D;
    const net = createRawMlp(
      { dims: 12, hidden: [8], latent: 3 },
      { batch: 16, lr: 1e-3, seed: 1, optimizer: 'fused' },
    );
    const counts: number[] = [];
    for (let e = 0; e < 30; e++) {
      await net.epoch(x);
      counts.push(tf.memory().numTensors);
    }
    expect(new Set(counts.slice(1)).size).toBe(1);
    net.dispose();
    x.dispose();
  });
});
