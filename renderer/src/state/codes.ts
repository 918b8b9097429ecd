/**
 * Per-row quantities the latent view colours by, and the row bookkeeping of subsets (training
 * snapshots of big datasets) and overlays (two runs' codes in one cloud). Shapes: codes [n, k].
 */

/** Mean |h| of each row: the sparse family's activity. */
export function rowSparsity(codes: Float32Array, n: number, k: number): Float32Array {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < k; j++) s += Math.abs(codes[i * k + j]!);
    out[i] = s / Math.max(1, k);
  }
  return out;
}

/**
 * The hash bucket of each row: its binary code 1[h > ½] read as an integer (k ≤ 30), or an FNV-1a
 * hash of the bits for longer codes (equal codes still share a bucket).
 */
export function hashBuckets(codes: Float32Array, n: number, k: number): Int32Array {
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let v = k <= 30 ? 0 : 0x811c9dc5;
    for (let j = 0; j < k; j++) {
      const bit = codes[i * k + j]! > 0.5 ? 1 : 0;
      v = k <= 30 ? v * 2 + bit : Math.imul(v ^ bit, 0x01000193) >>> 0;
    }
    out[i] = k <= 30 ? v : v & 0x7fffffff;
  }
  return out;
}

/** Rows `indices` of a row-major [n, width] array. */
export function gatherRows<T extends Float32Array | Int32Array>(
  src: T,
  indices: ArrayLike<number>,
  width: number,
): T {
  const out = new (src.constructor as new (n: number) => T)(indices.length * width);
  for (let i = 0; i < indices.length; i++) {
    const r = indices[i]!;
    out.set(src.subarray(r * width, (r + 1) * width), i * width);
  }
  return out;
}

/** Column j of a row-major [n, width] array. */
export function column(src: Float32Array, width: number, j: number): Float32Array {
  const n = Math.floor(src.length / width);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = src[i * width + j]!;
  return out;
}

/**
 * Two runs' codes in one cloud: [2n, K] with K = max(ka, kb) (the shorter codes padded with 0),
 * and a label per point: 0 for the first run, 1 for the second.
 */
export function overlayCodes(
  a: Float32Array,
  ka: number,
  b: Float32Array,
  kb: number,
  n: number,
): { codes: Float32Array; k: number; labels: Int32Array } {
  const k = Math.max(ka, kb);
  const codes = new Float32Array(2 * n * k);
  for (let i = 0; i < n; i++) {
    codes.set(a.subarray(i * ka, (i + 1) * ka), i * k);
    codes.set(b.subarray(i * kb, (i + 1) * kb), (n + i) * k);
  }
  const labels = new Int32Array(2 * n);
  labels.fill(1, n);
  return { codes, k, labels };
}
