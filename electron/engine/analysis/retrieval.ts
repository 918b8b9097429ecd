/**
 * Information retrieval in code space (docs/theory.md, "Retrieval"): rank the collection by distance to a query;
 * a result is relevant when it shares the query's label.
 *   precision@k = (relevant among the first k) / k
 *   AP = (1/R) Σ_{ranks r where the result is relevant} precision@r,  R = relevant items in all
 *   mAP = mean AP over the queries.
 */
import { argsortDistances, distancesFrom } from './neighbors';
import type { Matrix } from './quality';

export function precisionAtK(relevant: ArrayLike<number | boolean>, k: number): number {
  const kk = Math.min(k, relevant.length);
  if (kk === 0) return 0;
  let hits = 0;
  for (let i = 0; i < kk; i++) if (relevant[i]) hits++;
  return hits / kk;
}

export function averagePrecision(relevant: ArrayLike<number | boolean>): number {
  let hits = 0,
    sum = 0;
  for (let i = 0; i < relevant.length; i++)
    if (relevant[i]) {
      hits++;
      sum += hits / (i + 1);
    }
  return hits === 0 ? 0 : sum / hits;
}

/** Rank every other row by distance to row q; return the ranking and its relevance flags. */
export function rankForQuery(
  z: Matrix,
  labels: ArrayLike<number> | undefined,
  q: number,
): { order: Int32Array; relevant: Uint8Array | null } {
  const order = argsortDistances(distancesFrom(z.data, q, z.data, z.rows, z.cols), q);
  if (!labels) return { order, relevant: null };
  const relevant = new Uint8Array(order.length);
  for (let i = 0; i < order.length; i++) relevant[i] = labels[order[i]!] === labels[q] ? 1 : 0;
  return { order, relevant };
}

/** Mean precision@k and mAP over the given queries (each ranks the whole collection minus itself). */
export function retrievalScores(
  z: Matrix,
  labels: ArrayLike<number>,
  queries: ArrayLike<number>,
  k: number,
  rank: (q: number) => Uint8Array = (q) => rankForQuery(z, labels, q).relevant!,
): { precisionAtK: number; meanAveragePrecision: number } {
  let p = 0,
    ap = 0;
  for (let i = 0; i < queries.length; i++) {
    const rel = rank(queries[i]!);
    p += precisionAtK(rel, k);
    ap += averagePrecision(rel);
  }
  return { precisionAtK: p / queries.length, meanAveragePrecision: ap / queries.length };
}
