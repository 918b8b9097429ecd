/**
 * The views' use of the engine's PCA (electron/engine/analysis/pca.ts): the top m (≤ 3)
 * principal directions of n rows of codes or data, with the covariance estimated from evenly
 * spaced rows when n·k² would be too much work for a frame, a sign convention so the picture does
 * not mirror for no reason, and the scores as the [n, 3] coordinates a view draws.
 */
import { pcaFromCovariance, sampledCovariance } from '../../../electron/engine/analysis/pca';
import { projectRows } from '../shared/projection';

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

/** Covariance work is n·k²/2 multiply-adds; above this many, rows are subsampled evenly. */
const MAX_WORK = 4e8;

/** Top-m principal directions of `x` ([n, k], row-major). */
export function pcaBasis(x: Float32Array, n: number, k: number, m = 3): PcaBasis {
  if (x.length !== n * k) throw new RangeError(`pcaBasis: expected ${n}×${k} values, got ${x.length}`);
  m = Math.min(m, k);
  const stride = Math.max(1, Math.ceil((n * k * k) / 2 / MAX_WORK));
  const { mean, cov, rows } = sampledCovariance(x, n, k, stride);
  const p = pcaFromCovariance(mean, cov, k, m);
  const components = new Float64Array(m * k);
  for (let j = 0; j < m; j++) {
    // Sign convention: the entry of largest magnitude is positive.
    let big = 0;
    for (let c = 0; c < k; c++) if (Math.abs(p.basis[j * k + c]!) > Math.abs(big)) big = p.basis[j * k + c]!;
    const s = big < 0 ? -1 : 1;
    for (let c = 0; c < k; c++) components[j * k + c] = s * p.basis[j * k + c]!;
  }
  const total = p.variances.reduce((a, v) => a + v, 0);
  return { mean, components, variances: p.variances.slice(0, m), total, rowsUsed: rows, k, m };
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
  return projectRows(x.subarray(0, n * basis.k), basis.k, basis.mean, basis.components, true, out);
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
