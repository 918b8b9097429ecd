/**
 * The Node worker-thread engine host (command line, browser mode): the shared engine host
 * (hosts/engine-host.ts) behind `parentPort`, with the Node backends (Dawn WebGPU, tfjs-node, WASM,
 * CPU).
 */
import { parentPort } from 'node:worker_threads';
import { runEngineHost } from '../engine-host';
import { setupNodeBackend } from '../node/backends';
import type { ToHost } from '../protocol';

const port = parentPort;
if (!port) throw new Error('engine-worker must run in a worker thread');

runEngineHost(
  {
    post: (message, transfer) => port.postMessage(message, transfer ?? []),
    onMessage: (handler) => port.on('message', (m: ToHost) => handler(m)),
  },
  (pref, dims) => setupNodeBackend(pref, dims ? { dims } : {}),
);
