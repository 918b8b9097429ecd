/**
 * What the state (state/) and the drawing code (scene/, charts/) agree on: the data-space view's
 * layer names and layer inputs, the PNG export's options, and the handles a mounted view exposes.
 * The state prepares these shapes and the views draw them; neither imports the other for them.
 * Shapes: d = data dimension; row-major Float32Arrays.
 */

/** The data-space view's layers, bottom to top of its toolbar. */
export type LayerName =
  'data' | 'recon' | 'links' | 'manifold' | 'tangents' | 'field' | 'trajectories' | 'pca';

/**
 * Which layers the data view shows unless told otherwise: everything but the x → r(x) links and
 * the PCA plane (the app and the gallery start with the reconstructions off too).
 */
export const DEFAULT_LAYERS: Readonly<Record<LayerName, boolean>> = {
  data: true,
  recon: true,
  links: false,
  manifold: true,
  tangents: true,
  field: true,
  trajectories: true,
  pca: false,
};

/** The decoded surface for k = 2. */
export interface SurfaceInput {
  /** [rows · cols, d] decoded grid, row-major over the grid (row r, column c at r · cols + c). */
  positions: Float32Array;
  rows: number;
  cols: number;
}

export type SurfaceStyle = 'solid' | 'wireframe' | 'both';

export interface TangentInput {
  /** [p, d] the points where the patches sit. */
  centres: Float32Array;
  /** [p, m, d] a basis of the tangent space at each centre (m = 1 or 2; orthonormalised when drawn). */
  bases: Float32Array;
  /** m, the tangent dimension. */
  m: number;
  /** Half-width of a patch in data units; default 3.5 % of the scene (which is two units across). */
  size?: number;
}

/** The PCA plane (or line). */
export interface PlaneInput {
  /** [d] the data mean. */
  mean: ArrayLike<number>;
  /** [m, d] the top m = 1 or 2 principal directions. */
  axes: ArrayLike<number>;
  /** [m] half-lengths along each direction in data units (e.g. 2σ). */
  extents: ArrayLike<number>;
}

/** The vector field r(x) − x. */
export interface FieldInput {
  /** [g, d] arrow tails (grid points). */
  origins: Float32Array;
  /** [g, d] r(x) − x at each grid point. */
  vectors: Float32Array;
  /** Grid spacing in data units; estimated from the origins when absent. */
  spacing?: number;
}

/** Denoising trajectories. */
export interface TrajectoryInput {
  /** [t, s, d]: t trajectories of s steps each (step 0 is the start). */
  points: Float32Array;
  /** s, the number of steps per trajectory. */
  steps: number;
}

/** One line of the loss chart. */
export interface LossSeries {
  /** The loss component, e.g. 'reconstruction', 'penalty', 'KL', 'total'. */
  name: string;
  split?: 'train' | 'validation';
  /** [m] epochs (fractional for mid-epoch points). */
  x: ArrayLike<number>;
  /** [m] values. */
  y: ArrayLike<number>;
}

export interface PngOptions {
  /** 1 to 4 (clamped); the PNG is scale × the view's CSS size. Default 1. */
  scale?: number;
  /** Leave the background transparent (alpha 0) instead of the theme's colour. */
  transparent?: boolean;
  /** Paint the legend into the image (default true). */
  legend?: boolean;
}

/** A point the data view picked: which cloud (data or reconstructions) and the row. */
export interface PickHit {
  /** Which registered layer the point belongs to. */
  layer: string;
  index: number;
}

/** Timings for the benchmark and the browser tests' report (scene/measure.ts). */
export interface ViewTimings {
  /** Mean ms per frame, each waited for with a 1-pixel read back. */
  frameMs: number;
  /** ms to project every point and bucket it (once per camera move). */
  gridBuildMs: number;
  /** Mean ms per hover pick from a built grid. */
  pickMs: number;
  /** Mean ms per pick by the GPU id pass (render to a 1 × 1 target and read it back). */
  gpuPickMs: number;
  /** The WebGL renderer (e.g. SwiftShader) and whether the view multisamples. */
  renderer: string;
  antialias: boolean;
}

/** What any mounted 3-D view offers the app: exports and framing. */
export interface ViewHandle {
  exportPng(opts?: PngOptions): Promise<Uint8Array>;
  fit(): void;
}

/** The mounted views as the browser tests and the devtools console reach them (state/hooks.ts). */
export interface ViewProbe extends ViewHandle {
  screenPosition(i: number): { x: number; y: number } | null;
  measure(frames?: number, samples?: number): ViewTimings | null;
}

export interface LatentViewProbe extends ViewProbe {
  pickAt(x: number, y: number, method?: 'grid' | 'gpu'): number | null;
  toSvg(opts?: { background?: boolean; title?: string }): string;
}

export interface DataViewProbe extends ViewProbe {
  pickAt(x: number, y: number, method?: 'grid' | 'gpu'): PickHit | null;
}
