/**
 * What the analysis says about models the engine actually trained (THEORY.md §1, §2.2, §6, §7):
 * the linear autoencoder's tangent basis is its decoder's column space; tangent planes of trained
 * models on the built-in manifolds against their true tangents; a denoising autoencoder's r(x) − x
 * against the true score of a Gaussian mixture. The thresholds are the figures measured here with
 * these small, CI-sized trainings (README "Analysis" gives them with longer ones).
 */
import { runTraining } from '../../../electron/engine/run';
import type { RunResult } from '../../../electron/engine/run';
import { loadDataset } from '../../../electron/data/load';
import { sampleScore } from '../../../electron/data/samples/generate';
import { tangentAngles, tangentPlanes } from '../../../electron/engine/analysis/tangents';
import { scoreCosines, scoreField } from '../../../electron/engine/analysis/score';
import { orthonormalRows, principalAngles, toDegrees } from '../../../electron/engine/analysis/linalg';
import type { ModelView } from '../../../electron/engine/analysis/model-view';
import type { ModelConfigInput, TrainOptionsInput } from '../../../electron/shared/model-config';
import type { Dataset } from '../../../electron/shared/dataset';
import { setupNodeBackend } from '../../../electron/hosts/node/backends';
import { lowRankData } from '../engine/helpers';
import { compareHashing } from '../../../electron/engine/analysis/hashing-eval';

beforeAll(async () => {
  await setupNodeBackend('wasm');
});

const view = (r: RunResult): ModelView => ({
  inputDims: r.model.inputDims,
  latent: r.model.latent,
  normalizer: r.normalizer,
  encode: (x) => r.model.encode(x),
  decode: (h) => r.model.decode(h),
  reconstruct: (x) => r.model.reconstruct(x),
});

async function train(
  dataset: Dataset,
  config: ModelConfigInput,
  train: TrainOptionsInput,
): Promise<RunResult> {
  return runTraining({ dataset, config, train: { valSplit: 0, ...train } });
}

const median = (a: ArrayLike<number>) => {
  const s = Array.from(a).sort((x, y) => x - y);
  return s[Math.floor((s.length - 1) / 2)]!;
};

async function medianAngle(r: RunResult, spec: string): Promise<number> {
  const pts = await loadDataset(spec);
  const m = pts.truth!.intrinsicDims;
  const t = await tangentPlanes(view(r), pts.data, pts.rows, { dims: m });
  return median(tangentAngles(t.tangents, t.m, pts.truth!.tangents!, m, pts.rows, pts.dims));
}

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

describe('tangent planes of trained models against the true tangents', () => {
  test('helix (1-D): median angle under 15°', async () => {
    const ds = await loadDataset('sample:helix?rows=800&noise=0.01&seed=1');
    const r = await train(
      ds,
      { family: 'undercomplete', latent: 1, hidden: [64, 64], activation: 'tanh' },
      { epochs: 120, batchSize: 32, lr: 0.003, seed: 1 },
    );
    try {
      const angle = await medianAngle(r, 'sample:helix?rows=200&noise=0&seed=9');
      console.log(`helix: median tangent angle ${angle.toFixed(2)}°`);
      expect(angle).toBeLessThan(15);
    } finally {
      r.model.dispose();
    }
  });

  test('sphere (2-D): median angle under 25°', async () => {
    const ds = await loadDataset('sample:sphere?rows=1500&noise=0.01&seed=1');
    const r = await train(
      ds,
      { family: 'undercomplete', latent: 2, hidden: [64, 64], activation: 'tanh' },
      { epochs: 60, batchSize: 32, seed: 1 },
    );
    try {
      const angle = await medianAngle(r, 'sample:sphere?rows=200&noise=0&seed=9');
      console.log(`sphere: median tangent angle ${angle.toFixed(2)}°`);
      expect(angle).toBeLessThan(25);
    } finally {
      r.model.dispose();
    }
  });

  test('swiss roll (2-D): median angle under 25°', async () => {
    const ds = await loadDataset('sample:swiss-roll?rows=1500&noise=0.05&seed=1');
    const r = await train(
      ds,
      { family: 'undercomplete', latent: 2, hidden: [64, 64, 64], activation: 'tanh' },
      { epochs: 80, batchSize: 32, lr: 0.003, seed: 1 },
    );
    try {
      const angle = await medianAngle(r, 'sample:swiss-roll?rows=200&noise=0&seed=9');
      console.log(`swiss roll: median tangent angle ${angle.toFixed(2)}°`);
      expect(angle).toBeLessThan(25);
    } finally {
      r.model.dispose();
    }
  });
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
});
