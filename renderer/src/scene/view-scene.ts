/**
 * What a 3-D view's scene offers the viewport that hosts it (Viewport.svelte): the latent view's
 * LatentScene and the data view's DataScene both implement it. H is what a pick returns (a point
 * index, or a layer and an index).
 */
import type { Stage } from './stage';
import type { ViewTheme } from './theme';

export interface ViewScene<H> {
  readonly stage: Stage;
  setTheme(theme: ViewTheme): void;
  /** The point under CSS pixel (x, y) of the canvas, by the screen-space grid. */
  pick(x: number, y: number): H | null;
  /** The same from the GPU id pass (for comparison and the benchmark). */
  pickGpu(x: number, y: number): H | null;
  /** Point size in CSS pixels; null picks one from n. */
  setPointSize(px: number | null): void;
  /** Frame everything again. */
  fit(): void;
  dispose(): void;
}
