/**
 * The calls that need the desktop: native open/save dialogs, and writes to where the user chose
 * (atomic). Everything else is the shared core (app/core.ts).
 */
import { dialog } from 'electron';
import type { BrowserWindow } from 'electron';
import { basename, extname } from 'node:path';
import type { CallArgs } from '../shared/contract';
import type { Handlers } from '../app/dispatch';
import type { AppCore } from '../app/core';
import { loadOptions } from '../app/core';
import { writeFileAtomic } from '../app/atomic';
import { SESSION_EXTENSION } from '../app/session-file';
import type { RecentFiles } from './recent';

const DATA_FILTERS = [
  {
    name: 'Datasets',
    extensions: ['csv', 'tsv', 'txt', 'npy', 'json', 'gz', 'idx', 'idx1-ubyte', 'idx3-ubyte', 'ubyte'],
  },
  { name: 'All files', extensions: ['*'] },
];
const SESSION_FILTERS = [{ name: 'Manifold Explorer session', extensions: [SESSION_EXTENSION.slice(1)] }];

const FILTERS_BY_EXT: Record<string, { name: string; extensions: string[] }> = {
  '.png': { name: 'PNG image', extensions: ['png'] },
  '.svg': { name: 'SVG image', extensions: ['svg'] },
  '.csv': { name: 'CSV', extensions: ['csv'] },
  '.npy': { name: 'NumPy array', extensions: ['npy'] },
  '.json': { name: 'JSON', extensions: ['json'] },
  '.bin': { name: 'Binary', extensions: ['bin'] },
};

export function desktopHandlers(
  core: AppCore,
  window: () => BrowserWindow | undefined,
  recent: RecentFiles,
): Partial<Handlers> {
  const parent = () => window();
  const openDialog = (opts: Electron.OpenDialogOptions) => {
    const w = parent();
    return w ? dialog.showOpenDialog(w, opts) : dialog.showOpenDialog(opts);
  };
  const saveDialog = (opts: Electron.SaveDialogOptions) => {
    const w = parent();
    return w ? dialog.showSaveDialog(w, opts) : dialog.showSaveDialog(opts);
  };
  return {
    openDatasetDialog: async ({ folder, options }: CallArgs<'openDatasetDialog'>) => {
      const r = await openDialog({
        title: folder ? 'Open a folder of images (one sub-folder per label)' : 'Open a dataset',
        properties: [folder ? 'openDirectory' : 'openFile'],
        ...(folder ? {} : { filters: DATA_FILTERS }),
      });
      const path = r.filePaths[0];
      if (r.canceled || !path) return null;
      const record = await core.datasets.openFile(path, loadOptions(options));
      await recent.add(path, 'dataset');
      return record.summary;
    },
    saveSession: async ({ viewState, saveAs }: CallArgs<'saveSession'>) => {
      let path = core.sessions.path;
      if (!path || saveAs) {
        const r = await saveDialog({
          title: 'Save session',
          defaultPath: path ?? `session${SESSION_EXTENSION}`,
          filters: SESSION_FILTERS,
        });
        if (r.canceled || !r.filePath) return { path: null, bytes: 0 };
        path = extname(r.filePath) ? r.filePath : r.filePath + SESSION_EXTENSION;
      }
      const bytes = await core.sessions.save(path, viewState);
      await recent.add(path, 'session');
      return { path, bytes };
    },
    openSession: async () => {
      const r = await openDialog({
        title: 'Open session',
        properties: ['openFile'],
        filters: SESSION_FILTERS,
      });
      const path = r.filePaths[0];
      if (r.canceled || !path) return null;
      const info = await core.sessions.open(path);
      await recent.add(path, 'session');
      return info;
    },
    exportFile: async ({ suggestedName, content }: CallArgs<'exportFile'>) => {
      const filter = FILTERS_BY_EXT[extname(suggestedName).toLowerCase()];
      const r = await saveDialog({
        title: 'Export',
        defaultPath: basename(suggestedName),
        ...(filter ? { filters: [filter] } : {}),
      });
      if (r.canceled || !r.filePath) return { path: null, bytes: 0 };
      const bytes = await writeFileAtomic(r.filePath, content);
      return { path: r.filePath, bytes };
    },
  };
}
