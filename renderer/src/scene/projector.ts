/**
 * Data space (d dimensions) → the 3 coordinates a view draws: d ≤ 3 as is (zero-padded; d = 2 is
 * drawn flat), d > 3 through a projection — the engine's 3-D PCA, given as a prop (mean [d] and
 * components [3, d], orthonormal rows), or else computed here from the data (subsampled when wide).
 */
import { padRows, projectRows } from '../shared/projection';
import type { DataProjection } from '../shared/projection';
import { pcaBasis } from './view-pca';

export class Projector {
  readonly d: number;
  readonly dims: 1 | 2 | 3;
  readonly names: [string, string, string];
  private readonly mean: Float64Array | null;
  private readonly w: Float64Array | null; // [3, d]
  /** True when the projection was computed here (and from how many rows). */
  readonly estimatedFrom: number | null;

  constructor(d: number, projection: DataProjection | null, data: Float32Array | null) {
    this.d = d;
    if (d <= 3) {
      this.dims = d <= 1 ? 1 : d === 2 ? 2 : 3;
      this.names = (['x₁', 'x₂', 'x₃'] as const).map((s, j) => (j < d ? s : '')) as [string, string, string];
      this.mean = null;
      this.w = null;
      this.estimatedFrom = null;
      return;
    }
    this.dims = 3;
    if (projection) {
      if (projection.mean.length !== d || projection.components.length % d !== 0)
        throw new RangeError(`DataView: projection needs mean [${d}] and components [3, ${d}]`);
      this.mean = Float64Array.from(projection.mean);
      this.w = new Float64Array(3 * d);
      this.w.set(Array.from(projection.components).slice(0, 3 * d));
      this.names = projection.names ?? ['PC1', 'PC2', 'PC3'];
      this.estimatedFrom = null;
    } else {
      const n = data ? data.length / d : 0;
      if (!data || n < 2)
        throw new RangeError(`DataView: d = ${d} > 3 needs a projection or data to estimate one`);
      const b = pcaBasis(data, n, d, 3);
      this.mean = b.mean;
      this.w = new Float64Array(3 * d);
      this.w.set(b.components);
      this.names = Array.from(
        b.variances,
        (v, j) => `PC${j + 1} (${Math.round((100 * v) / (b.total || 1))}%)`,
      ) as [string, string, string];
      this.estimatedFrom = b.rowsUsed;
    }
  }

  /** Rows of x ([n, d]) → [n, 3] coordinates (affine: subtracts the mean). */
  points(x: Float32Array | ArrayLike<number>, out?: Float32Array): Float32Array {
    return this.map(x, true, out);
  }

  /** Vectors ([n, d]: tangents, r(x) − x) → [n, 3] (linear part only). */
  vectors(v: Float32Array | ArrayLike<number>, out?: Float32Array): Float32Array {
    return this.map(v, false, out);
  }

  private map(x: ArrayLike<number>, affine: boolean, out?: Float32Array): Float32Array {
    const d = this.d;
    if (this.w && this.mean) return projectRows(x, d, this.mean, this.w, affine, out);
    return padRows(x, d, out);
  }
}
