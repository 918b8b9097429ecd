/**
 * The compute window's preload: it receives the engine port from main and hands it to the page
 * with window.postMessage (the documented way to pass a MessagePort into an isolated world). It
 * exposes nothing else.
 */
import { ipcRenderer } from 'electron';

const COMPUTE_PORT_CHANNEL = 'explorer:engine-port'; // mirrors main/hosts/compute-window.ts

ipcRenderer.once(COMPUTE_PORT_CHANNEL, (event) => {
  const port = event.ports[0];
  if (port) window.postMessage('explorer:engine-port', window.location.origin, [port]);
});
