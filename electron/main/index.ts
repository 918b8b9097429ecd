/**
 * The Electron main process: lifecycle, the secure main window, the app:// protocol, the IPC gate,
 * the event ports, menus and recent files — and the app core (app/core.ts), which owns datasets,
 * training jobs on an engine host, analysis and sessions.
 *
 * Engine host: the hidden compute window (Chromium's WebGPU or WASM) by default; a utility process
 * with tfjs-node when the user has installed it; MANIFOLD_EXPLORER_HOST=worker forces a Node worker.
 */
import { app, BrowserWindow } from 'electron';
import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { version } from '../../package.json';
import { createAppCore } from '../app/core';
import { GrantKey } from '../app/grants';
import { SESSION_EXTENSION } from '../app/session-file';
import type { HostFactory } from '../app/supervisor';
import { nodeWorkerHost } from '../hosts/node-worker/handle';
import { desktopHandlers } from './desktop';
import { EventPorts } from './events';
import { computeWindowHost } from './hosts/compute-window';
import { utilityHost } from './hosts/utility';
import { registerIpc } from './ipc';
import { installMenu } from './menu';
import { APP_ORIGIN, handleAppProtocol, registerSchemePrivileges } from './protocol';
import { RecentFiles } from './recent';
import { hardenApp } from './security';
import { createMainWindow } from './window';

const outDir = join(dirname(fileURLToPath(import.meta.url)), '..'); // out/
const log = (m: string) => console.warn(`[main] ${m}`);

function hasTfjsNode(): boolean {
  try {
    createRequire(import.meta.url).resolve('@tensorflow/tfjs-node');
    return true;
  } catch {
    return false;
  }
}

function chooseHost(): HostFactory {
  const forced = process.env.MANIFOLD_EXPLORER_HOST;
  if (forced === 'worker') return () => nodeWorkerHost(join(outDir, 'main/engine-worker.js'));
  if (forced === 'utility' || (forced === undefined && hasTfjsNode())) return () => utilityHost(outDir);
  return () => computeWindowHost(outDir);
}

app.enableSandbox();
registerSchemePrivileges();
hardenApp(log);

// Autosave while runs train, to a file of our own; after a crash, File ▸ Recover opens it. Its
// datasets (and those of sessions saved here) reopen through grants signed with this
// installation's key (app/grants.ts), which a session file written elsewhere cannot carry.
const autosavePath = join(app.getPath('userData'), `autosave${SESSION_EXTENSION}`);
const recoverable = existsSync(autosavePath);
const core = createAppCore({
  host: 'electron',
  version,
  hostFactory: chooseHost(),
  log,
  autosave: { path: autosavePath },
  grants: new GrantKey(join(app.getPath('userData'), 'session-grants.key')),
});
const recent = new RecentFiles(join(app.getPath('userData'), 'recent.json'));
recent.onChange = () => refreshMenu();
const ports = new EventPorts(log);
core.subscribe((m) => ports.send(m));
let mainWindow: BrowserWindow | undefined;

registerIpc({ ...core.handlers, ...desktopHandlers(core, () => mainWindow, recent) }, log);

function refreshMenu(): void {
  installMenu(recent.list(), {
    command: (name) => ports.send({ event: 'command', payload: { name } }),
    openRecent: async (entry) => {
      try {
        if (entry.kind === 'session') {
          ports.send({ event: 'sessionOpened', payload: { session: await core.sessions.open(entry.path) } });
        } else {
          ports.send({
            event: 'datasetOpened',
            payload: { summary: (await core.datasets.openFile(entry.path)).summary },
          });
        }
        await recent.add(entry.path, entry.kind);
      } catch (e) {
        log(`could not open ${entry.path}: ${e instanceof Error ? e.message : String(e)}`);
      }
    },
    clearRecent: async () => {
      await recent.clear();
    },
    ...(recoverable
      ? {
          recoverAutosave: async () => {
            try {
              // Opened as a file (its datasets come back through their grants), not remembered as
              // the session's path, so Save asks where instead of writing over the autosave.
              const session = await core.sessions.open(autosavePath, { remember: false });
              ports.send({ event: 'sessionOpened', payload: { session } });
            } catch (e) {
              log(`could not recover ${autosavePath}: ${e instanceof Error ? e.message : String(e)}`);
            }
          },
        }
      : {}),
  });
}

function openWindow(): void {
  const url = process.env.ELECTRON_RENDERER_URL ?? `${APP_ORIGIN}/index.html`;
  mainWindow = createMainWindow(outDir, url);
  ports.attach(mainWindow);
  mainWindow.on('closed', () => (mainWindow = undefined));
}

app.whenReady().then(async () => {
  handleAppProtocol(join(outDir, 'renderer'));
  await recent.load();
  refreshMenu();
  openWindow();
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) openWindow();
  });
});

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});

// A clean quit leaves nothing to recover.
app.on('before-quit', () => void core.close().then(() => rm(autosavePath, { force: true })));
