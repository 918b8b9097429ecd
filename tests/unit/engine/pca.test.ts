/** Exact PCA and principal angles against hand-computed examples. */
import {
  basisVectors,
  fitPca,
  meanSquaredError,
  pcaFromCovariance,
  pcaReconstruct,
  pcaTransform,
  principalAngles,
} from '../../../electron/engine/analysis/pca';

const deg = Math.PI / 180;

describe('PCA', () => {
  // Four points on the axes, shifted by (1, 3): covariance diag(2, 0.5).
  const pts = [
    [3, 3],
    [-1, 3],
    [1, 4],
    [1, 2],
  ];
  const data = Float32Array.from(pts.flat());

  test('a hand-computed example: means, variances, direction, codes, reconstruction error', () => {
    const p = fitPca(data, 4, 2, 1);
    expect(Array.from(p.mean)).toEqual([1, 3]);
    expect(p.variances[0]).toBeCloseTo(2, 12);
    expect(p.variances[1]).toBeCloseTo(0.5, 12);
    expect(Math.abs(p.basis[0]!)).toBeCloseTo(1, 12);
    expect(p.basis[1]).toBeCloseTo(0, 12);
    const z = pcaTransform(p, data, 4);
    expect(Array.from(z).map(Math.abs)).toEqual([2, 2, 0, 0]);
    // Projecting onto the x axis loses the ±1 of the last two points: SE 2 over 8 entries.
    expect(meanSquaredError(data, pcaReconstruct(p, data, 4))).toBeCloseTo(0.25, 7);
    // With both components the reconstruction is exact.
    expect(meanSquaredError(data, pcaReconstruct(fitPca(data, 4, 2, 2), data, 4))).toBeLessThan(1e-12);
  });

  test('a rotated example: the first direction is the rotation of e₁', () => {
    const t = 30 * deg;
    const rot = pts.map(([x, y]) => [
      Math.cos(t) * (x! - 1) - Math.sin(t) * (y! - 3),
      Math.sin(t) * (x! - 1) + Math.cos(t) * (y! - 3),
    ]);
    const p = fitPca(Float32Array.from(rot.flat()), 4, 2, 1);
    const [u, v] = [p.basis[0]!, p.basis[1]!];
    expect(Math.abs(u * Math.cos(t) + v * Math.sin(t))).toBeCloseTo(1, 6);
  });

  test('fewer rows than columns (the Gram route) gives the covariance route’s subspace and variances', () => {
    const d = 6;
    const rows = [
      [1, 0, 2, 0, 1, 3],
      [0, 1, 1, 4, 0, 1],
      [2, 2, 0, 1, 1, 0],
    ];
    const x = Float32Array.from(rows.flat());
    const viaGram = fitPca(x, 3, d, 2);
    // The covariance by hand, then its eigendecomposition.
    const mean = Array.from({ length: d }, (_, c) => rows.reduce((s, r) => s + r[c]!, 0) / 3);
    const cov = new Float64Array(d * d);
    for (const r of rows)
      for (let i = 0; i < d; i++)
        for (let j = 0; j < d; j++) cov[i * d + j]! += ((r[i]! - mean[i]!) * (r[j]! - mean[j]!)) / 3;
    const viaCov = pcaFromCovariance(Float64Array.from(mean), cov, d, 2);
    expect(Math.max(...principalAngles(basisVectors(viaGram), basisVectors(viaCov)))).toBeLessThan(1e-5);
    expect(viaGram.variances[0]).toBeCloseTo(viaCov.variances[0]!, 9);
    expect(viaGram.variances[1]).toBeCloseTo(viaCov.variances[1]!, 9);
    // Three centred points span a plane: two components reconstruct them exactly.
    expect(meanSquaredError(x, pcaReconstruct(viaGram, x, 3))).toBeLessThan(1e-10);
  });
});

describe('principal angles', () => {
  test('between two lines: the angle between them', () => {
    for (const a of [0, 1, 17, 45, 89.5]) {
      const [angle] = principalAngles([[1, 0, 0]], [[Math.cos(a * deg), Math.sin(a * deg), 0]]);
      expect(angle).toBeCloseTo(a, 5);
    }
  });

  test('between two planes sharing a line: 0 and the dihedral angle, for any basis of either', () => {
    const phi = 25 * deg;
    const a = [
      [1, 0, 0],
      [0, 1, 0],
    ];
    const b = [
      [2, 0, 0],
      [1, 3 * Math.cos(phi), 3 * Math.sin(phi)], // not orthonormal, not aligned
    ];
    const angles = principalAngles(a, b);
    expect(angles[0]).toBeCloseTo(0, 5);
    expect(angles[1]).toBeCloseTo(25, 5);
  });

  test('orthogonal subspaces are at 90°', () => {
    expect(principalAngles([[1, 0, 0, 0]], [[0, 0, 1, 0]])).toEqual([90]);
  });
});
