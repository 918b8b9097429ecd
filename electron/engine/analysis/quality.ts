/**
 * Embedding quality (docs/theory.md, "Embedding quality"): trustworthiness and continuity (Venna & Kaski 2001, as in
 * scikit-learn's `trustworthiness`), and leave-one-out k-NN label accuracy in code space.
 *
 *   T(k) = 1 − 2 / (n k (2n − 3k − 1)) · Σ_i Σ_{j ∈ U_k(i)} (r(i, j) − k)
 *
 * U_k(i): the points among i's k nearest in the embedding that are not among its k nearest in the
 * input space; r(i, j): j's rank among i's neighbours in the input space. Continuity swaps the roles
 * (points lost from the neighbourhood, ranked in the embedding). Both lie in [0, 1]; 1 is perfect,
 * and a random embedding scores about 0.5.
 */
import { createRng, permutation } from '../random';
import { knn, rankMatrix } from './neighbors';

export interface Matrix {
  data: ArrayLike<number>;
  rows: number;
  cols: number;
}

function neighbourhoodError(
  ranksFrom: Int32Array,
  nnOther: Int32Array,
  nnSame: Int32Array,
  n: number,
  k: number,
): number {
  let sum = 0;
  const mark = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    for (let t = 0; t < k; t++) mark[nnSame[i * k + t]!] = 1;
    for (let t = 0; t < k; t++) {
      const j = nnOther[i * k + t]!;
      if (!mark[j]) sum += ranksFrom[i * n + j]! - k;
    }
    for (let t = 0; t < k; t++) mark[nnSame[i * k + t]!] = 0;
  }
  return 1 - (2 / (n * k * (2 * n - 3 * k - 1))) * sum;
}

function checkK(n: number, k: number): void {
  if (!(k >= 1 && k < n / 2)) throw new RangeError(`k must be in [1, n/2): k = ${k}, n = ${n}`);
}

export function trustworthiness(x: Matrix, z: Matrix, k: number): number {
  const n = x.rows;
  checkK(n, k);
  const rx = rankMatrix(x.data, n, x.cols);
  return neighbourhoodError(rx, knn(z.data, n, z.cols, k).indices, knn(x.data, n, x.cols, k).indices, n, k);
}

export function continuity(x: Matrix, z: Matrix, k: number): number {
  const n = x.rows;
  checkK(n, k);
  const rz = rankMatrix(z.data, n, z.cols);
  return neighbourhoodError(rz, knn(x.data, n, x.cols, k).indices, knn(z.data, n, z.cols, k).indices, n, k);
}

/** Leave-one-out k-NN classification accuracy (majority vote, ties to the nearest neighbour's label). */
export function knnAccuracy(z: Matrix, labels: ArrayLike<number>, k: number): number {
  const n = z.rows;
  const { indices } = knn(z.data, n, z.cols, k);
  const kk = indices.length / n;
  let correct = 0;
  const votes = new Map<number, number>();
  for (let i = 0; i < n; i++) {
    votes.clear();
    let best = labels[indices[i * kk]!]!,
      bestVotes = 0;
    for (let t = 0; t < kk; t++) {
      const l = labels[indices[i * kk + t]!]!;
      const v = (votes.get(l) ?? 0) + 1;
      votes.set(l, v);
      if (v > bestVotes) {
        bestVotes = v;
        best = l;
      }
    }
    if (best === labels[i]) correct++;
  }
  return correct / n;
}

/** A seeded subsample of at most `max` rows (sorted), and whether sampling happened. */
export function sampleRows(n: number, max: number, seed: number): { rows: Uint32Array; sampled: boolean } {
  if (n <= max) return { rows: Uint32Array.from({ length: n }, (_, i) => i), sampled: false };
  return { rows: permutation(n, createRng(seed)).slice(0, max).sort(), sampled: true };
}

export function gather(m: Matrix, rows: ArrayLike<number>): Matrix {
  const out = new Float32Array(rows.length * m.cols);
  for (let i = 0; i < rows.length; i++)
    for (let c = 0; c < m.cols; c++) out[i * m.cols + c] = m.data[rows[i]! * m.cols + c]!;
  return { data: out, rows: rows.length, cols: m.cols };
}
