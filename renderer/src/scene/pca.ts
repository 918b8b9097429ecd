/**
 * A small principal component analysis for the views: the top m (≤ 3) eigenvectors of the k × k
 * covariance of n rows, by the cyclic Jacobi eigenvalue method (exact to rounding, simple, and
 * fast for the k ≤ a few hundred of latent codes). Data-space projections of wide data come from
 * the engine instead (DataView takes the matrix as a prop).
 */

export interface PcaBasis {
  /** [k] column means. */
  mean: Float64Array;
  /** [m, k] unit-norm principal directions, largest variance first. */
  components: Float64Array;
  /** [m] variance along each direction (eigenvalues of the covariance). */
  variances: Float64Array;
  /** Trace of the covariance: the total variance, for "explained %". */
  total: number;
  /** How many rows the covariance was estimated from (≤ n: wide codes are subsampled). */
  rowsUsed: number;
  k: number;
  m: number;
}

/** Covariance work is n·k²; above this many multiply-adds rows are subsampled evenly. */
const MAX_WORK = 4e8;

/** Top-m principal directions of `x` ([n, k], row-major). */
export function pcaBasis(x: Float32Array, n: number, k: number, m = 3): PcaBasis {
  if (x.length !== n * k) throw new RangeError(`pcaBasis: expected ${n}×${k} values, got ${x.length}`);
  m = Math.min(m, k);
  const stride = Math.max(1, Math.ceil((n * k * k) / 2 / MAX_WORK));
  const rows: number[] = [];
  for (let i = 0; i < n; i += stride) rows.push(i);
  const mean = new Float64Array(k);
  for (const i of rows) for (let c = 0; c < k; c++) mean[c]! += x[i * k + c]!;
  for (let c = 0; c < k; c++) mean[c]! /= Math.max(1, rows.length);
  // C = (1 / (r − 1)) Σ (x − μ)(x − μ)ᵀ, upper triangle then mirrored.
  const cov = new Float64Array(k * k);
  const row = new Float64Array(k);
  for (const i of rows) {
    for (let c = 0; c < k; c++) row[c] = x[i * k + c]! - mean[c]!;
    for (let a = 0; a < k; a++) {
      const ra = row[a]!;
      if (ra === 0) continue;
      const base = a * k;
      for (let b = a; b < k; b++) cov[base + b]! += ra * row[b]!;
    }
  }
  const denom = Math.max(1, rows.length - 1);
  for (let a = 0; a < k; a++)
    for (let b = a; b < k; b++) {
      const v = cov[a * k + b]! / denom;
      cov[a * k + b] = v;
      cov[b * k + a] = v;
    }
  let total = 0;
  for (let a = 0; a < k; a++) total += cov[a * k + a]!;
  const { values, vectors } = jacobiEigen(cov, k);
  const order = Array.from({ length: k }, (_, i) => i).sort((a, b) => values[b]! - values[a]!);
  const components = new Float64Array(m * k);
  const variances = new Float64Array(m);
  for (let j = 0; j < m; j++) {
    const col = order[j]!;
    variances[j] = Math.max(0, values[col]!);
    // Sign convention: the entry of largest magnitude is positive, so the view does not mirror
    // between runs for no reason.
    let big = 0;
    for (let c = 0; c < k; c++)
      if (Math.abs(vectors[c * k + col]!) > Math.abs(big)) big = vectors[c * k + col]!;
    const s = big < 0 ? -1 : 1;
    for (let c = 0; c < k; c++) components[j * k + c] = s * vectors[c * k + col]!;
  }
  return { mean, components, variances, total, rowsUsed: rows.length, k, m };
}

/**
 * Eigen-decomposition of a symmetric k × k matrix (row-major) by cyclic Jacobi rotations
 * (Golub & Van Loan §8.5). Returns the eigenvalues and the eigenvectors as the columns of V.
 */
export function jacobiEigen(a: Float64Array, k: number): { values: Float64Array; vectors: Float64Array } {
  const A = Float64Array.from(a);
  const V = new Float64Array(k * k);
  for (let i = 0; i < k; i++) V[i * k + i] = 1;
  let norm = 0;
  for (let i = 0; i < k * k; i++) norm += A[i]! * A[i]!;
  const tol = 1e-22 * Math.max(norm, 1e-300);
  for (let sweep = 0; sweep < 60; sweep++) {
    let off = 0;
    for (let p = 0; p < k; p++) for (let q = p + 1; q < k; q++) off += A[p * k + q]! ** 2;
    if (off <= tol) break;
    for (let p = 0; p < k - 1; p++) {
      for (let q = p + 1; q < k; q++) {
        const apq = A[p * k + q]!;
        if (apq === 0) continue;
        const app = A[p * k + p]!;
        const aqq = A[q * k + q]!;
        // Rotation angle that zeroes A[p][q]: t = tan θ, the smaller root of t² + 2τt − 1 = 0.
        const tau = (aqq - app) / (2 * apq);
        const t = Math.sign(tau || 1) / (Math.abs(tau) + Math.sqrt(1 + tau * tau));
        const c = 1 / Math.sqrt(1 + t * t);
        const s = t * c;
        for (let r = 0; r < k; r++) {
          const arp = A[r * k + p]!;
          const arq = A[r * k + q]!;
          A[r * k + p] = c * arp - s * arq;
          A[r * k + q] = s * arp + c * arq;
        }
        for (let r = 0; r < k; r++) {
          const apr = A[p * k + r]!;
          const aqr = A[q * k + r]!;
          A[p * k + r] = c * apr - s * aqr;
          A[q * k + r] = s * apr + c * aqr;
        }
        for (let r = 0; r < k; r++) {
          const vrp = V[r * k + p]!;
          const vrq = V[r * k + q]!;
          V[r * k + p] = c * vrp - s * vrq;
          V[r * k + q] = s * vrp + c * vrq;
        }
      }
    }
  }
  const values = new Float64Array(k);
  for (let i = 0; i < k; i++) values[i] = A[i * k + i]!;
  return { values, vectors: V };
}

/**
 * Flip each component of `next` whose direction opposes the same component of `prev`, so that a
 * cloud re-projected after every streamed snapshot does not mirror back and forth.
 */
export function alignSigns(prev: PcaBasis | null, next: PcaBasis): PcaBasis {
  if (!prev || prev.k !== next.k) return next;
  const { k } = next;
  for (let j = 0; j < Math.min(prev.m, next.m); j++) {
    let dot = 0;
    for (let c = 0; c < k; c++) dot += prev.components[j * k + c]! * next.components[j * k + c]!;
    if (dot < 0) for (let c = 0; c < k; c++) next.components[j * k + c]! *= -1;
  }
  return next;
}

/** Scores on the basis: out[i, j] = Σ_c (x[i, c] − μ_c) W[j, c]; [n, 3], zero-padded when m < 3. */
export function projectPca(
  x: Float32Array,
  n: number,
  basis: PcaBasis,
  out = new Float32Array(n * 3),
): Float32Array {
  const { k, m, mean, components: W } = basis;
  const row = new Float64Array(k);
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < k; c++) row[c] = x[i * k + c]! - mean[c]!;
    for (let j = 0; j < 3; j++) {
      let s = 0;
      if (j < m) for (let c = 0; c < k; c++) s += row[c]! * W[j * k + c]!;
      out[i * 3 + j] = s;
    }
  }
  return out;
}

/** Three chosen columns of x ([n, k]) as [n, 3]; an index of −1 (or ≥ k) gives zeros. */
export function selectAxes(
  x: Float32Array,
  n: number,
  k: number,
  axes: readonly number[],
  out = new Float32Array(n * 3),
): Float32Array {
  for (let j = 0; j < 3; j++) {
    const a = axes[j] ?? -1;
    if (a < 0 || a >= k) {
      for (let i = 0; i < n; i++) out[i * 3 + j] = 0;
    } else {
      for (let i = 0; i < n; i++) out[i * 3 + j] = x[i * k + a]!;
    }
  }
  return out;
}
