/**
 * Exact PCA (docs/theory.md, "PCA and principal angles": the baseline is computed, not trained): the eigendecomposition of the
 * covariance (d × d) — or, when there are fewer rows than columns, of the Gram matrix (n × n),
 * whose eigenvectors map to the same principal directions — in float64 with ml-matrix. Plus
 * principal angles between subspaces (Björck & Golub): θ_i = arccos σ_i(Q_Aᵀ Q_B).
 * Data are row-major Float32Arrays, rows × dims.
 */
import { EigenvalueDecomposition, Matrix, SingularValueDecomposition } from 'ml-matrix';

export interface Pca {
  dims: number;
  /** k */
  components: number;
  /** Column means, length d. */
  mean: Float64Array;
  /** The top-k principal directions as rows, k × d, orthonormal. */
  basis: Float64Array;
  /** Every eigenvalue of the covariance (population, 1/n), descending. */
  variances: Float64Array;
}

function norm(v: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i]! * v[i]!;
  return Math.sqrt(s);
}

function columnMeans(data: ArrayLike<number>, rows: number, dims: number): Float64Array {
  const m = new Float64Array(dims);
  for (let r = 0; r < rows; r++) for (let c = 0; c < dims; c++) m[c]! += data[r * dims + c]!;
  for (let c = 0; c < dims; c++) m[c]! /= Math.max(1, rows);
  return m;
}

function sortedEigen(sym: Matrix): { values: number[]; vectors: Matrix } {
  const evd = new EigenvalueDecomposition(sym, { assumeSymmetric: true });
  const order = evd.realEigenvalues.map((v, i) => [v, i] as const).sort((a, b) => b[0] - a[0]);
  const vec = evd.eigenvectorMatrix;
  const vectors = new Matrix(sym.rows, order.length);
  order.forEach(([, i], j) => {
    for (let r = 0; r < sym.rows; r++) vectors.set(r, j, vec.get(r, i));
  });
  return { values: order.map(([v]) => Math.max(0, v)), vectors };
}

/** PCA from a covariance matrix (d × d, row-major, symmetric) computed elsewhere (e.g. on the device
 *  for large data) and the column means. */
export function pcaFromCovariance(mean: Float64Array, cov: ArrayLike<number>, dims: number, k: number): Pca {
  const kk = Math.max(0, Math.min(k, dims));
  const C = new Matrix(dims, dims);
  for (let i = 0; i < dims; i++)
    for (let j = i; j < dims; j++) {
      const v = 0.5 * (cov[i * dims + j]! + cov[j * dims + i]!);
      C.set(i, j, v);
      C.set(j, i, v);
    }
  const { values, vectors } = sortedEigen(C);
  const basis = new Float64Array(kk * dims);
  for (let j = 0; j < kk; j++) for (let c = 0; c < dims; c++) basis[j * dims + c] = vectors.get(c, j);
  return { dims, components: kk, mean, basis, variances: Float64Array.from(values) };
}

/**
 * Column means and covariance C = (1/r) Σ (x − μ)(x − μ)ᵀ (row-major, d × d) of every `step`-th
 * row, r rows in all, accumulated row by row without a centred copy of the data. With
 * `pcaFromCovariance` it is the PCA of data too large to copy in float64 (the views' codes and
 * wide data, subsampled so the r·d² work stays bounded).
 */
export function sampledCovariance(
  data: ArrayLike<number>,
  rows: number,
  dims: number,
  step = 1,
): { mean: Float64Array; cov: Float64Array; rows: number } {
  if (rows < 1) throw new Error('PCA needs at least one row');
  const s = Math.max(1, Math.floor(step));
  const used = Math.ceil(rows / s);
  const mean = new Float64Array(dims);
  for (let r = 0; r < rows; r += s) for (let c = 0; c < dims; c++) mean[c]! += data[r * dims + c]!;
  for (let c = 0; c < dims; c++) mean[c]! /= used;
  const cov = new Float64Array(dims * dims);
  const x = new Float64Array(dims);
  for (let r = 0; r < rows; r += s) {
    for (let c = 0; c < dims; c++) x[c] = data[r * dims + c]! - mean[c]!;
    for (let i = 0; i < dims; i++) {
      const xi = x[i]!;
      if (xi === 0) continue;
      const ci = i * dims;
      for (let j = i; j < dims; j++) cov[ci + j]! += xi * x[j]!;
    }
  }
  for (let i = 0; i < dims; i++)
    for (let j = i; j < dims; j++) {
      cov[i * dims + j]! /= used;
      cov[j * dims + i] = cov[i * dims + j]!;
    }
  return { mean, cov, rows: used };
}

export function fitPca(data: ArrayLike<number>, rows: number, dims: number, k: number): Pca {
  if (rows < 1) throw new Error('PCA needs at least one row');
  const kk = Math.max(0, Math.min(k, dims));
  const mean = columnMeans(data, rows, dims);
  const centred = new Float64Array(rows * dims);
  for (let r = 0; r < rows; r++)
    for (let c = 0; c < dims; c++) centred[r * dims + c] = data[r * dims + c]! - mean[c]!;
  if (dims <= rows) {
    // Covariance C = XᵀX / n (upper triangle, then mirrored).
    const cov = new Float64Array(dims * dims);
    for (let r = 0; r < rows; r++) {
      const o = r * dims;
      for (let i = 0; i < dims; i++) {
        const xi = centred[o + i]!;
        if (xi === 0) continue;
        const ci = i * dims;
        for (let j = i; j < dims; j++) cov[ci + j]! += xi * centred[o + j]!;
      }
    }
    for (let i = 0; i < dims; i++)
      for (let j = i; j < dims; j++) {
        cov[i * dims + j]! /= rows;
        cov[j * dims + i] = cov[i * dims + j]!;
      }
    return pcaFromCovariance(mean, cov, dims, kk);
  }
  const basis = new Float64Array(kk * dims);
  const variances = new Float64Array(dims);
  {
    // Fewer rows than columns: the Gram matrix G = XXᵀ / n shares C's non-zero eigenvalues; direction j = Xᵀu_j / ‖Xᵀu_j‖.
    const G = new Matrix(rows, rows);
    for (let a = 0; a < rows; a++)
      for (let b = a; b < rows; b++) {
        let s = 0;
        for (let c = 0; c < dims; c++) s += centred[a * dims + c]! * centred[b * dims + c]!;
        G.set(a, b, s / rows);
        G.set(b, a, s / rows);
      }
    const { values, vectors } = sortedEigen(G);
    values.forEach((v, i) => (variances[i] = v));
    for (let j = 0; j < kk; j++) {
      const dir = new Float64Array(dims);
      for (let r = 0; r < rows; r++) {
        const u = vectors.get(r, j);
        for (let c = 0; c < dims; c++) dir[c]! += u * centred[r * dims + c]!;
      }
      const len = norm(dir) || 1;
      for (let c = 0; c < dims; c++) basis[j * dims + c] = dir[c]! / len;
    }
  }
  return { dims, components: kk, mean, basis, variances };
}

/** Codes z = (x − mean)·Vᵀ: rows × k. */
export function pcaTransform(p: Pca, data: ArrayLike<number>, rows: number): Float32Array {
  const { dims, components: k } = p;
  const out = new Float32Array(rows * k);
  for (let r = 0; r < rows; r++)
    for (let j = 0; j < k; j++) {
      let s = 0;
      for (let c = 0; c < dims; c++) s += (data[r * dims + c]! - p.mean[c]!) * p.basis[j * dims + c]!;
      out[r * k + j] = s;
    }
  return out;
}

/** x̂ = mean + z·V: rows × d. */
export function pcaInverse(p: Pca, codes: ArrayLike<number>, rows: number): Float32Array {
  const { dims, components: k } = p;
  const out = new Float32Array(rows * dims);
  for (let r = 0; r < rows; r++)
    for (let c = 0; c < dims; c++) {
      let s = p.mean[c]!;
      for (let j = 0; j < k; j++) s += codes[r * k + j]! * p.basis[j * dims + c]!;
      out[r * dims + c] = s;
    }
  return out;
}

export function pcaReconstruct(p: Pca, data: ArrayLike<number>, rows: number): Float32Array {
  return pcaInverse(p, pcaTransform(p, data, rows), rows);
}

/** Mean squared error per element, (1/(n·d)) Σ (x − x̂)². */
export function meanSquaredError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i]! - b[i]!) ** 2;
  return s / Math.max(1, a.length);
}

/** Orthonormal basis (columns, d × p, as p row vectors) of the span of p vectors of length d:
 *  modified Gram–Schmidt, applied twice for accuracy. Vectors dependent on earlier ones are dropped. */
export function orthonormalize(vectors: readonly ArrayLike<number>[]): Float64Array[] {
  const out: Float64Array[] = [];
  for (const v of vectors) {
    const w = Float64Array.from(v);
    const n0 = norm(w);
    for (let pass = 0; pass < 2; pass++)
      for (const q of out) {
        let dot = 0;
        for (let i = 0; i < w.length; i++) dot += w[i]! * q[i]!;
        for (let i = 0; i < w.length; i++) w[i]! -= dot * q[i]!;
      }
    const n = norm(w);
    if (n > 1e-10 * Math.max(1, n0)) out.push(w.map((x) => x / n));
  }
  return out;
}

/**
 * Principal angles (degrees, ascending) between span(A) and span(B), each given as vectors in R^d:
 * θ_i = arccos σ_i(Q_Aᵀ Q_B). min(dim A, dim B) angles.
 */
export function principalAngles(a: readonly ArrayLike<number>[], b: readonly ArrayLike<number>[]): number[] {
  const qa = orthonormalize(a);
  const qb = orthonormalize(b);
  if (!qa.length || !qb.length) return [];
  const m = new Matrix(qa.length, qb.length);
  for (let i = 0; i < qa.length; i++)
    for (let j = 0; j < qb.length; j++) {
      let s = 0;
      for (let c = 0; c < qa[i]!.length; c++) s += qa[i]![c]! * qb[j]![c]!;
      m.set(i, j, s);
    }
  const svd = new SingularValueDecomposition(m, { autoTranspose: true });
  return svd.diagonal
    .slice(0, Math.min(qa.length, qb.length))
    .map((s) => (Math.acos(Math.min(1, Math.max(-1, s))) * 180) / Math.PI)
    .sort((x, y) => x - y);
}

/** The rows of a k × d basis as vectors. */
export function basisVectors(p: Pca): Float64Array[] {
  return Array.from({ length: p.components }, (_, j) => p.basis.slice(j * p.dims, (j + 1) * p.dims));
}
