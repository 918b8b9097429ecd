/**
 * Regular grids: around the data (for the score field) and over the code box (for the decoded
 * curve or surface, docs/theory.md, "The decoded manifold").
 */

/** Per-column [min, max] of an n × d matrix, widened by `padding` × the extent on each side. */
export function boundingBox(
  x: ArrayLike<number>,
  n: number,
  d: number,
  padding = 0,
): { lo: Float64Array; hi: Float64Array } {
  const lo = new Float64Array(d).fill(Infinity),
    hi = new Float64Array(d).fill(-Infinity);
  for (let i = 0; i < n; i++)
    for (let c = 0; c < d; c++) {
      const v = x[i * d + c]!;
      if (v < lo[c]!) lo[c] = v;
      if (v > hi[c]!) hi[c] = v;
    }
  for (let c = 0; c < d; c++) {
    const ext = hi[c]! - lo[c]! || 1;
    lo[c]! -= padding * ext;
    hi[c]! += padding * ext;
  }
  return { lo, hi };
}

/** All points of a res^dims grid over the box (row-major, last axis fastest): res^dims × dims. */
export function gridPoints(
  lo: ArrayLike<number>,
  hi: ArrayLike<number>,
  dims: number,
  res: number,
): Float32Array {
  const count = res ** dims;
  const out = new Float32Array(count * dims);
  for (let p = 0; p < count; p++) {
    let rem = p;
    for (let c = dims - 1; c >= 0; c--) {
      const idx = rem % res;
      rem = Math.floor(rem / res);
      out[p * dims + c] = lo[c]! + ((hi[c]! - lo[c]!) * idx) / (res - 1);
    }
  }
  return out;
}

/** Triangles of a res × res grid (two per cell), as vertex indices. */
export function gridTriangles(res: number): Int32Array {
  const out = new Int32Array((res - 1) * (res - 1) * 6);
  let t = 0;
  for (let i = 0; i < res - 1; i++)
    for (let j = 0; j < res - 1; j++) {
      const a = i * res + j,
        b = a + 1,
        c = a + res,
        e = c + 1;
      out.set([a, c, b, b, c, e], t);
      t += 6;
    }
  return out;
}
