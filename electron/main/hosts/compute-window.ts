/**
 * The desktop app's GPU path: a hidden, sandboxed window that runs the engine with Chromium's
 * WebGPU or multi-threaded WASM (renderer/compute.html). Main talks to it over a MessagePort
 * (MessageChannelMain); if its renderer process dies, the supervisor is told and starts a new one.
 */
import { BrowserWindow, MessageChannelMain } from 'electron';
import { join } from 'node:path';
import type { HostHandle } from '../../app/supervisor';
import type { FromHost, ToHost } from '../../hosts/protocol';
import { APP_ORIGIN } from '../protocol';
import { mainWebPreferences } from '../window';

export const COMPUTE_PORT_CHANNEL = 'explorer:engine-port';

export function computeWindowHost(outDir: string): HostHandle {
  const win = new BrowserWindow({
    show: false,
    webPreferences: {
      ...mainWebPreferences(join(outDir, 'preload/compute.cjs')),
      backgroundThrottling: false,
    },
  });
  const { port1, port2 } = new MessageChannelMain();
  let exitCb: ((reason: string) => void) | undefined;
  let gone = false;
  const exit = (reason: string) => {
    if (gone) return;
    gone = true;
    port1.close();
    exitCb?.(reason);
  };
  const queue: { m: ToHost; transfer?: ArrayBuffer[] }[] = [];
  let loaded = false;
  win.webContents.once('did-finish-load', () => {
    win.webContents.postMessage(COMPUTE_PORT_CHANNEL, null, [port2]);
    loaded = true;
    for (const q of queue.splice(0)) port1.postMessage(q.m);
  });
  win.webContents.on('render-process-gone', (_e, details) => exit(`compute window ${details.reason}`));
  win.on('closed', () => exit('compute window closed'));
  void win.loadURL(`${APP_ORIGIN}/compute.html`);
  port1.start();
  return {
    // MessagePortMain clones typed arrays; transfer lists apply to MessagePorts only.
    post: (m) => (loaded ? port1.postMessage(m) : queue.push({ m })),
    onMessage: (cb) => port1.on('message', (e) => cb(e.data as FromHost)),
    onExit: (cb) => {
      exitCb = cb;
    },
    terminate: async () => {
      if (!win.isDestroyed()) win.destroy();
      exit('stopped');
    },
  };
}
