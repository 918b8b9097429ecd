/**
 * Exact nearest neighbours by brute force (rows of a row-major matrix, Euclidean), and full rank
 * orders for the embedding-quality measures. O(n²·d): callers sample large sets and say so.
 */

/** Squared Euclidean distances from row i of A to every row of B (n × d each). */
export function distancesFrom(
  a: ArrayLike<number>,
  i: number,
  b: ArrayLike<number>,
  n: number,
  d: number,
  out = new Float64Array(n),
): Float64Array {
  const base = i * d;
  for (let j = 0; j < n; j++) {
    let s = 0;
    const o = j * d;
    for (let c = 0; c < d; c++) {
      const t = a[base + c]! - b[o + c]!;
      s += t * t;
    }
    out[j] = s;
  }
  return out;
}

/** Squared distances from a free point q (length d) to every row of B. */
export function distancesTo(
  q: ArrayLike<number>,
  b: ArrayLike<number>,
  n: number,
  d: number,
  out = new Float64Array(n),
): Float64Array {
  for (let j = 0; j < n; j++) {
    let s = 0;
    const o = j * d;
    for (let c = 0; c < d; c++) {
      const t = q[c]! - b[o + c]!;
      s += t * t;
    }
    out[j] = s;
  }
  return out;
}

/** Indices sorted by distance (ties by index), optionally excluding one index. */
export function argsortDistances(dist: Float64Array, exclude = -1): Int32Array {
  const idx: number[] = [];
  for (let j = 0; j < dist.length; j++) if (j !== exclude) idx.push(j);
  idx.sort((x, y) => dist[x]! - dist[y]! || x - y);
  return Int32Array.from(idx);
}

/** The k nearest rows of X to each row of X (itself excluded): n × k indices and distances. */
export function knn(
  x: ArrayLike<number>,
  n: number,
  d: number,
  k: number,
): { indices: Int32Array; distances: Float32Array } {
  const kk = Math.min(k, n - 1);
  const indices = new Int32Array(n * kk);
  const distances = new Float32Array(n * kk);
  const buf = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    distancesFrom(x, i, x, n, d, buf);
    const order = topK(buf, kk, i);
    for (let t = 0; t < kk; t++) {
      indices[i * kk + t] = order[t]!;
      distances[i * kk + t] = Math.sqrt(buf[order[t]!]!);
    }
  }
  return { indices, distances };
}

/** The k smallest entries' indices, ascending (ties by index), skipping `exclude`. O(n log k). */
export function topK(dist: Float64Array, k: number, exclude = -1): number[] {
  const heap: number[] = []; // max-heap on (dist, index)
  const worse = (a: number, b: number) => dist[a]! > dist[b]! || (dist[a] === dist[b] && a > b);
  const siftUp = (i: number) => {
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!worse(heap[i]!, heap[p]!)) break;
      [heap[i], heap[p]] = [heap[p]!, heap[i]!];
      i = p;
    }
  };
  const siftDown = (i: number) => {
    for (;;) {
      const l = 2 * i + 1,
        r = l + 1;
      let m = i;
      if (l < heap.length && worse(heap[l]!, heap[m]!)) m = l;
      if (r < heap.length && worse(heap[r]!, heap[m]!)) m = r;
      if (m === i) break;
      [heap[i], heap[m]] = [heap[m]!, heap[i]!];
      i = m;
    }
  };
  for (let j = 0; j < dist.length; j++) {
    if (j === exclude) continue;
    if (heap.length < k) {
      heap.push(j);
      siftUp(heap.length - 1);
    } else if (k > 0 && worse(heap[0]!, j)) {
      heap[0] = j;
      siftDown(0);
    }
  }
  return heap.sort((a, b) => dist[a]! - dist[b]! || a - b);
}

/**
 * rank[i·n + j] = the rank of j among i's neighbours (1 = nearest, i itself = 0), by distance in X.
 * n² int32: keep n to a few thousand.
 */
export function rankMatrix(x: ArrayLike<number>, n: number, d: number): Int32Array {
  const ranks = new Int32Array(n * n);
  const buf = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    distancesFrom(x, i, x, n, d, buf);
    const order = argsortDistances(buf, i);
    for (let r = 0; r < order.length; r++) ranks[i * n + order[r]!] = r + 1;
  }
  return ranks;
}
