/**
 * What the explorer exposes on `window.explorerHooks` for the browser tests (tests/e2e/app*.test.ts)
 * and for poking at it from the devtools console: the root state and the mounted views (their
 * screenPosition, pickAt, measure and exportPng methods).
 */
import type LatentView from '../scene/LatentView.svelte';
import type DataView from '../scene/DataView.svelte';
import type { Explorer } from './explorer.svelte';

export interface ExplorerHooks {
  app: Explorer;
  latent: ReturnType<typeof LatentView> | null;
  data: ReturnType<typeof DataView> | null;
}

declare global {
  interface Window {
    explorerHooks?: ExplorerHooks;
  }
}

export function hooks(): ExplorerHooks | undefined {
  return window.explorerHooks;
}
