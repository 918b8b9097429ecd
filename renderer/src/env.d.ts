/// <reference types="svelte" />
/// <reference types="vite/client" />
import type { ExplorerApi } from '../../electron/shared/contract';

declare global {
  interface Window {
    /** Exposed by the preload in the desktop app, or built over a WebSocket in browser mode. */
    explorer?: ExplorerApi;
  }
}
