/**
 * Data space (d dimensions) → the three coordinates a view draws, by an affine projection onto at
 * most three directions: out[i, j] = Σ_t (x[i, t] − μ_t) W[j, t] (μ left out for vectors), [n, 3],
 * zero where there are fewer than three directions. Shared by the views (scene/) and the state that
 * prepares their inputs (state/field.ts measures distances in the space the view draws).
 */

/** A projection to 3-D: the engine's PCA of the data, or one estimated by the view. */
export interface DataProjection {
  /** [d] */
  mean: ArrayLike<number>;
  /** [m, d] row-major, m ≤ 3: the directions (orthonormal rows; fewer than three are padded with 0). */
  components: ArrayLike<number>;
  /** Axis titles; default PC1, PC2, PC3. */
  names?: [string, string, string];
}

/**
 * Rows of x ([n, d]) projected onto the rows of `w` ([m, d], m ≤ 3) about `mean` (`affine`; else
 * the linear part only, for tangents and r(x) − x): [n, 3].
 */
export function projectRows(
  x: ArrayLike<number>,
  d: number,
  mean: ArrayLike<number>,
  w: ArrayLike<number>,
  affine = true,
  out?: Float32Array,
): Float32Array {
  const n = Math.floor(x.length / d);
  const o = out ?? new Float32Array(n * 3);
  // Three rows of directions, the missing ones zero, so the loop below needs no bounds tests.
  const w3 = new Float64Array(3 * d);
  for (let i = 0; i < Math.min(w3.length, Math.floor(w.length / d) * d); i++) w3[i] = w[i] as number;
  const mu = Float64Array.from({ length: d }, (_, t) => (affine ? (mean[t] as number) : 0));
  for (let i = 0; i < n; i++) {
    let a = 0;
    let b = 0;
    let c = 0;
    const base = i * d;
    for (let t = 0; t < d; t++) {
      const v = (x[base + t] as number) - mu[t]!;
      a += v * w3[t]!;
      b += v * w3[d + t]!;
      c += v * w3[2 * d + t]!;
    }
    o[i * 3] = a;
    o[i * 3 + 1] = b;
    o[i * 3 + 2] = c;
  }
  return o;
}

/** Rows of x ([n, d], d ≤ 3) as [n, 3] coordinates, zero-padded. */
export function padRows(x: ArrayLike<number>, d: number, out?: Float32Array): Float32Array {
  const n = Math.floor(x.length / d);
  const o = out ?? new Float32Array(n * 3);
  for (let i = 0; i < n; i++) for (let j = 0; j < 3; j++) o[i * 3 + j] = j < d ? (x[i * d + j] as number) : 0;
  return o;
}
