/**
 * The utility-process engine host (desktop app with tfjs-node installed): the shared engine host
 * behind Electron's `process.parentPort`, with the Node backends.
 */
import { runEngineHost } from '../engine-host';
import { setupNodeBackend } from '../node/backends';
import type { ToHost } from '../protocol';

interface ParentPort {
  postMessage(m: unknown): void;
  on(event: 'message', cb: (e: { data: unknown }) => void): void;
}
const parentPort = (process as unknown as { parentPort?: ParentPort }).parentPort;
if (!parentPort) throw new Error('engine-utility must run in an Electron utility process');

runEngineHost(
  {
    post: (message) => parentPort.postMessage(message),
    onMessage: (handler) => parentPort.on('message', (e) => handler(e.data as ToHost)),
  },
  (pref, dims) => setupNodeBackend(pref === 'auto' ? 'tensorflow' : pref, dims ? { dims } : {}),
);
