/**
 * Tangent planes of the learned manifold (docs/theory.md, "Tangent planes"), in the data's original units:
 *  - decoder (default): the column space of J_g(h) at h = f(x), the tangent of the decoded surface.
 *    In original units J = diag(scale) · J_g,norm (d × k);
 *  - encoder: the leading right-singular vectors of J_f(x), the directions the code is sensitive
 *    to (the CAE view). In original units J = J_f,norm · diag(1/scale) (k × d).
 * The singular values give the local intrinsic dimension: the count above `relTol` × the largest.
 */
import { fullJacobian, applyBatched } from './full-jacobian';
import { principalAngles, thinSvd, toDegrees } from './linalg';
import type { ModelView } from './model-view';
import { normalize } from '../data/normalize';

export interface TangentResult {
  /** n × m × d, orthonormal rows. */
  tangents: Float32Array;
  m: number;
  /** n × r singular values (r = min(k, d)), descending. */
  singularValues: Float32Array;
  r: number;
  /** n local intrinsic-dimension estimates. */
  intrinsicDims: Int32Array;
}

export interface TangentOptions {
  method?: 'decoder' | 'encoder';
  /** Basis size m; default: the median local estimate. */
  dims?: number;
  /** Singular values below relTol × the largest do not count toward the local dimension. */
  relTol?: number;
}

export function localDimension(s: ArrayLike<number>, relTol: number): number {
  const top = s[0] ?? 0;
  if (!(top > 0)) return 0;
  let m = 0;
  for (let i = 0; i < s.length; i++) if (s[i]! >= relTol * top) m++;
  return m;
}

function median(a: Int32Array): number {
  const s = Array.from(a).sort((x, y) => x - y);
  return s.length ? s[Math.floor((s.length - 1) / 2)]! : 0;
}

/** Tangent bases at the points `x` (original units, n × d). */
export async function tangentPlanes(
  model: ModelView,
  x: Float32Array,
  n: number,
  opts: TangentOptions = {},
): Promise<TangentResult> {
  const d = model.inputDims;
  const k = model.latent;
  const method = opts.method ?? 'decoder';
  const relTol = opts.relTol ?? 0.1;
  const scale = model.normalizer.scale;
  const xn = normalize(model.normalizer, x);
  const r = Math.min(k, d);
  // Per point: a rows × cols matrix in original units whose leading singular directions in R^d we want.
  let jac: Float32Array;
  if (method === 'decoder') {
    const h = await applyBatched((t) => model.encode(t), xn, n, d, k);
    jac = await fullJacobian((t) => model.decode(t), h, n, k, d); // n × d × k
  } else {
    jac = await fullJacobian((t) => model.encode(t), xn, n, d, k); // n × k × d
  }
  const svds = [];
  const intrinsicDims = new Int32Array(n);
  const singularValues = new Float32Array(n * r);
  for (let i = 0; i < n; i++) {
    const a = new Float64Array(d * k);
    if (method === 'decoder') {
      for (let row = 0; row < d; row++)
        for (let c = 0; c < k; c++) a[row * k + c] = jac[i * d * k + row * k + c]! * scale[row]!;
      svds.push(thinSvd(a, d, k)); // U: d × r — tangent directions are U's columns
    } else {
      for (let row = 0; row < k; row++)
        for (let c = 0; c < d; c++) a[row * d + c] = jac[i * k * d + row * d + c]! / scale[c]!;
      svds.push(thinSvd(a, k, d)); // V: d × r — right-singular vectors
    }
    const s = svds[i]!.s;
    for (let j = 0; j < r; j++) singularValues[i * r + j] = s[j]!;
    intrinsicDims[i] = localDimension(s, relTol);
  }
  const m = Math.max(1, Math.min(r, opts.dims ?? median(intrinsicDims)));
  const tangents = new Float32Array(n * m * d);
  for (let i = 0; i < n; i++) {
    const svd = svds[i]!;
    const basis = method === 'decoder' ? svd.u : svd.v; // d × r, column j = direction j
    for (let j = 0; j < m; j++) for (let c = 0; c < d; c++) tangents[(i * m + j) * d + c] = basis[c * r + j]!;
  }
  return { tangents, m, singularValues, r, intrinsicDims };
}

/**
 * Largest principal angle (degrees) between the estimated and the true tangent plane at each point.
 * `truth` is n × mt × d; the estimate's first min(m, mt) directions are compared.
 */
export function tangentAngles(
  est: Float32Array,
  m: number,
  truth: Float32Array,
  mt: number,
  n: number,
  d: number,
): Float32Array {
  const out = new Float32Array(n);
  const q = Math.min(m, mt);
  for (let i = 0; i < n; i++) {
    const a = est.subarray(i * m * d, i * m * d + q * d);
    const b = truth.subarray(i * mt * d, (i + 1) * mt * d);
    const angles = principalAngles(a, q, b, mt, d);
    out[i] = toDegrees(angles[angles.length - 1] ?? 0);
  }
  return out;
}
