/**
 * The bridge. It exposes a handful of named functions as `window.explorer` — never ipcRenderer
 * itself, never the raw IPC event — each forwarding to the one validated channel in main.
 */
import { contextBridge, ipcRenderer } from 'electron';
import type { CallName, CallReply, ExplorerApi } from '../shared/contract';

const IPC_CHANNEL = 'explorer:call'; // mirrors contract.ts (the sandboxed preload bundles no zod)

async function call<T>(name: CallName, input: unknown = {}): Promise<T> {
  const reply = (await ipcRenderer.invoke(IPC_CHANNEL, { call: name, input })) as CallReply<T>;
  if (reply.ok) return reply.result;
  const error = new Error(reply.error.message);
  error.name = reply.error.code;
  throw error;
}

const api: ExplorerApi = {
  appInfo: () => call('appInfo'),
  listSamples: () => call('listSamples'),
};

contextBridge.exposeInMainWorld('explorer', api);
