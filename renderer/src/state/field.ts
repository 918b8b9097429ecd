/**
 * Plain array helpers of the data-space analysis: which rows to analyse, the data's length scale,
 * and the arrows of a vector field that lie near the data. Shapes: data [n, d], grid [g, d].
 */
import { padRows, projectRows } from '../shared/projection';
import type { DataProjection } from '../shared/projection';

/** n evenly spaced rows of `rows`. */
export function spread(rows: number, n: number): number[] {
  const m = Math.min(rows, n);
  return Array.from({ length: m }, (_, i) => Math.floor(((i + 0.5) * rows) / m));
}

/** Root-mean-square of the columns' standard deviations (a length scale of the data). */
export function dataScale(std: readonly number[]): number {
  if (std.length === 0) return 1;
  return Math.sqrt(std.reduce((s, v) => s + v * v, 0) / std.length) || 1;
}

/** Rows of x [n, d] in 3-D: as they are for d ≤ 3, else projected on `components` [3, d] about `mean`. */
function to3d(x: Float32Array, n: number, d: number, proj: DataProjection | null): Float32Array {
  const rows = x.subarray(0, n * d);
  return proj ? projectRows(rows, d, proj.mean, proj.components) : padRows(rows, d);
}

/**
 * The grid points of a field that lie within `radius` grid steps of the data, measured in the 3-D
 * space the view draws (at most 4,000 data rows are used). Far from the data every arrow points
 * inward and only hides the manifold; near it the field shows what the model learned.
 */
export function nearData(
  origins: Float32Array,
  vectors: Float32Array,
  data: Float32Array,
  d: number,
  proj: DataProjection | null,
  radius = 1.5,
): { origins: Float32Array; vectors: Float32Array; spacing: number } {
  const g = Math.floor(origins.length / d);
  const n = Math.floor(data.length / d);
  const stride = Math.max(1, Math.ceil(n / 4000));
  const rows = Array.from({ length: Math.ceil(n / stride) }, (_, i) => i * stride);
  const sub = new Float32Array(rows.length * d);
  rows.forEach((r, i) => sub.set(data.subarray(r * d, (r + 1) * d), i * d));
  const p = to3d(sub, rows.length, d, proj);
  const q = to3d(origins, g, d, proj);
  // The grid step: the smallest non-zero distance from the first grid point to the others.
  let step = Infinity;
  for (let j = 1; j < g; j++) {
    const dist = Math.hypot(q[3 * j]! - q[0]!, q[3 * j + 1]! - q[1]!, q[3 * j + 2]! - q[2]!);
    if (dist > 1e-9 && dist < step) step = dist;
  }
  if (!Number.isFinite(step)) return { origins, vectors, spacing: 1 };
  const r2 = (radius * step) ** 2;
  const keep: number[] = [];
  for (let j = 0; j < g; j++) {
    const a = q[3 * j]!,
      b = q[3 * j + 1]!,
      c = q[3 * j + 2]!;
    for (let i = 0; i < rows.length; i++) {
      const dx = p[3 * i]! - a,
        dy = p[3 * i + 1]! - b,
        dz = p[3 * i + 2]! - c;
      if (dx * dx + dy * dy + dz * dz <= r2) {
        keep.push(j);
        break;
      }
    }
  }
  const o = new Float32Array(keep.length * d);
  const v = new Float32Array(keep.length * d);
  keep.forEach((j, i) => {
    o.set(origins.subarray(j * d, (j + 1) * d), i * d);
    v.set(vectors.subarray(j * d, (j + 1) * d), i * d);
  });
  return { origins: o, vectors: v, spacing: step };
}
