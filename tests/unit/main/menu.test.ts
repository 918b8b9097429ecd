import { vi } from 'vitest';

vi.mock('electron', () => ({
  app: { getName: () => 'Manifold Explorer', isPackaged: true },
  Menu: {},
  shell: { openExternal: vi.fn() },
}));
const { menuTemplate } = await import('../../../electron/main/menu');
import type { MenuItemConstructorOptions } from 'electron';

type Item = MenuItemConstructorOptions;
const find = (items: Item[], label: string): Item | undefined => {
  for (const i of items) {
    if (i.label === label) return i;
    if (Array.isArray(i.submenu)) {
      const f = find(i.submenu as Item[], label);
      if (f) return f;
    }
  }
  return undefined;
};
const click = (i: Item | undefined) => (i!.click as () => void)();

describe('native menus', () => {
  test('menu items send commands to the renderer, with the usual shortcuts', () => {
    const act = { command: vi.fn(), openRecent: vi.fn(), clearRecent: vi.fn() };
    const t = menuTemplate([], act, { isMac: false, dev: false });
    click(find(t, 'Open Dataset…'));
    click(find(t, 'Save Session'));
    click(find(t, 'Start Training'));
    expect(act.command.mock.calls.map((c) => c[0])).toEqual([
      'open-dataset',
      'save-session',
      'start-training',
    ]);
    expect(find(t, 'Open Dataset…')!.accelerator).toBe('CmdOrCtrl+O');
    expect(find(t, 'No Recent Files')!.enabled).toBe(false);
    expect(find(t, 'Recover Autosaved Session')!.enabled).toBe(false);
    expect(find(t, 'Toggle Developer Tools')).toBeUndefined();
  });

  test('recent files open from the menu; recovery is offered when an autosave exists', () => {
    const act = { command: vi.fn(), openRecent: vi.fn(), clearRecent: vi.fn(), recoverAutosave: vi.fn() };
    const entry = { path: '/data/roll.csv', kind: 'dataset' as const, openedAt: '2026-01-01T00:00:00.000Z' };
    const t = menuTemplate([entry], act, { isMac: false, dev: true });
    click(find(t, '/data/roll.csv'));
    expect(act.openRecent).toHaveBeenCalledWith(entry);
    click(find(t, 'Recover Autosaved Session'));
    expect(act.recoverAutosave).toHaveBeenCalled();
    click(find(t, 'Clear Recent'));
    expect(act.clearRecent).toHaveBeenCalled();
  });
});
