import { tf } from '../../../electron/engine/tf';
import { fullJacobian } from '../../../electron/engine/analysis/full-jacobian';
import { localDimension, tangentAngles, tangentPlanes } from '../../../electron/engine/analysis/tangents';
import { scoreCosines, scoreField, trajectories } from '../../../electron/engine/analysis/score';
import { gridPoints, gridTriangles, boundingBox } from '../../../electron/engine/analysis/grid';
import { orthonormalRows, principalAngles, toDegrees } from '../../../electron/engine/analysis/linalg';
import type { ModelView } from '../../../electron/engine/analysis/model-view';
import type { Normalizer } from '../../../electron/engine/data/normalize';
import { createRng } from '../../../electron/engine/random';
import { setupNodeBackend } from '../../../electron/hosts/node/backends';

beforeAll(async () => {
  await setupNodeBackend('cpu');
});

const rng = createRng(21);
const d = 5,
  k = 2;
const We = Float32Array.from({ length: d * k }, () => rng.normal()); // d × k
const Wd = Float32Array.from({ length: k * d }, () => rng.normal()); // k × d
const norm: Normalizer = {
  kind: 'standard',
  offset: Float32Array.from([1, -2, 0.5, 3, 0]),
  scale: Float32Array.from([2, 0.5, 1, 4, 1.5]),
};

function linearModel(): ModelView {
  const we = tf.tensor2d(We, [d, k]);
  const wd = tf.tensor2d(Wd, [k, d]);
  return {
    inputDims: d,
    latent: k,
    normalizer: norm,
    encode: (x) => tf.matMul(x, we),
    decode: (h) => tf.matMul(h, wd),
    reconstruct: (x) => tf.matMul(tf.matMul(x, we), wd),
  };
}

/** A smooth non-linear model for the finite-difference check. */
function tanhModel(): ModelView {
  const we = tf.tensor2d(We, [d, k]);
  const wd = tf.tensor2d(Wd, [k, d]);
  return {
    inputDims: d,
    latent: k,
    normalizer: norm,
    encode: (x) => tf.tanh(tf.matMul(x, we)) as tf.Tensor2D,
    decode: (h) => tf.sin(tf.matMul(h, wd)) as tf.Tensor2D,
    reconstruct: (x) => tf.sin(tf.matMul(tf.tanh(tf.matMul(x, we)), wd)) as tf.Tensor2D,
  };
}

const points = (n: number) => Float32Array.from({ length: n * d }, () => rng.normal());

describe('exact Jacobians', () => {
  test('match central finite differences', async () => {
    const m = tanhModel();
    const x = points(3);
    const J = await fullJacobian((t) => m.encode(t), x, 3, d, k, 4); // small maxRows exercises chunking
    const h = 1e-3;
    for (let i = 0; i < 3; i++)
      for (let c = 0; c < d; c++) {
        const plus = Float32Array.from(x.subarray(i * d, (i + 1) * d));
        const minus = Float32Array.from(plus);
        plus[c]! += h;
        minus[c]! -= h;
        const fp = tf.tidy(() => m.encode(tf.tensor2d(plus, [1, d])).dataSync());
        const fm = tf.tidy(() => m.encode(tf.tensor2d(minus, [1, d])).dataSync());
        for (let j = 0; j < k; j++)
          expect(J[(i * k + j) * d + c]).toBeCloseTo((fp[j]! - fm[j]!) / (2 * h), 3);
      }
  });
});

describe('tangent planes', () => {
  test('linear decoder: the basis spans diag(scale)·Wdᵀ, in original units (angle < 0.1°)', async () => {
    const m = linearModel();
    const n = 4;
    const { tangents, m: dims, singularValues, intrinsicDims } = await tangentPlanes(m, points(n), n);
    expect(dims).toBe(2);
    expect(Array.from(intrinsicDims)).toEqual([2, 2, 2, 2]);
    // Expected: columns of J = diag(scale) Wdᵀ, i.e. rows j of Wd scaled by `scale`.
    const expected = new Float64Array(k * d);
    for (let j = 0; j < k; j++)
      for (let c = 0; c < d; c++) expected[j * d + c] = Wd[j * d + c]! * norm.scale[c]!;
    const q = orthonormalRows(expected, k, d);
    for (let i = 0; i < n; i++) {
      const basis = tangents.subarray(i * 2 * d, (i + 1) * 2 * d);
      const angles = principalAngles(basis, 2, q, 2, d).map(toDegrees);
      expect(Math.max(...angles)).toBeLessThan(0.1);
      // orthonormal rows
      let dot = 0,
        n0 = 0;
      for (let c = 0; c < d; c++) {
        dot += basis[c]! * basis[d + c]!;
        n0 += basis[c]! ** 2;
      }
      expect(dot).toBeCloseTo(0, 5);
      expect(n0).toBeCloseTo(1, 5);
      expect(singularValues[i * 2]).toBeGreaterThanOrEqual(singularValues[i * 2 + 1]!);
    }
  });

  test('encoder method: the right-singular vectors of Weᵀ·diag(1/scale)', async () => {
    const m = linearModel();
    const { tangents } = await tangentPlanes(m, points(2), 2, { method: 'encoder' });
    const expected = new Float64Array(k * d);
    for (let j = 0; j < k; j++)
      for (let c = 0; c < d; c++) expected[j * d + c] = We[c * k + j]! / norm.scale[c]!;
    const q = orthonormalRows(expected, k, d);
    const angles = principalAngles(tangents.subarray(0, 2 * d), 2, q, 2, d).map(toDegrees);
    expect(Math.max(...angles)).toBeLessThan(0.1);
  });

  test('the local dimension counts singular values above the relative tolerance', () => {
    expect(localDimension([10, 5, 0.5], 0.1)).toBe(2);
    expect(localDimension([10, 0.9], 0.1)).toBe(1);
    expect(localDimension([0, 0], 0.1)).toBe(0);
  });

  test('angles to a true tangent plane', () => {
    const est = Float32Array.from([1, 0, 0]);
    const tilt = (deg: number) =>
      Float32Array.from([Math.cos((deg * Math.PI) / 180), Math.sin((deg * Math.PI) / 180), 0]);
    const a = tangentAngles(
      Float32Array.from([...est, ...est]),
      1,
      Float32Array.from([...tilt(10), ...tilt(45)]),
      1,
      2,
      3,
    );
    expect(a[0]).toBeCloseTo(10, 4);
    expect(a[1]).toBeCloseTo(45, 4);
  });
});

describe('score field and trajectories', () => {
  // r_n(x_n) = P x_n: orthogonal projection onto the first axis (in normalised units).
  const proj: ModelView = {
    inputDims: 2,
    latent: 1,
    normalizer: { kind: 'standard', offset: Float32Array.from([0, 0]), scale: Float32Array.from([1, 3]) },
    encode: (x) => tf.slice(x, [0, 0], [-1, 1]),
    decode: (h) => tf.concat([h, tf.zerosLike(h)], 1),
    reconstruct: (x) => tf.concat([tf.slice(x, [0, 0], [-1, 1]), tf.zeros([x.shape[0], 1])], 1),
  };

  test('r(x) − x in original units, and its cosine to a known score', async () => {
    const x = Float32Array.from([2, 6, -1, -3]); // normalised: (2, 2), (−1, −1)
    const v = await scoreField(proj, x, 2);
    expect(Array.from(v)).toEqual([0, -6, 0, 3]);
    // The true score of p ∝ exp(−y²/2·…) points straight back to y = 0 as well: cosine 1.
    const cos = scoreCosines(proj.normalizer.scale, v, Float32Array.from([0, -1, 0, 1]), 2);
    expect(cos[0]).toBeCloseTo(1, 6);
    expect(cos[1]).toBeCloseTo(1, 6);
  });

  test('descent halves the distance each step with α = 0.5; α = 1 lands at once', async () => {
    const start = Float32Array.from([1, 8]);
    const half = await trajectories(proj, start, 1, { steps: 3, mode: 'descent', alpha: 0.5 });
    expect(Array.from(half)).toEqual([1, 8, 1, 4, 1, 2, 1, 1]);
    const full = await trajectories(proj, start, 1, { steps: 1, mode: 'descent', alpha: 1 });
    expect(Array.from(full)).toEqual([1, 8, 1, 0]);
  });

  test('the corrupt-then-denoise chain applies C then r', async () => {
    const path = await trajectories(proj, Float32Array.from([0, 0]), 1, {
      steps: 2,
      mode: 'chain',
      corrupt: (x) => tf.add(x, tf.tensor2d([[1, 1]])),
    });
    expect(Array.from(path)).toEqual([0, 0, 1, 0, 2, 0]);
  });

  test('no tensors leak', async () => {
    const before = tf.memory().numTensors;
    await trajectories(proj, Float32Array.from([1, 8]), 1, { steps: 5, mode: 'descent' });
    await scoreField(proj, Float32Array.from([1, 8]), 1);
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('grids', () => {
  test('points, box and triangles', () => {
    expect(Array.from(gridPoints([0, 10], [1, 20], 2, 2))).toEqual([0, 10, 0, 20, 1, 10, 1, 20]);
    const { lo, hi } = boundingBox([0, 0, 2, 4], 2, 2, 0.5);
    expect(Array.from(lo)).toEqual([-1, -2]);
    expect(Array.from(hi)).toEqual([3, 6]);
    expect(Array.from(gridTriangles(2))).toEqual([0, 2, 1, 1, 2, 3]);
  });
});
