import {
  columnSpaceBasis,
  orthonormalRows,
  principalAngles,
  thinSvd,
  toDegrees,
} from '../../../electron/engine/analysis/linalg';
import { createRng } from '../../../electron/engine/random';

function matmul(a: Float64Array, b: Float64Array, m: number, k: number, n: number): Float64Array {
  const c = new Float64Array(m * n);
  for (let i = 0; i < m; i++)
    for (let j = 0; j < n; j++) for (let t = 0; t < k; t++) c[i * n + j]! += a[i * k + t]! * b[t * n + j]!;
  return c;
}

describe('thin SVD (one-sided Jacobi)', () => {
  test('a hand-computed 2 × 2 example', () => {
    // [[3, 0], [4, 5]] has singular values √45 and √5.
    const { s } = thinSvd([3, 0, 4, 5], 2, 2);
    expect(s[0]).toBeCloseTo(Math.sqrt(45), 12);
    expect(s[1]).toBeCloseTo(Math.sqrt(5), 12);
  });

  test.each([
    [7, 3],
    [3, 7],
    [20, 5],
    [4, 4],
  ])('reconstructs a random %i × %i matrix with orthonormal factors', (m, n) => {
    const rng = createRng(m * 31 + n);
    const a = Float64Array.from({ length: m * n }, () => rng.normal());
    const { u, s, v } = thinSvd(a, m, n);
    const r = Math.min(m, n);
    const us = new Float64Array(m * r);
    for (let i = 0; i < m; i++) for (let j = 0; j < r; j++) us[i * r + j] = u[i * r + j]! * s[j]!;
    const vt = new Float64Array(r * n);
    for (let i = 0; i < n; i++) for (let j = 0; j < r; j++) vt[j * n + i] = v[i * r + j]!;
    const back = matmul(us, vt, m, r, n);
    back.forEach((x, i) => expect(x).toBeCloseTo(a[i]!, 10));
    for (let i = 0; i + 1 < r; i++) expect(s[i]).toBeGreaterThanOrEqual(s[i + 1]!);
    // UᵀU = I
    for (let p = 0; p < r; p++)
      for (let q = 0; q < r; q++) {
        let dot = 0;
        for (let i = 0; i < m; i++) dot += u[i * r + p]! * u[i * r + q]!;
        expect(dot).toBeCloseTo(p === q ? 1 : 0, 10);
      }
  });

  test('rank-deficient matrices report their rank', () => {
    // Two equal columns: rank 1.
    expect(thinSvd([1, 1, 2, 2, 3, 3], 3, 2).rank).toBe(1);
  });
});

describe('subspaces', () => {
  test('column-space basis spans the columns', () => {
    const a = [1, 0, 0, 1, 1, 1]; // 3 × 2: columns (1,0,1), (0,1,1)
    const { basis } = columnSpaceBasis(a, 3, 2, 2);
    // (1,1,2) is in the span: its projection onto the basis keeps its whole norm.
    const x = [1, 1, 2];
    let proj = 0;
    for (let j = 0; j < 2; j++)
      proj += (x[0]! * basis[j * 3]! + x[1]! * basis[j * 3 + 1]! + x[2]! * basis[j * 3 + 2]!) ** 2;
    expect(proj).toBeCloseTo(6, 10);
  });

  test('principal angles: a known rotation, identical and orthogonal subspaces', () => {
    const theta = 0.3;
    const a = [1, 0, 0, 0, 1, 0]; // the xy-plane
    const b = orthonormalRows([1, 0, 0, 0, Math.cos(theta), Math.sin(theta)], 2, 3); // tilted about x
    const angles = principalAngles(a, 2, b, 2, 3);
    expect(angles[0]).toBeCloseTo(0, 12);
    expect(angles[1]).toBeCloseTo(theta, 12);
    expect(principalAngles(a, 2, a, 2, 3).every((x) => Math.abs(x) < 1e-7)).toBe(true);
    expect(toDegrees(principalAngles([0, 0, 1], 1, [1, 0, 0], 1, 3)[0]!)).toBeCloseTo(90, 10);
  });

  test('tiny angles keep their precision (sine form)', () => {
    const eps = 1e-6;
    const b = orthonormalRows([1, eps, 0], 1, 3);
    expect(principalAngles([1, 0, 0], 1, b, 1, 3)[0]).toBeCloseTo(eps, 12);
  });
});
