/**
 * What the explorer exposes on `window.explorerHooks` for the browser tests (tests/e2e/app*.test.ts)
 * and for poking at it from the devtools console: the root state and the mounted views (their
 * screenPosition, pickAt, measure and exportPng methods, as the interfaces in shared/view-types.ts
 * name them; the view components implement those).
 */
import type { DataViewProbe, LatentViewProbe } from '../shared/view-types';
import type { Explorer } from './explorer.svelte';

export interface ExplorerHooks {
  app: Explorer;
  latent: LatentViewProbe | null;
  data: DataViewProbe | null;
}

declare global {
  interface Window {
    explorerHooks?: ExplorerHooks;
  }
}

export function hooks(): ExplorerHooks | undefined {
  return window.explorerHooks;
}
