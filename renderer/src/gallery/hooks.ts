/**
 * What the gallery exposes on `window.gallery` for the browser tests (tests/e2e/views.test.ts) and
 * for poking at views from the devtools console.
 */
import type LatentView from '../scene/LatentView.svelte';
import type DataView from '../scene/DataView.svelte';
import type LossChart from '../charts/LossChart.svelte';
import type Histogram from '../charts/Histogram.svelte';
import type SpectrumChart from '../charts/SpectrumChart.svelte';

export type Theme = 'dark' | 'light';
export type DatasetName = 'swiss' | 'circle' | 'highd';

export interface GalleryHooks {
  latent: ReturnType<typeof LatentView>;
  data: ReturnType<typeof DataView>;
  loss: ReturnType<typeof LossChart>;
  histogram: ReturnType<typeof Histogram>;
  spectrum: ReturnType<typeof SpectrumChart>;
  setCount(n: number): void;
  setK(k: number): void;
  setDataset(name: DatasetName): void;
  setTheme(theme: Theme): void;
  /** `count` snapshots of the current codes as if streamed during training (for measureUpdate). */
  snapshots(count: number): Float32Array[];
  /** Append one epoch to the loss chart and move the codes one step (what streaming does). */
  streamStep(): void;
  /** Current epochs in the loss chart. */
  epochs(): number;
  /** Row i of the data-space scene's data ([d] values). */
  dataRow(i: number): number[];
}

declare global {
  interface Window {
    gallery?: GalleryHooks;
  }
}
