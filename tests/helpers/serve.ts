/**
 * Browser mode in a test: the app core with the engine in a Node worker (the built
 * out/main/engine-worker.js), behind the real WebSocket server, and a Node client that speaks the
 * wire format like the renderer's socket client does.
 */
import { join } from 'node:path';
import WebSocket from 'ws';
import { createAppCore } from '../../electron/app/core';
import type { AppCore, CoreOptions } from '../../electron/app/core';
import { nodeWorkerHost } from '../../electron/hosts/node-worker/handle';
import { startServer } from '../../electron/hosts/serve/server';
import type { RunningServer } from '../../electron/hosts/serve/server';
import { decodeFrame, encodeFrame } from '../../electron/shared/wire';
import type { CallInput, CallName, CallResult, EventMessage } from '../../electron/shared/contract';
import { ROOT } from './cli';

export const WORKER = join(ROOT, 'out/main/engine-worker.js');

export async function startBrowserMode(
  opts: Partial<CoreOptions> = {},
): Promise<{ core: AppCore; server: RunningServer; logs: string[]; close(): Promise<void> }> {
  const logs: string[] = [];
  const core = createAppCore({
    host: 'browser',
    version: 'test',
    hostFactory: () => nodeWorkerHost(WORKER),
    backend: 'wasm',
    log: (m) => logs.push(m),
    ...opts,
  });
  const server = await startServer({
    root: join(ROOT, 'out/renderer'),
    handlers: core.handlers,
    subscribe: (send) => core.subscribe(send),
    connect: () => core.connect(),
    log: (m) => logs.push(m),
  });
  return {
    core,
    server,
    logs,
    close: async () => {
      await server.close();
      await core.close();
    },
  };
}

export interface TestClient {
  call<N extends CallName>(name: N, input: CallInput<N>): Promise<CallResult<N>>;
  /** Send raw bytes (malformed-message tests); resolves with the next reply. */
  raw(bytes: Uint8Array | string): Promise<unknown>;
  events: EventMessage[];
  /** Resolve when an event matching `pred` arrives (or has arrived). */
  waitFor(pred: (e: EventMessage) => boolean, timeoutMs?: number): Promise<EventMessage>;
  close(): void;
  socket: WebSocket;
}

export function connectClient(
  server: RunningServer,
  opts: { token?: string; origin?: string } = {},
): Promise<TestClient> {
  const url = `ws://127.0.0.1:${server.port}/api?token=${opts.token ?? server.token}`;
  const socket = new WebSocket(url, { origin: opts.origin ?? server.origin });
  const events: EventMessage[] = [];
  const waiters: { pred: (e: EventMessage) => boolean; resolve: (e: EventMessage) => void }[] = [];
  const pending = new Map<
    number | null,
    (v: { ok: boolean; result?: unknown; error?: { code: string; message: string } }) => void
  >();
  let nextId = 1;
  socket.on('message', (data: Buffer) => {
    const msg = decodeFrame(new Uint8Array(data.buffer, data.byteOffset, data.byteLength)) as Record<
      string,
      unknown
    >;
    if ('event' in msg) {
      const e = msg as unknown as EventMessage;
      events.push(e);
      for (const w of waiters.splice(0))
        if (w.pred(e)) w.resolve(e);
        else waiters.push(w);
      return;
    }
    const id = (msg.id ?? null) as number | null;
    const p = pending.get(id);
    pending.delete(id);
    p?.(msg as never);
  });
  return new Promise((resolve, reject) => {
    socket.once('error', reject);
    socket.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    socket.once('open', () =>
      resolve({
        socket,
        events,
        call: (name, input) =>
          new Promise((res, rej) => {
            const id = nextId++;
            pending.set(id, (r) =>
              r.ok
                ? res(r.result as never)
                : rej(Object.assign(new Error(r.error!.message), { code: r.error!.code })),
            );
            socket.send(encodeFrame({ id, call: name, input }));
          }),
        raw: (bytes) =>
          new Promise((res) => {
            pending.set(null, res);
            socket.send(bytes);
          }),
        waitFor: (pred, timeoutMs = 60_000) => {
          const found = events.find(pred);
          if (found) return Promise.resolve(found);
          return new Promise((res, rej) => {
            const timer = setTimeout(() => rej(new Error('timed out waiting for an event')), timeoutMs);
            waiters.push({
              pred,
              resolve: (e) => {
                clearTimeout(timer);
                res(e);
              },
            });
          });
        },
        close: () => socket.close(),
      }),
    );
  });
}
