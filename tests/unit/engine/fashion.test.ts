/**
 * Depth pays on real images (docs/theory.md, "Deep and greedy pretraining", Hinton & Salakhutdinov 2006): a small deep autoencoder
 * trained briefly on 2,000 Fashion-MNIST images (Debian's dataset-fashion-mnist) reconstructs
 * 500 held-out images better than PCA with the same number of components.
 */
import { existsSync } from 'node:fs';
import { tf } from '../../../electron/engine/tf';
import { createAutoencoder } from '../../../electron/engine/models/create';
import { train } from '../../../electron/engine/train';
import { parseTrainOptions, resolveTrainOptions } from '../../../electron/shared/model-config';
import { meanSquaredError, pcaReconstruct } from '../../../electron/engine/analysis/pca';
import { fitPcaBaseline } from '../../../electron/engine/metrics/baseline';
import { loadDataset } from '../../../electron/data/load';
import { useWasm } from './helpers';

const FILE = '/usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz';

beforeAll(useWasm);

test('a 784-128-4 autoencoder beats 4-component PCA on held-out Fashion-MNIST', async () => {
  expect(existsSync(FILE), `${FILE} is missing: apt-get install dataset-fashion-mnist`).toBe(true);
  const images = await loadDataset(FILE);
  expect([images.dims, images.image?.width, images.image?.height]).toEqual([784, 28, 28]);
  const d = 784,
    k = 4,
    nTrain = 2000,
    nTest = 500;
  const trainX = images.data.slice(0, nTrain * d); // intensities in [0, 1]
  const testX = images.data.slice(nTrain * d, (nTrain + nTest) * d);

  const model = createAutoencoder(
    { family: 'deep', latent: k, hidden: [128], activation: 'elu', output: 'bernoulli' },
    d,
    { seed: 1 },
  );
  const options = resolveTrainOptions(
    parseTrainOptions({ epochs: 8, lr: 0.002, seed: 1 }),
    model.config,
    nTrain,
  );
  const x = tf.tensor2d(trainX, [nTrain, d]);
  await train(model, { train: x }, options);
  const rec = tf.tidy(() => model.reconstruct(tf.tensor2d(testX, [nTest, d])).dataSync() as Float32Array);
  const aeMse = meanSquaredError(testX, rec);

  const pca = (await fitPcaBaseline(trainX, nTrain, d, k))!;
  const pcaMse = meanSquaredError(testX, pcaReconstruct(pca, testX, nTest));
  console.log(`Fashion-MNIST, k = ${k}, held-out MSE: deep AE ${aeMse.toFixed(5)}, PCA ${pcaMse.toFixed(5)}`);
  expect(aeMse).toBeLessThan(0.95 * pcaMse);
  x.dispose();
  model.dispose();
}, 180_000);
