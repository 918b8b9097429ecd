/**
 * Feature normalisation whose parameters are kept, so reconstructions, tangents and score fields can
 * be mapped back to the data's original units: x_norm = (x − offset) / scale, per column.
 *   standard: offset = mean, scale = standard deviation (population);
 *   minmax:   offset = min,  scale = max − min  (so the data lie in [0, 1]);
 *   none:     offset = 0,    scale = 1.
 * Constant columns get scale 1 (they map to 0), never a division by zero.
 */
export type NormalizeKind = 'none' | 'standard' | 'minmax';

export interface Normalizer {
  kind: NormalizeKind;
  /** Per column, length dims. */
  offset: Float32Array;
  /** Per column, length dims, > 0. */
  scale: Float32Array;
}

export function fitNormalizer(
  kind: NormalizeKind,
  data: Float32Array,
  rows: number,
  dims: number,
): Normalizer {
  const offset = new Float32Array(dims);
  const scale = new Float32Array(dims).fill(1);
  if (kind === 'none' || rows === 0) return { kind, offset, scale };
  if (kind === 'standard') {
    const mean = new Float64Array(dims);
    const sq = new Float64Array(dims);
    for (let r = 0; r < rows; r++) for (let c = 0; c < dims; c++) mean[c]! += data[r * dims + c]!;
    for (let c = 0; c < dims; c++) mean[c]! /= rows;
    for (let r = 0; r < rows; r++)
      for (let c = 0; c < dims; c++) {
        const d = data[r * dims + c]! - mean[c]!;
        sq[c]! += d * d;
      }
    for (let c = 0; c < dims; c++) {
      const sd = Math.sqrt(sq[c]! / rows);
      offset[c] = mean[c]!;
      scale[c] = sd > 1e-12 * Math.max(1, Math.abs(mean[c]!)) ? sd : 1;
    }
  } else {
    const lo = new Float64Array(dims).fill(Infinity);
    const hi = new Float64Array(dims).fill(-Infinity);
    for (let r = 0; r < rows; r++)
      for (let c = 0; c < dims; c++) {
        const v = data[r * dims + c]!;
        if (v < lo[c]!) lo[c] = v;
        if (v > hi[c]!) hi[c] = v;
      }
    for (let c = 0; c < dims; c++) {
      const range = hi[c]! - lo[c]!;
      offset[c] = lo[c]!;
      scale[c] = range > 1e-12 * Math.max(1, Math.abs(lo[c]!)) ? range : 1;
    }
  }
  return { kind, offset, scale };
}

/** x → (x − offset) / scale, into a new array. */
export function normalize(n: Normalizer, data: Float32Array): Float32Array {
  const dims = n.offset.length;
  const out = new Float32Array(data.length);
  for (let i = 0; i < data.length; i++) out[i] = (data[i]! - n.offset[i % dims]!) / n.scale[i % dims]!;
  return out;
}

/** Points back to original units: x = x_norm · scale + offset. */
export function denormalize(n: Normalizer, data: Float32Array): Float32Array {
  const dims = n.offset.length;
  const out = new Float32Array(data.length);
  for (let i = 0; i < data.length; i++) out[i] = data[i]! * n.scale[i % dims]! + n.offset[i % dims]!;
  return out;
}

/**
 * Directions (tangent vectors, score vectors r(x) − x) back to original units: v = v_norm · scale.
 * Offsets do not apply to differences. Note: an orthonormal basis in normalised units is no longer
 * orthonormal after this; re-orthonormalise where that matters.
 */
export function denormalizeDirections(n: Normalizer, data: Float32Array): Float32Array {
  const dims = n.scale.length;
  const out = new Float32Array(data.length);
  for (let i = 0; i < data.length; i++) out[i] = data[i]! * n.scale[i % dims]!;
  return out;
}

/** Plain-JSON form for run.json and model bundles. */
export function normalizerToJSON(n: Normalizer): { kind: NormalizeKind; offset: number[]; scale: number[] } {
  return { kind: n.kind, offset: Array.from(n.offset), scale: Array.from(n.scale) };
}

export function normalizerFromJSON(j: {
  kind: NormalizeKind;
  offset: number[];
  scale: number[];
}): Normalizer {
  return { kind: j.kind, offset: Float32Array.from(j.offset), scale: Float32Array.from(j.scale) };
}
