/**
 * A loaded, validated dataset: what every loader returns and what the engine trains on. Types only
 * (it travels over IPC and the browser-mode socket as typed arrays with their shape).
 */

/** A categorical column one-hot encoded into `levels.length` consecutive columns from `start`. */
export interface CategoricalGroup {
  /** The source column's name. */
  name: string;
  /** First column of the one-hot block in the feature matrix. */
  start: number;
  /** The category values, in column order. */
  levels: string[];
}

/** Ground truth of a built-in sample (see docs/theory.md, "The built-in samples"). */
export interface GroundTruth {
  /** Intrinsic dimension m of the manifold (0 for a density such as the Gaussian mixture). */
  intrinsicDims: number;
  /** Intrinsic coordinates, rows × m. */
  coordinates?: Float32Array;
  /** Tangent basis at every point, rows × m × d, orthonormal rows. */
  tangents?: Float32Array;
  /** The true score ∇ₓ log p(x) at every point, rows × d, where the density is known. */
  score?: Float32Array;
}

export interface ImageShape {
  width: number;
  height: number;
  channels: 1 | 3;
}

export interface Dataset {
  /** A short display name. */
  name: string;
  /** Where it came from: a file path, a folder, or `sample:NAME?rows=…&noise=…&seed=…`. */
  source: string;
  /** sha256 of the source bytes (for samples: of the generated matrix), hex. */
  sha256: string;
  rows: number;
  dims: number;
  /** rows × dims, row-major, finite. */
  data: Float32Array;
  /** One integer label per row (indices into `labelNames` when present). */
  labels?: Int32Array;
  labelNames?: string[];
  /** One name per column. */
  featureNames?: string[];
  /** One-hot groups, for the categorical output distribution. */
  categorical?: CategoricalGroup[];
  /** For image data: each row is an image of this shape (HWC order). */
  image?: ImageShape;
  /** Built-in samples only. */
  truth?: GroundTruth;
  /**
   * What the loader noticed but did not refuse (a decimal comma it read as a point, invalid UTF-8,
   * duplicate column names): one sentence each, naming the place.
   */
  warnings?: string[];
}
