/**
 * Semantic hashing against its baselines at the same bit count (docs/theory.md, "Hashing"): the model's 0/1 codes,
 * sign-of-PCA codes and random-hyperplane LSH codes, each scored by Hamming ranking (precision@k and
 * mAP over sampled queries, ties broken by index) and by Hamming-ball retrieval (precision and recall
 * within radius r), plus each code's bit usage (entropy per bit).
 */
import { fitPca } from './pca';
import {
  bitEntropy,
  columnMeans,
  hammingRank,
  packBits,
  randomHyperplanes,
  rowWords,
  signCodes,
} from './hashing';
import { averagePrecision, precisionAtK } from './retrieval';
import { sampleRows } from './quality';

export interface CodeScores {
  precisionAtK: number;
  meanAveragePrecision: number;
  /** Per radius 0..maxRadius: mean precision and recall of the Hamming ball (queries with an empty ball count precision 0). */
  ball: { radius: number; precision: number; recall: number; meanRetrieved: number }[];
  /** Mean entropy per bit (1 = every bit used evenly). */
  bitEntropy: number;
  constantBits: number;
}

export function scoreBinaryCodes(
  codes: ArrayLike<number>,
  rows: number,
  bits: number,
  labels: ArrayLike<number>,
  opts: { k: number; queries: ArrayLike<number>; maxRadius?: number },
): CodeScores {
  const packed = packBits(codes, rows, bits);
  const counts = new Map<number, number>();
  for (let i = 0; i < rows; i++) counts.set(labels[i]!, (counts.get(labels[i]!) ?? 0) + 1);
  const maxRadius = Math.min(bits, opts.maxRadius ?? 3);
  let p = 0,
    ap = 0;
  const ball = Array.from({ length: maxRadius + 1 }, (_, radius) => ({
    radius,
    precision: 0,
    recall: 0,
    meanRetrieved: 0,
  }));
  const nq = opts.queries.length;
  for (let t = 0; t < nq; t++) {
    const q = opts.queries[t]!;
    const { order, distances } = hammingRank(packed, rowWords(packed, q), q);
    const rel = Uint8Array.from(order, (j) => (labels[j] === labels[q] ? 1 : 0));
    p += precisionAtK(rel, opts.k);
    ap += averagePrecision(rel);
    const relevantTotal = (counts.get(labels[q]!) ?? 1) - 1;
    let hits = 0,
      pos = 0;
    for (const b of ball) {
      while (pos < order.length && distances[pos]! <= b.radius) hits += rel[pos++]!;
      b.precision += pos ? hits / pos : 0;
      b.recall += relevantTotal ? hits / relevantTotal : 0;
      b.meanRetrieved += pos;
    }
  }
  for (const b of ball) {
    b.precision /= nq;
    b.recall /= nq;
    b.meanRetrieved /= nq;
  }
  const h = bitEntropy(codes, rows, bits);
  return {
    precisionAtK: p / nq,
    meanAveragePrecision: ap / nq,
    ball,
    bitEntropy: h.reduce((a, b) => a + b, 0) / bits,
    constantBits: h.filter((x) => x === 0).length,
  };
}

export interface HashingComparison {
  bits: number;
  k: number;
  queries: number;
  sampled: boolean;
  model: CodeScores;
  signPca: CodeScores;
  lsh: CodeScores;
}

/** The model's codes against sign-of-PCA and LSH on the same data (original or normalised units). */
export function compareHashing(
  codes: ArrayLike<number>,
  data: ArrayLike<number>,
  rows: number,
  dims: number,
  bits: number,
  labels: ArrayLike<number>,
  opts: { k?: number; maxQueries?: number; seed?: number; maxRadius?: number } = {},
): HashingComparison {
  const k = opts.k ?? 100;
  const { rows: queries, sampled } = sampleRows(rows, opts.maxQueries ?? 500, opts.seed ?? 0);
  const pca = fitPca(data, rows, dims, bits);
  const mean = columnMeans(data, rows, dims);
  const scoreOpts = { k, queries, ...(opts.maxRadius !== undefined ? { maxRadius: opts.maxRadius } : {}) };
  const pcaBits = signCodes(data, rows, dims, pca.mean, pca.basis, pca.components);
  return {
    bits,
    k,
    queries: queries.length,
    sampled,
    model: scoreBinaryCodes(codes, rows, bits, labels, scoreOpts),
    signPca: scoreBinaryCodes(pcaBits, rows, pca.components, labels, scoreOpts),
    lsh: scoreBinaryCodes(
      signCodes(data, rows, dims, mean, randomHyperplanes(bits, dims, opts.seed ?? 0), bits),
      rows,
      bits,
      labels,
      scoreOpts,
    ),
  };
}
