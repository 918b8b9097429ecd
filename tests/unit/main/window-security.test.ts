import { vi } from 'vitest';

type Listener = (...a: unknown[]) => void;
const appListeners = new Map<string, Listener>();
const permissionHandler = vi.fn();
const openExternal = vi.fn();
vi.mock('electron', () => ({
  app: { on: (ev: string, cb: Listener) => appListeners.set(ev, cb), whenReady: () => Promise.resolve() },
  session: {
    defaultSession: {
      setPermissionRequestHandler: (cb: Listener) => permissionHandler.mockImplementation(cb),
      setPermissionCheckHandler: vi.fn(),
    },
  },
  shell: { openExternal: (u: string) => openExternal(u) },
  BrowserWindow: class {},
}));

const { mainWebPreferences } = await import('../../../electron/main/window');
const { hardenApp } = await import('../../../electron/main/security');

describe('the main window and app hardening', () => {
  test('the renderer is sandboxed, isolated and without Node', () => {
    expect(mainWebPreferences('/p.cjs')).toMatchObject({
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      preload: '/p.cjs',
    });
  });

  test('navigation away, new windows, <webview> and permission requests are refused and logged', async () => {
    const log = vi.fn();
    hardenApp(log);
    await Promise.resolve();
    const contentsListeners = new Map<string, Listener>();
    let openHandler: ((d: { url: string }) => { action: string }) | undefined;
    const contents = {
      on: (ev: string, cb: Listener) => contentsListeners.set(ev, cb),
      setWindowOpenHandler: (h: typeof openHandler) => (openHandler = h),
    };
    appListeners.get('web-contents-created')!({}, contents);

    const nav = { preventDefault: vi.fn() };
    contentsListeners.get('will-navigate')!(nav, 'https://evil.example/');
    expect(nav.preventDefault).toHaveBeenCalled();
    const inside = { preventDefault: vi.fn() };
    contentsListeners.get('will-navigate')!(inside, 'app://explorer/index.html');
    expect(inside.preventDefault).not.toHaveBeenCalled();

    const webview = { preventDefault: vi.fn() };
    contentsListeners.get('will-attach-webview')!(webview);
    expect(webview.preventDefault).toHaveBeenCalled();

    expect(openHandler!({ url: 'https://www.deeplearningbook.org/' })).toEqual({ action: 'deny' });
    expect(openExternal).toHaveBeenCalledWith('https://www.deeplearningbook.org/');
    expect(openHandler!({ url: 'javascript:alert(1)' })).toEqual({ action: 'deny' });
    expect(openExternal).toHaveBeenCalledTimes(1);

    const answer = vi.fn();
    permissionHandler({}, 'media', answer);
    expect(answer).toHaveBeenCalledWith(false);
    expect(log.mock.calls.map((c) => c[0])).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/refused navigation/),
        expect.stringMatching(/webview/),
        expect.stringMatching(/window\.open/),
        expect.stringMatching(/permission media/),
      ]),
    );
  });
});
