/**
 * The compute window: the shared engine host (electron/hosts/engine-host.ts) in a hidden Chromium
 * window, where WebGPU and multi-threaded WASM (cross-origin isolated) are available — the desktop
 * app's GPU path. The port arrives from the preload (or, in tests, from the page itself).
 */
import { runEngineHost } from '../../../electron/hosts/engine-host';
import type { FromHost, ToHost } from '../../../electron/hosts/protocol';
import { setupBrowserBackend } from './backends';

function start(port: MessagePort): void {
  runEngineHost(
    {
      post: (m: FromHost, transfer?: ArrayBuffer[]) => port.postMessage(m, transfer ?? []),
      onMessage: (handler) => {
        port.onmessage = (e: MessageEvent<ToHost>) => handler(e.data);
      },
    },
    setupBrowserBackend,
  );
  document.documentElement.dataset.engine = 'ready';
}

window.addEventListener('message', (e: MessageEvent) => {
  if (e.source === window && e.data === 'explorer:engine-port' && e.ports[0]) start(e.ports[0]);
});
