/**
 * The bridge. It exposes `window.explorer`: one named function per contract call, each forwarding
 * to the one validated IPC channel, and one subscription function per event, fed from a
 * MessagePort that main hands over. Never ipcRenderer itself, never the raw IPC event, never the
 * port. Main validates every payload; this file bundles no schema library (sandboxed preload).
 */
import { contextBridge, ipcRenderer } from 'electron';
import { CALLS, EVENTS, IPC_CHANNEL, PORT_CHANNEL } from '../shared/call-names';

type Listener = (payload: unknown) => void;
const listeners = new Map<string, Set<Listener>>(EVENTS.map((e) => [e, new Set<Listener>()]));

ipcRenderer.on(PORT_CHANNEL, (event) => {
  const port = event.ports[0];
  if (!port) return;
  port.onmessage = (msg: MessageEvent) => {
    const data = msg.data as { event?: unknown; payload?: unknown } | null;
    if (!data || typeof data.event !== 'string') return;
    for (const cb of listeners.get(data.event) ?? []) {
      try {
        cb(data.payload);
      } catch (e) {
        console.error(e);
      }
    }
  };
  port.start();
});

async function call(name: string, input: unknown): Promise<unknown> {
  const reply = (await ipcRenderer.invoke(IPC_CHANNEL, { call: name, input: input ?? {} })) as
    { ok: true; result: unknown } | { ok: false; error: { code: string; message: string } };
  if (reply.ok) return reply.result;
  const error = new Error(reply.error.message);
  error.name = 'ApiError';
  (error as Error & { code: string }).code = reply.error.code;
  throw error;
}

const subscribe = (event: string) => (cb: Listener) => {
  if (typeof cb !== 'function') throw new TypeError('expected a callback');
  listeners.get(event)!.add(cb);
  return () => void listeners.get(event)!.delete(cb);
};

const api: Record<string, unknown> = {};
for (const name of CALLS) api[name] = (input: unknown) => call(name, input);
const cap = (s: string) => s[0]!.toUpperCase() + s.slice(1);
for (const event of EVENTS) api[`on${cap(event)}`] = subscribe(event);

contextBridge.exposeInMainWorld('explorer', api);
