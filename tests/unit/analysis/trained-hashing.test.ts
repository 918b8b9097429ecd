/**
 * Semantic hashing (docs/theory.md, "Hashing") trained on real images against its baselines at the same bits.
 */
import { loadDataset } from '../../../electron/data/load';
import { compareHashing } from '../../../electron/engine/analysis/hashing-eval';
import type { Dataset } from '../../../electron/shared/dataset';
import { setupNodeBackend } from '../../../electron/hosts/node/backends';
import { train } from './trained-helpers';

beforeAll(async () => {
  await setupNodeBackend('wasm');
}, 240_000);

test('semantic hashing on Fashion-MNIST (32 bits) beats sign-of-PCA codes in precision@100', async () => {
  const all = await loadDataset('/usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz');
  const rows = 3000;
  const ds: Dataset = {
    ...all,
    rows,
    data: all.data.slice(0, rows * all.dims),
    labels: all.labels!.slice(0, rows),
  };
  const r = await train(
    ds,
    { family: 'hashing', latent: 32, hidden: [256], output: 'bernoulli' },
    { epochs: 25, batchSize: 64, seed: 3 },
  );
  try {
    const cmp = compareHashing(r.codes, ds.data, rows, ds.dims, 32, ds.labels!, {
      k: 100,
      maxQueries: 400,
      seed: 1,
    });
    console.log(
      `hashing (32 bits, ${rows} Fashion-MNIST rows): precision@100 model ${cmp.model.precisionAtK.toFixed(3)}, ` +
        `sign-PCA ${cmp.signPca.precisionAtK.toFixed(3)}, LSH ${cmp.lsh.precisionAtK.toFixed(3)}; ` +
        `mAP ${cmp.model.meanAveragePrecision.toFixed(3)} / ${cmp.signPca.meanAveragePrecision.toFixed(3)} / ${cmp.lsh.meanAveragePrecision.toFixed(3)}; ` +
        `bit entropy ${cmp.model.bitEntropy.toFixed(3)}, constant bits ${cmp.model.constantBits}`,
    );
    expect(Array.from(r.codes).every((b) => b === 0 || b === 1)).toBe(true);
    expect(cmp.model.precisionAtK).toBeGreaterThan(cmp.signPca.precisionAtK);
    expect(cmp.model.precisionAtK).toBeGreaterThan(cmp.lsh.precisionAtK);
  } finally {
    r.model.dispose();
  }
}, 240_000);
