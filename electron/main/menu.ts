/**
 * The native menus. Actions that belong to the UI (open, save, export, train) are sent to the
 * renderer as `command` events, so menus, shortcuts and buttons all take the same path.
 */
import { app, Menu, shell } from 'electron';
import type { MenuItemConstructorOptions } from 'electron';
import type { CommandEvent } from '../shared/contract';
import type { RecentEntry } from './recent';

export interface MenuActions {
  command(name: CommandEvent['name']): void;
  openRecent(entry: RecentEntry): void;
  clearRecent(): void;
  /** Open the autosaved session (present after a crash); absent when there is none. */
  recoverAutosave?: () => void;
}

export function menuTemplate(
  recent: RecentEntry[],
  act: MenuActions,
  opts: { isMac: boolean; dev: boolean },
): MenuItemConstructorOptions[] {
  const cmd = (
    label: string,
    name: CommandEvent['name'],
    accelerator?: string,
  ): MenuItemConstructorOptions => ({
    label,
    ...(accelerator ? { accelerator } : {}),
    click: () => act.command(name),
  });
  const recentItems: MenuItemConstructorOptions[] = recent.length
    ? [
        ...recent.map((e) => ({
          label: `${e.kind === 'session' ? '◆ ' : ''}${e.path}`,
          click: () => act.openRecent(e),
        })),
        { type: 'separator' as const },
        { label: 'Clear Recent', click: () => act.clearRecent() },
      ]
    : [{ label: 'No Recent Files', enabled: false }];
  return [
    ...(opts.isMac ? [{ role: 'appMenu' as const }] : []),
    {
      label: 'File',
      submenu: [
        cmd('Open Dataset…', 'open-dataset', 'CmdOrCtrl+O'),
        cmd('Open Session…', 'open-session', 'CmdOrCtrl+Shift+O'),
        { label: 'Open Recent', submenu: recentItems },
        {
          label: 'Recover Autosaved Session',
          enabled: !!act.recoverAutosave,
          click: () => act.recoverAutosave?.(),
        },
        { type: 'separator' },
        cmd('Save Session', 'save-session', 'CmdOrCtrl+S'),
        cmd('Save Session As…', 'save-session-as', 'CmdOrCtrl+Shift+S'),
        { type: 'separator' },
        cmd('Export View as PNG…', 'export-png', 'CmdOrCtrl+E'),
        cmd('Export Codes…', 'export-codes'),
        { type: 'separator' },
        opts.isMac ? { role: 'close' } : { role: 'quit' },
      ],
    },
    { role: 'editMenu' },
    {
      label: 'Training',
      submenu: [
        cmd('Start Training', 'start-training', 'CmdOrCtrl+Enter'),
        cmd('Stop Training', 'stop-training', 'CmdOrCtrl+.'),
      ],
    },
    {
      label: 'View',
      submenu: [
        cmd('Toggle Light/Dark Theme', 'toggle-theme', 'CmdOrCtrl+Shift+L'),
        { type: 'separator' },
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { role: 'togglefullscreen' },
        ...(opts.dev
          ? [{ type: 'separator' as const }, { role: 'reload' as const }, { role: 'toggleDevTools' as const }]
          : []),
      ],
    },
    { role: 'windowMenu' },
    {
      role: 'help',
      submenu: [
        {
          label: 'The Autoencoder Chapter (Deep Learning, ch. 14)',
          click: () => void shell.openExternal('https://www.deeplearningbook.org/contents/autoencoders.html'),
        },
        { label: `About ${app.getName()}`, role: 'about' },
      ],
    },
  ];
}

export function installMenu(recent: RecentEntry[], act: MenuActions): void {
  Menu.setApplicationMenu(
    Menu.buildFromTemplate(
      menuTemplate(recent, act, { isMac: process.platform === 'darwin', dev: !app.isPackaged }),
    ),
  );
}
