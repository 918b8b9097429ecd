/**
 * Browser mode: `manifold-explorer serve` serves the built renderer and the API over a WebSocket.
 * Bound to loopback by default; every socket must present the random token printed in the URL and
 * come from the server's own origin (WebSockets ignore CORS, so the Origin check stops other sites
 * from talking to a local server). Each message passes the same gate as Electron's IPC
 * (app/dispatch.ts); one client's bad message is answered with an error on that client only.
 *
 * Frames (shared/wire.ts): client → server {id, call, input}; server → client {id, ok, result|error}
 * or {event, payload}. A frame is at most UPLOAD_LIMITS.maxFrameBytes (a bigger one closes that
 * socket with 1009, Message Too Big: the server and the other sockets go on); files travel in
 * chunks (uploadBegin/uploadChunk). A socket with too many calls or bytes in flight is paused until
 * its replies catch up, so one flood cannot hold more than that in memory.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { WebSocketServer } from 'ws';
import type { WebSocket, RawData } from 'ws';
import { decodeFrame, encodeFrame } from '../../shared/wire';
import { UPLOAD_LIMITS, type EventMessage } from '../../shared/contract';
import { dispatch } from '../../app/dispatch';
import type { Handlers, Log } from '../../app/dispatch';
import { staticHandler } from './static';
import { UserError } from '../../shared/errors';

export interface ServeOptions {
  host?: string;
  port?: number;
  /** The built renderer (out/renderer). */
  root: string;
  handlers: Partial<Handlers>;
  /** Subscribe to the app's events; returns an unsubscribe. */
  subscribe?: (send: (m: EventMessage) => void) => () => void;
  token?: string;
  log?: Log;
  /** Largest accepted message, bytes (default UPLOAD_LIMITS.maxFrameBytes). */
  maxPayload?: number;
  /** A socket connected: its own handlers (its uploads), merged over `handlers`, and its cleanup. */
  connect?: () => { handlers: Partial<Handlers>; close(): void };
}

/** In flight on one socket before it is paused: calls, and their bytes. */
const MAX_IN_FLIGHT = 64;
const MAX_IN_FLIGHT_BYTES = 4 * UPLOAD_LIMITS.maxChunkBytes;

export interface RunningServer {
  url: string;
  origin: string;
  token: string;
  port: number;
  close(): Promise<void>;
}

/** Why the server could not listen, for the user: the port taken, a host that is not ours. */
function listenError(e: Error, host: string, port: number): Error {
  const code = (e as NodeJS.ErrnoException).code;
  const at = `${host.includes(':') ? `[${host}]` : host}:${port}`;
  switch (code) {
    case 'EADDRINUSE':
      return new UserError(
        'port-in-use',
        `${at}: the port is already in use (EADDRINUSE); choose another port, or 0 for any free one`,
      );
    case 'EACCES':
      return new UserError(
        'port-denied',
        `${at}: not allowed to listen on this port (EACCES); ports below 1024 need privileges, choose another`,
      );
    case 'EADDRNOTAVAIL':
      return new UserError(
        'bad-host',
        `${host}: not an address of this machine (EADDRNOTAVAIL); use 127.0.0.1, or an address one of its network interfaces has`,
      );
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
    case 'EAI_FAIL':
    case 'EAI_NONAME':
      return new UserError(
        'bad-host',
        `${host}: the host name cannot be resolved (${code}); give an IP address such as 127.0.0.1 or a name this machine resolves`,
      );
    default:
      return e;
  }
}

function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a),
    y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export async function startServer(opts: ServeOptions): Promise<RunningServer> {
  const host = opts.host ?? '127.0.0.1';
  const token = opts.token ?? randomBytes(24).toString('hex');
  const log = opts.log ?? ((m: string) => console.warn(`serve: ${m}`));
  let origin = '';
  // The static handler needs the origin, known once the port is bound.
  const site: { serve?: ReturnType<typeof staticHandler> } = {};
  const http = createServer((req, res) => void site.serve?.(req, res));
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: opts.maxPayload ?? UPLOAD_LIMITS.maxFrameBytes,
  });

  http.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const given = url.searchParams.get('token') ?? '';
    const from = req.headers.origin;
    if (url.pathname !== '/api' || !sameToken(given, token) || (from !== undefined && from !== origin)) {
      log(
        `refused a socket (${url.pathname !== '/api' ? 'path' : !sameToken(given, token) ? 'token' : `origin ${from}`})`,
      );
      socket.end('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
  });

  wss.on('connection', (ws: WebSocket) => {
    const send = (value: unknown) => {
      if (ws.readyState === ws.OPEN) ws.send(encodeFrame(value));
    };
    const unsubscribe = opts.subscribe?.((m) => send(m));
    const conn = opts.connect?.();
    const handlers = conn ? { ...opts.handlers, ...conn.handlers } : opts.handlers;
    let calls = 0;
    let bytes = 0;
    let paused = false;
    let floodLogged = false;
    const settle = (size: number) => {
      calls--;
      bytes -= size;
      if (paused && calls <= MAX_IN_FLIGHT / 2 && bytes <= MAX_IN_FLIGHT_BYTES / 2) {
        paused = false;
        ws.resume();
      }
    };
    ws.on('message', async (raw: RawData, isBinary: boolean) => {
      const size = Array.isArray(raw) ? raw.reduce((n, b) => n + b.length, 0) : (raw as Buffer).length;
      calls++;
      bytes += size;
      if (!paused && (calls > MAX_IN_FLIGHT || bytes > MAX_IN_FLIGHT_BYTES)) {
        paused = true;
        ws.pause();
        if (!floodLogged)
          log(`a socket has ${calls} calls (${bytes} bytes) in flight; reading it waits for the replies`);
        floodLogged = true;
      }
      try {
        let msg: unknown;
        try {
          if (!isBinary) throw new Error('text frame');
          const buf = Array.isArray(raw) ? Buffer.concat(raw) : Buffer.from(raw as ArrayBuffer);
          msg = decodeFrame(new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength));
        } catch {
          log('refused an undecodable message');
          send({ id: null, ok: false, error: { code: 'bad-request', message: 'undecodable message' } });
          return;
        }
        const id =
          msg &&
          typeof msg === 'object' &&
          'id' in msg &&
          (typeof msg.id === 'number' || typeof msg.id === 'string')
            ? msg.id
            : null;
        const reply = await dispatch(handlers, msg, log);
        send({ id, ...reply });
      } finally {
        settle(size);
      }
    });
    let closed = false;
    const close = () => {
      if (closed) return;
      closed = true;
      unsubscribe?.();
      conn?.close();
    };
    ws.on('close', close);
    ws.on('error', (e: Error & { code?: string }) => {
      // ws closes the socket with 1009 (Message Too Big) after this.
      if (e.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH')
        log(
          `closed a socket that sent a message over ${opts.maxPayload ?? UPLOAD_LIMITS.maxFrameBytes} bytes`,
        );
      close();
    });
  });

  await new Promise<void>((resolve, reject) => {
    http.once('error', (e) => reject(listenError(e, host, opts.port ?? 0)));
    http.listen(opts.port ?? 0, host, () => resolve());
  });
  const { port } = http.address() as AddressInfo;
  const shownHost = host.includes(':') ? `[${host}]` : host;
  origin = `http://${shownHost}:${port}`;
  site.serve = staticHandler(opts.root, origin);
  return {
    url: `${origin}/?token=${token}`,
    origin,
    token,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const c of wss.clients) c.terminate();
        wss.close();
        http.close(() => resolve());
        http.closeAllConnections();
      }),
  };
}
