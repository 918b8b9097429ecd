/**
 * The linear family reaches PCA (docs/theory.md, "Linear (PCA)"; Baldi & Hornik 1989) with default settings: on data
 * with a clear spectral gap, every principal angle between the learned decoder subspace and an exact
 * PCA is below 1°, and the reconstruction error equals PCA's to 0.5 %.
 */
import { runTraining } from '../../../electron/engine/run';
import {
  fitPca,
  meanSquaredError,
  pcaReconstruct,
  principalAngles,
  basisVectors,
} from '../../../electron/engine/analysis/pca';
import { normalize } from '../../../electron/engine/data/normalize';
import { splitIndices, takeRows } from '../../../electron/engine/data/split';
import { loadDataset } from '../../../electron/data/load';
import { datasetOf, lowRankData, useWasm } from './helpers';

beforeAll(useWasm);

const cases = [
  { d: 10, k: 3, scales: [5, 4, 3], noise: 0.3, seed: 1 },
  { d: 24, k: 5, scales: [6, 5, 4, 3, 2], noise: 0.4, seed: 2 },
  { d: 40, k: 2, scales: [4, 2], noise: 0.3, seed: 3 },
];

test.each(cases)(
  'd = $d, k = $k: principal angles < 1° and MSE within 0.5 % of PCA',
  async ({ d, k, scales, noise, seed }) => {
    const n = 1500;
    const ds = datasetOf(lowRankData(n, d, scales, noise, seed), n, d);
    const r = await runTraining({ dataset: ds, config: { family: 'linear', latent: k } });
    // Defaults: full batch, a decaying (cosine) learning rate, standard normalisation, 10 % validation.
    expect(r.train.batchSize).toBe(0);
    expect(r.train.schedule.kind).toBe('cosine');

    // An independent exact PCA of the same (normalised) training rows.
    const split = splitIndices(n, r.train.valSplit, r.train.seed);
    const x = takeRows(normalize(r.normalizer, ds.data), d, split.train);
    const pca = fitPca(x, split.train.length, d, k);
    const gap = pca.variances[k - 1]! / pca.variances[k]!;
    expect(gap).toBeGreaterThan(5);
    const angles = principalAngles(decoderSubspace(r.model, d, k), basisVectors(pca));
    expect(angles).toHaveLength(k);
    expect(Math.max(...angles)).toBeLessThan(1);
    expect(r.metrics.principalAnglesDeg).toHaveLength(k);
    expect(Math.max(...r.metrics.principalAnglesDeg!)).toBeLessThan(1);

    const pcaMse = meanSquaredError(x, pcaReconstruct(pca, x, split.train.length));
    expect(Math.abs(r.metrics.trainMse / pcaMse - 1)).toBeLessThan(0.005);
    expect(r.metrics.pca!.trainMse).toBeCloseTo(pcaMse, 6);
    console.log(
      `linear vs PCA, d=${d} k=${k} (${r.stopped}, ${r.history.length} epochs, gap ${gap.toFixed(1)}): max angle ${Math.max(...angles).toExponential(2)}°, MSE ${r.metrics.trainMse.toPrecision(6)} vs PCA ${pcaMse.toPrecision(6)}`,
    );
    r.model.dispose();
  },
);

/** The decoder's k directions (its column space), read from the weights. */
function decoderSubspace(
  model: { getWeights(): { name: string; shape: number[]; data: Float32Array }[] },
  d: number,
  k: number,
) {
  const ws = model.getWeights();
  const dec = ws.find((w) => w.name === 'dec.0.w');
  if (dec) return Array.from({ length: k }, (_, j) => dec.data.slice(j * d, (j + 1) * d)); // [k, d]
  const enc = ws.find((w) => w.name === 'enc.0.w')!; // tied: [d, k], read transposed
  return Array.from({ length: k }, (_, j) =>
    Float32Array.from({ length: d }, (_, i) => enc.data[i * k + j]!),
  );
}

/**
 * "Linear = PCA at any scale": 8×8 digit images with integer pixel counts 0–16 (as UCI's optdigits
 * were made: 32×32 bitmaps counted per 4×4 block), trained raw (`normalize: none`). Before the
 * linear family trained in its centred, rescaled frame (engine/data/linear-frame.ts) this ended 38°
 * from the PCA subspace at 1.017× PCA's error.
 */
test('raw integer-valued images (0–16, no normalisation): largest angle ≤ 1°, MSE ≤ 1.001× PCA', async () => {
  const digits = await loadDataset('sample:digits?rows=1500');
  const n = digits.rows;
  const d = 64;
  const data = new Float32Array(n * d);
  for (let r = 0; r < n; r++)
    for (let b = 0; b < d; b++) {
      const by = Math.floor(b / 8);
      const bx = b % 8;
      let c = 0;
      for (let y = 0; y < 4; y++)
        for (let x = 0; x < 4; x++) {
          const yy = by * 4 + y - 2;
          const xx = bx * 4 + x - 2;
          if (yy >= 0 && yy < 28 && xx >= 0 && xx < 28 && digits.data[r * 784 + yy * 28 + xx]! > 0.5) c++;
        }
      data[r * d + b] = c;
    }
  const r = await runTraining({
    dataset: datasetOf(data, n, d),
    config: { family: 'linear', latent: 2 },
    train: { normalize: 'none' },
  });
  try {
    expect(r.normalizer.kind).toBe('none');
    const split = splitIndices(n, r.train.valSplit, r.train.seed);
    const x = takeRows(data, d, split.train); // raw units
    const pca = fitPca(x, split.train.length, d, 2);
    const angles = principalAngles(decoderSubspace(r.model, d, 2), basisVectors(pca));
    const pcaMse = meanSquaredError(x, pcaReconstruct(pca, x, split.train.length));
    console.log(
      `linear vs PCA on raw 0–16 digits: max angle ${Math.max(...angles).toExponential(2)}°, MSE ${r.metrics.trainMse.toPrecision(6)} vs PCA ${pcaMse.toPrecision(6)}`,
    );
    expect(Math.max(...angles)).toBeLessThanOrEqual(1);
    expect(Math.max(...r.metrics.principalAnglesDeg!)).toBeLessThanOrEqual(1);
    expect(r.metrics.trainMse / pcaMse).toBeLessThanOrEqual(1.001);
    // The model works in raw units: its reconstructions are PCA's.
    const rec = takeRows(r.reconstructions, d, split.train);
    expect(meanSquaredError(x, rec) / pcaMse).toBeLessThanOrEqual(1.001);
  } finally {
    r.model.dispose();
  }
});
