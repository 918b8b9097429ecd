/**
 * Semantic hashing (Salakhutdinov & Hinton 2009; docs/theory.md, "Hashing"): binary codes packed into 32-bit
 * words, Hamming ranking (a counting sort by distance: O(n) per query) and Hamming-ball retrieval,
 * baselines at the same bit count — sign of PCA projections and random-hyperplane LSH
 * (Charikar 2002) — and bit usage as the entropy of each bit.
 */
import { createRng } from '../random';

export interface PackedCodes {
  words: Uint32Array;
  rows: number;
  bits: number;
  /** 32-bit words per row. */
  stride: number;
}

/** Pack 0/1 codes (rows × bits, any numeric array; > 0.5 counts as 1). */
export function packBits(codes: ArrayLike<number>, rows: number, bits: number): PackedCodes {
  const stride = Math.ceil(bits / 32);
  const words = new Uint32Array(rows * stride);
  for (let i = 0; i < rows; i++)
    for (let b = 0; b < bits; b++)
      if (codes[i * bits + b]! > 0.5) words[i * stride + (b >> 5)]! |= 1 << (b & 31);
  return { words, rows, bits, stride };
}

function popcount(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  x = (x + (x >>> 4)) & 0x0f0f0f0f;
  return Math.imul(x, 0x01010101) >>> 24;
}

export function hammingFrom(p: PackedCodes, query: Uint32Array): Uint16Array {
  const out = new Uint16Array(p.rows);
  for (let i = 0; i < p.rows; i++) {
    let d = 0;
    for (let w = 0; w < p.stride; w++) d += popcount((p.words[i * p.stride + w]! ^ query[w]!) >>> 0);
    out[i] = d;
  }
  return out;
}

export function rowWords(p: PackedCodes, i: number): Uint32Array {
  return p.words.slice(i * p.stride, (i + 1) * p.stride);
}

/** All rows ranked by Hamming distance to the query (ties by index), `exclude` left out. */
export function hammingRank(
  p: PackedCodes,
  query: Uint32Array,
  exclude = -1,
): { order: Int32Array; distances: Uint16Array } {
  const dist = hammingFrom(p, query);
  const counts = new Int32Array(p.bits + 2);
  for (let i = 0; i < p.rows; i++) if (i !== exclude) counts[dist[i]! + 1]!++;
  for (let b = 1; b < counts.length; b++) counts[b]! += counts[b - 1]!;
  const order = new Int32Array(p.rows - (exclude >= 0 && exclude < p.rows ? 1 : 0));
  for (let i = 0; i < p.rows; i++) if (i !== exclude) order[counts[dist[i]!]!++] = i;
  return { order, distances: Uint16Array.from(order, (i) => dist[i]!) };
}

/** Every row within Hamming radius r of the query, nearest first. */
export function hammingBall(p: PackedCodes, query: Uint32Array, r: number, exclude = -1): Int32Array {
  const { order, distances } = hammingRank(p, query, exclude);
  let end = 0;
  while (end < order.length && distances[end]! <= r) end++;
  return order.slice(0, end);
}

/** Entropy (bits) of each code bit over the collection: 1 = used evenly, 0 = constant. */
export function bitEntropy(codes: ArrayLike<number>, rows: number, bits: number): Float64Array {
  const h = new Float64Array(bits);
  for (let b = 0; b < bits; b++) {
    let ones = 0;
    for (let i = 0; i < rows; i++) if (codes[i * bits + b]! > 0.5) ones++;
    const p = ones / rows;
    h[b] = p === 0 || p === 1 ? 0 : -(p * Math.log2(p) + (1 - p) * Math.log2(1 - p));
  }
  return h;
}

/**
 * sign(W (x − μ)) as 0/1 codes: with W the top principal directions this is sign-of-PCA hashing;
 * with Gaussian random rows, random-hyperplane LSH. W: bits × d, row-major.
 */
export function signCodes(
  x: ArrayLike<number>,
  rows: number,
  d: number,
  mean: ArrayLike<number>,
  w: ArrayLike<number>,
  bits: number,
): Uint8Array {
  const out = new Uint8Array(rows * bits);
  for (let i = 0; i < rows; i++)
    for (let b = 0; b < bits; b++) {
      let s = 0;
      for (let c = 0; c < d; c++) s += w[b * d + c]! * (x[i * d + c]! - mean[c]!);
      out[i * bits + b] = s > 0 ? 1 : 0;
    }
  return out;
}

/** Random-hyperplane LSH directions: bits × d standard normal, seeded. */
export function randomHyperplanes(bits: number, d: number, seed: number): Float64Array {
  const rng = createRng(seed);
  return Float64Array.from({ length: bits * d }, () => rng.normal());
}

export function columnMeans(x: ArrayLike<number>, rows: number, d: number): Float64Array {
  const m = new Float64Array(d);
  for (let i = 0; i < rows; i++) for (let c = 0; c < d; c++) m[c]! += x[i * d + c]!;
  for (let c = 0; c < d; c++) m[c]! /= rows;
  return m;
}
