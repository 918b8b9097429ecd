/**
 * The analysis on models the engine trained (docs/theory.md, "Linear (PCA)" and "The score r(x) − x"): the linear autoencoder's tangent
 * basis is its decoder's column space; a denoising autoencoder's r(x) − x against the true score of
 * a Gaussian mixture.
 */
import { loadDataset } from '../../../electron/data/load';
import { sampleScore } from '../../../electron/data/samples/generate';
import { tangentPlanes } from '../../../electron/engine/analysis/tangents';
import { scoreCosines, scoreField } from '../../../electron/engine/analysis/score';
import { orthonormalRows, principalAngles, toDegrees } from '../../../electron/engine/analysis/linalg';
import { setupNodeBackend } from '../../../electron/hosts/node/backends';
import { lowRankData } from '../engine/helpers';
import { train, view } from './trained-helpers';

beforeAll(async () => {
  await setupNodeBackend('wasm');
});

test('linear autoencoder: the tangent basis spans its decoder’s column space (< 0.1°)', async () => {
  const d = 6;
  const data = lowRankData(600, d, [3, 2], 0.05);
  const r = await train(
    { name: 'low-rank', source: 'test', sha256: '-', rows: 600, dims: d, data },
    { family: 'linear', latent: 2 },
    { epochs: 50 },
  );
  try {
    // The decoder's matrix W_dec [k, d] (the linear family ties it to the encoder: W_dec = W_encᵀ).
    const weights = r.model.getWeights();
    const dec = weights.find((x) => x.name === 'dec.0.w');
    const enc = weights.find((x) => x.name === 'enc.0.w')!; // [d, k]
    const wDec = (j: number, c: number) => (dec ? dec.data[j * d + c]! : enc.data[c * 2 + j]!);
    // In original units the decoder's columns are scaled by the normaliser: diag(scale)·W_decᵀ.
    const cols = Float64Array.from(
      { length: 2 * d },
      (_, i) => wDec(Math.floor(i / d), i % d) * r.normalizer.scale[i % d]!,
    );
    const q = orthonormalRows(cols, 2, d);
    const pts = data.subarray(0, 20 * d);
    const t = await tangentPlanes(view(r), Float32Array.from(pts), 20);
    expect(t.m).toBe(2);
    for (let i = 0; i < 20; i++) {
      const angles = principalAngles(t.tangents.subarray(i * 2 * d, (i + 1) * 2 * d), 2, q, 2, d).map(
        toDegrees,
      );
      expect(Math.max(...angles)).toBeLessThan(0.1);
    }
  } finally {
    r.model.dispose();
  }
});

test('denoising autoencoder on a Gaussian mixture: r(x) − x follows the true score', async () => {
  const ds = await loadDataset('sample:gaussian-mixture?rows=2000&seed=1');
  const params = { rows: 2000, seed: 1 };
  const r = await train(
    ds,
    {
      family: 'denoising',
      latent: 8,
      hidden: [64],
      activation: 'tanh',
      noise: { kind: 'gaussian', level: 0.3 },
    },
    { epochs: 60, batchSize: 64, seed: 2, normalize: 'none' },
  );
  try {
    const mv = view(r);
    // Near the data: the training points themselves.
    const near = ds.data.subarray(0, 300 * 2);
    const v = await scoreField(mv, Float32Array.from(near), 300);
    const cos = scoreCosines(mv.normalizer.scale, v, sampleScore('gaussian-mixture', params, near), 300);
    const meanCos = Array.from(cos).reduce((a, b) => a + b, 0) / 300;
    console.log(`mixture: mean cosine of r(x) − x to the true score ${meanCos.toFixed(3)}`);
    expect(meanCos).toBeGreaterThanOrEqual(0.9);
    // Its magnitude grows with the distance from the data: points pushed outwards along a ray.
    const norms = [];
    for (const s of [1.0, 1.5, 2.0, 2.5]) {
      const p = Float32Array.from(near.subarray(0, 100 * 2), (x) => x * s);
      const f = await scoreField(mv, p, 100);
      let n = 0;
      for (let i = 0; i < 100; i++) n += Math.hypot(f[2 * i]!, f[2 * i + 1]!);
      norms.push(n / 100);
    }
    console.log(
      `mixture: mean |r(x) − x| at 1×, 1.5×, 2×, 2.5× the data's radius: ${norms.map((x) => x.toFixed(3)).join(', ')}`,
    );
    for (let i = 1; i < norms.length; i++) expect(norms[i]).toBeGreaterThan(norms[i - 1]!);
  } finally {
    r.model.dispose();
  }
});
