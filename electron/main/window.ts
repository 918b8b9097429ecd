import { BrowserWindow } from 'electron';
import { join } from 'node:path';
import type { WebPreferences } from 'electron';

/** The renderer's security options (Electron's checklist): sandboxed, isolated, no Node. */
export function mainWebPreferences(preload: string): WebPreferences {
  return {
    preload,
    sandbox: true,
    contextIsolation: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    experimentalFeatures: false,
    webviewTag: false,
    spellcheck: false,
  };
}

export function createMainWindow(outDir: string, url: string): BrowserWindow {
  const win = new BrowserWindow({
    width: 1440,
    height: 900,
    minWidth: 960,
    minHeight: 600,
    show: false,
    title: 'Manifold Explorer',
    backgroundColor: '#14161a',
    webPreferences: mainWebPreferences(join(outDir, 'preload/index.cjs')),
  });
  win.once('ready-to-show', () => win.show());
  void win.loadURL(url);
  return win;
}
