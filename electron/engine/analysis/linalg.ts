/**
 * Small dense linear algebra in float64 for per-point work (Jacobians are d × k with k small):
 * a thin SVD by one-sided Jacobi rotations (Hestenes), orthonormalisation and principal angles.
 * Matrices are row-major Float64Array with explicit (rows, cols).
 */

export interface ThinSvd {
  /** rows × r, orthonormal columns (left singular vectors), row-major. */
  u: Float64Array;
  /** r singular values, descending. */
  s: Float64Array;
  /** cols × r, orthonormal columns (right singular vectors), row-major. */
  v: Float64Array;
  rows: number;
  rank: number;
}

/**
 * Thin SVD of A (m × n) with n ≤ m, by one-sided Jacobi: rotate column pairs of A until they are
 * orthogonal; then the column norms are the singular values, A·V's normalised columns are U.
 * For m < n it factors Aᵀ and swaps U and V. Accurate to machine precision for the small n here.
 */
export function thinSvd(a: ArrayLike<number>, m: number, n: number): ThinSvd {
  if (n > m) {
    const t = transpose(a, m, n);
    const r = thinSvd(t, n, m);
    return { u: r.v, s: r.s, v: r.u, rows: m, rank: r.rank };
  }
  const w = Float64Array.from(a as ArrayLike<number>); // m × n, rotated in place
  const v = new Float64Array(n * n);
  for (let i = 0; i < n; i++) v[i * n + i] = 1;
  for (let sweep = 0; sweep < 60; sweep++) {
    let off = 0;
    for (let p = 0; p < n - 1; p++)
      for (let q = p + 1; q < n; q++) {
        let alpha = 0,
          beta = 0,
          gamma = 0;
        for (let i = 0; i < m; i++) {
          const x = w[i * n + p]!,
            y = w[i * n + q]!;
          alpha += x * x;
          beta += y * y;
          gamma += x * y;
        }
        if (gamma === 0 || Math.abs(gamma) <= 1e-15 * Math.sqrt(alpha * beta)) continue;
        off = Math.max(off, Math.abs(gamma) / Math.sqrt(alpha * beta));
        const zeta = (beta - alpha) / (2 * gamma);
        const t = Math.sign(zeta || 1) / (Math.abs(zeta) + Math.sqrt(1 + zeta * zeta));
        const c = 1 / Math.sqrt(1 + t * t),
          s = c * t;
        for (let i = 0; i < m; i++) {
          const x = w[i * n + p]!,
            y = w[i * n + q]!;
          w[i * n + p] = c * x - s * y;
          w[i * n + q] = s * x + c * y;
        }
        for (let i = 0; i < n; i++) {
          const x = v[i * n + p]!,
            y = v[i * n + q]!;
          v[i * n + p] = c * x - s * y;
          v[i * n + q] = s * x + c * y;
        }
      }
    if (off < 1e-15) break;
  }
  const norms = Array.from({ length: n }, (_, j) => {
    let s = 0;
    for (let i = 0; i < m; i++) s += w[i * n + j]! ** 2;
    return Math.sqrt(s);
  });
  const order = norms.map((_, j) => j).sort((x, y) => norms[y]! - norms[x]!);
  const s = new Float64Array(n);
  const u = new Float64Array(m * n);
  const vs = new Float64Array(n * n);
  const tiny = (norms[order[0]!] ?? 0) * 1e-12;
  let rank = 0;
  order.forEach((j, r) => {
    s[r] = norms[j]!;
    if (norms[j]! > tiny && norms[j]! > 0) rank++;
    for (let i = 0; i < n; i++) vs[i * n + r] = v[i * n + j]!;
    for (let i = 0; i < m; i++)
      u[i * n + r] = norms[j]! > tiny && norms[j]! > 0 ? w[i * n + j]! / norms[j]! : 0;
  });
  // Columns of U for zero singular values are left at 0; complete them only when asked (orthonormalBasis).
  return { u, s, v: vs, rows: m, rank };
}

export function transpose(a: ArrayLike<number>, m: number, n: number): Float64Array {
  const t = new Float64Array(m * n);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) t[j * m + i] = a[i * n + j]!;
  return t;
}

/**
 * Orthonormal basis (as r rows of length d) of the span of the first r left singular vectors of a
 * d × k matrix, i.e. of its column space when r = rank.
 */
export function columnSpaceBasis(
  a: ArrayLike<number>,
  d: number,
  k: number,
  r: number,
): { basis: Float64Array; s: Float64Array } {
  const svd = thinSvd(a, d, k);
  const cols = Math.min(d, k);
  const basis = new Float64Array(r * d);
  for (let j = 0; j < r; j++) for (let i = 0; i < d; i++) basis[j * d + i] = svd.u[i * cols + j]!;
  return { basis, s: svd.s };
}

/** Orthonormalise the rows of B (r × d) by modified Gram–Schmidt; dependent rows become 0. */
export function orthonormalRows(b: ArrayLike<number>, r: number, d: number): Float64Array {
  const q = Float64Array.from(b as ArrayLike<number>);
  for (let i = 0; i < r; i++) {
    for (let j = 0; j < i; j++) {
      let dot = 0;
      for (let c = 0; c < d; c++) dot += q[i * d + c]! * q[j * d + c]!;
      for (let c = 0; c < d; c++) q[i * d + c]! -= dot * q[j * d + c]!;
    }
    let norm = 0;
    for (let c = 0; c < d; c++) norm += q[i * d + c]! ** 2;
    norm = Math.sqrt(norm);
    for (let c = 0; c < d; c++) q[i * d + c] = norm > 1e-12 ? q[i * d + c]! / norm : 0;
  }
  return q;
}

/**
 * Principal angles (radians, ascending) between span(A) and span(B), given orthonormal rows
 * A (a × d) and B (b × d): θ_i = arccos σ_i(A Bᵀ) (Björck & Golub 1973). For near-zero angles the
 * arccos form loses precision, so small angles use the sine form: sin θ from the residual of B
 * projected off span(A).
 */
export function principalAngles(
  a: ArrayLike<number>,
  na: number,
  b: ArrayLike<number>,
  nb: number,
  d: number,
): number[] {
  const m = new Float64Array(na * nb);
  for (let i = 0; i < na; i++)
    for (let j = 0; j < nb; j++) {
      let s = 0;
      for (let c = 0; c < d; c++) s += a[i * d + c]! * b[j * d + c]!;
      m[i * nb + j] = s;
    }
  const cos = thinSvd(m, na, nb).s;
  const p = Math.min(na, nb);
  // Sine form: singular values of (I − AᵀA) Bᵀ, ascending, give sin θ for the same angles.
  const r = new Float64Array(d * nb);
  for (let j = 0; j < nb; j++)
    for (let c = 0; c < d; c++) {
      let proj = 0;
      for (let i = 0; i < na; i++) proj += a[i * d + c]! * m[i * nb + j]!;
      r[c * nb + j] = b[j * d + c]! - proj;
    }
  const sin = Array.from(thinSvd(r, d, nb).s).sort((x, y) => x - y);
  const angles: number[] = [];
  for (let i = 0; i < p; i++) {
    const c = Math.min(1, Math.max(-1, cos[i]!));
    const theta = Math.acos(c);
    angles.push(theta < 0.1 && sin[i] !== undefined ? Math.asin(Math.min(1, sin[i]!)) : theta);
  }
  return angles.sort((x, y) => x - y);
}

export const toDegrees = (r: number): number => (r * 180) / Math.PI;
