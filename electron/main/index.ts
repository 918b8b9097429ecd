/** The Electron main process: lifecycle, the secure window, the app:// protocol and the IPC gate. */
import { app, BrowserWindow } from 'electron';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { version } from '../../package.json';
import { SAMPLES } from '../data/samples/registry';
import { registerIpc } from './ipc';
import { APP_ORIGIN, handleAppProtocol, registerSchemePrivileges } from './protocol';
import { hardenApp } from './security';
import { createMainWindow } from './window';

const outDir = join(dirname(fileURLToPath(import.meta.url)), '..'); // out/
app.enableSandbox();
registerSchemePrivileges();
hardenApp();

registerIpc({
  appInfo: () => ({ name: 'Manifold Explorer', version, host: 'electron' as const }),
  listSamples: () => SAMPLES.map((s) => ({ ...s })),
});

app.whenReady().then(() => {
  handleAppProtocol(join(outDir, 'renderer'));
  const url = process.env.ELECTRON_RENDERER_URL ?? `${APP_ORIGIN}/index.html`;
  createMainWindow(outDir, url);
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createMainWindow(outDir, url);
  });
});

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});
