/**
 * The decoded manifold (docs/theory.md, "The decoded manifold"): decode a regular grid over the box the codes fill
 * (widened a little), so the renderer can draw what the decoder has learned — a curve for k = 1, a
 * triangle mesh for k = 2. For k ≥ 3 there is no surface to draw (the latent view shows the codes,
 * projected by PCA when k > 3).
 */
import { applyBatched } from './full-jacobian';
import { boundingBox, gridPoints, gridTriangles } from './grid';
import type { ModelView } from './model-view';
import { denormalize } from '../data/normalize';

export interface DecodedSurface {
  kind: 'curve' | 'mesh' | 'none';
  /** v × d, original units. */
  vertices: Float32Array;
  /** Triangles (mesh) or the line-strip order (curve). */
  indices: Int32Array;
  /** k × 2: the decoded latent box (min, max per code unit). */
  latentRange: Float32Array;
}

export async function decodedSurface(
  model: ModelView,
  codes: Float32Array,
  n: number,
  resolution: number,
  padding = 0.05,
): Promise<DecodedSurface> {
  const k = model.latent;
  const d = model.inputDims;
  const { lo, hi } = boundingBox(codes, n, k, padding);
  const latentRange = new Float32Array(k * 2);
  for (let j = 0; j < k; j++) {
    latentRange[j * 2] = lo[j]!;
    latentRange[j * 2 + 1] = hi[j]!;
  }
  if (k > 2) return { kind: 'none', vertices: new Float32Array(0), indices: new Int32Array(0), latentRange };
  const grid = gridPoints(lo, hi, k, resolution);
  const count = grid.length / k;
  const decoded = denormalize(
    model.normalizer,
    await applyBatched((t) => model.decode(t), grid, count, k, d),
  );
  const indices = k === 1 ? Int32Array.from({ length: count }, (_, i) => i) : gridTriangles(resolution);
  return { kind: k === 1 ? 'curve' : 'mesh', vertices: decoded, indices, latentRange };
}
