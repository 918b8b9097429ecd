/**
 * `manifold-explorer serve`: browser mode. Serves the built renderer and the app's API (the same
 * handlers as the desktop app, over a WebSocket) with the engine in a Node worker thread. Loopback
 * only by default; the printed URL carries the random token every connection must present.
 */
import type { Command } from 'commander';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { existsSync } from 'node:fs';
import { UserError } from '../../shared/errors';
import { createAppCore } from '../../app/core';
import { nodeWorkerHost } from '../../hosts/node-worker/handle';
import { startServer } from '../../hosts/serve/server';
import type { BackendPreference } from '../../engine/backend';
import { BACKEND_PREFERENCES } from '../../shared/model-config';

export interface ServeCliOptions {
  port: string;
  host: string;
  backend: string;
  autosave?: string;
}

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

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
      const core = createAppCore({
        host: 'browser',
        version,
        hostFactory: () => nodeWorkerHost(worker),
        backend: opts.backend as BackendPreference,
        log: (m) => io.err(`serve: ${m}\n`),
        ...(opts.autosave ? { autosave: { path: resolve(opts.autosave) } } : {}),
      });
      const server = await startServer({
        host: opts.host,
        port,
        root,
        handlers: core.handlers,
        subscribe: (send) => core.subscribe(send),
        connect: () => core.connect(),
        log: (m) => io.err(`serve: ${m}\n`),
      });
      if (!LOOPBACK.has(opts.host))
        io.err(
          `warning: listening on ${opts.host}: anyone who can reach it and has the token can use the app\n`,
        );
      io.out(
        `Manifold Explorer ${version} is serving at\n  ${server.url}\nOpen that URL in a browser (Ctrl+C stops).\n`,
      );
      await new Promise<void>((resolve) => {
        const stop = () => resolve();
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
      await server.close();
      await core.close();
    });
}
