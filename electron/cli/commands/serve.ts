/**
 * `manifold-explorer serve`: browser mode. Serves the built renderer and the app's API (the same
 * handlers as the desktop app, over a WebSocket) with the engine in a Node worker thread. Loopback
 * only by default; the printed URL carries the random token every connection must present.
 */
import type { Command } from 'commander';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { existsSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { UserError } from '../../shared/errors';
import { createAppCore } from '../../app/core';
import { nodeWorkerHost } from '../../hosts/node-worker/handle';
import { startServer, type RunningServer } from '../../hosts/serve/server';
import { SESSION_MAGIC } from '../../app/session-file';
import { errnoOf, fsUserError } from '../fs-errors';
import { interrupts } from '../interrupt';
import type { BackendPreference } from '../../engine/backend';
import { BACKEND_PREFERENCES } from '../../shared/model-config';

export interface ServeCliOptions {
  port: string;
  host: string;
  backend: string;
  autosave?: string;
}

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

/**
 * --autosave FILE replaces FILE as it saves: refuse a FILE that is something else than a session
 * (a session starts with SESSION_MAGIC), so a mistyped path never costs someone their file.
 */
async function checkAutosave(file: string): Promise<string> {
  let head: Uint8Array;
  try {
    const fh = await open(file, 'r');
    try {
      head = new Uint8Array(SESSION_MAGIC.length);
      const { bytesRead } = await fh.read(head, 0, head.length, 0);
      head = head.subarray(0, bytesRead);
    } finally {
      await fh.close();
    }
  } catch (e) {
    if (errnoOf(e) === 'ENOENT') return file; // a new file
    throw fsUserError(e, file, '--autosave');
  }
  if (new TextDecoder('latin1').decode(head) !== SESSION_MAGIC)
    throw new UserError(
      'bad-option',
      `--autosave: exists and is not a Manifold Explorer session (it does not start with "MEXSESS"), so autosaving would overwrite it; choose another file`,
      { file },
    );
  return file;
}

export function registerServe(
  program: Command,
  io: { out: (s: string) => void; err: (s: string) => void },
  version: string,
): void {
  program
    .command('serve')
    .description('serve the explorer to a web browser, with the engine on this machine')
    .option('--port <n>', 'TCP port (0 = any free port)', '7357')
    .option(
      '--host <address>',
      'address to bind; anything but loopback exposes the app to your network',
      '127.0.0.1',
    )
    .option(
      '--backend <name>',
      `engine backend: ${BACKEND_PREFERENCES.filter((b) => b !== 'webgl').join(', ')}`,
      'auto',
    )
    .option(
      '--autosave <file>',
      'keep the session in this file while runs train (open it to continue after a crash)',
    )
    .action(async (opts: ServeCliOptions) => {
      const port = Number(opts.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535)
        throw new UserError('bad-option', `--port: expected 0–65535, got ${opts.port}`);
      if (!(BACKEND_PREFERENCES as readonly string[]).includes(opts.backend) || opts.backend === 'webgl')
        throw new UserError(
          'bad-option',
          `--backend: expected one of auto, webgpu, tensorflow, wasm, cpu; got ${opts.backend}`,
        );
      const here = dirname(fileURLToPath(import.meta.url)); // out/main
      const root = join(here, '../renderer');
      const worker = join(here, 'engine-worker.js');
      if (!existsSync(join(root, 'index.html')) || !existsSync(worker))
        throw new UserError('not-built', 'the app is not built; run `npm run build` first');
      const autosave = opts.autosave ? await checkAutosave(resolve(opts.autosave)) : undefined;
      const core = createAppCore({
        host: 'browser',
        version,
        hostFactory: () => nodeWorkerHost(worker),
        backend: opts.backend as BackendPreference,
        log: (m) => io.err(`serve: ${m}\n`),
        ...(autosave ? { autosave: { path: autosave } } : {}),
      });
      let server: RunningServer;
      try {
        server = await startServer({
          host: opts.host,
          port,
          root,
          handlers: core.handlers,
          subscribe: (send) => core.subscribe(send),
          connect: () => core.connect(),
          log: (m) => io.err(`serve: ${m}\n`),
        });
      } catch (e) {
        await core.close();
        throw e;
      }
      if (!LOOPBACK.has(opts.host))
        io.err(
          `warning: listening on ${opts.host}: anyone who can reach it and has the token can use the app\n`,
        );
      io.out(
        `Manifold Explorer ${version} is serving at\n  ${server.url}\nOpen that URL in a browser (Ctrl+C stops).\n`,
      );
      // Ctrl+C, SIGTERM or SIGHUP is how serve is stopped: close, then exit 0.
      await interrupts.abortable(
        'serving',
        (signal) =>
          new Promise<void>((done) =>
            signal.aborted ? done() : signal.addEventListener('abort', () => done(), { once: true }),
          ),
        true,
      );
      await server.close();
      await core.close();
    });
}
