import { vi } from 'vitest';

// The preload runs with electron's contextBridge and ipcRenderer; both are mocked.
const exposed: Record<string, unknown> = {};
const ipcHandlers = new Map<string, (event: { ports: MessagePort[] }) => void>();
const invoke = vi.fn();
vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (key: string, api: Record<string, unknown>) => (exposed[key] = api) },
  ipcRenderer: {
    invoke: (...a: unknown[]) => invoke(...a),
    on: (ch: string, cb: never) => ipcHandlers.set(ch, cb),
  },
}));

await import('../../../electron/preload/index');
const { CALLS, EVENTS, IPC_CHANNEL, PORT_CHANNEL } = await import('../../../electron/shared/call-names');

type Api = Record<string, (...a: unknown[]) => unknown>;

describe('preload bridge', () => {
  const api = exposed.explorer as Api;

  test('exposes one named function per call and per event — and nothing generic', () => {
    const names = Object.keys(api).sort();
    const expected = [...CALLS, ...EVENTS.map((e) => `on${e[0]!.toUpperCase()}${e.slice(1)}`)].sort();
    expect(names).toEqual(expected);
    for (const forbidden of ['ipcRenderer', 'invoke', 'send', 'on', 'postMessage'])
      expect(api[forbidden]).toBeUndefined();
  });

  test('a call goes through the one channel and unwraps the reply', async () => {
    invoke.mockResolvedValueOnce({ ok: true, result: { version: '1' } });
    await expect(api.appInfo!({})).resolves.toEqual({ version: '1' });
    expect(invoke).toHaveBeenLastCalledWith(IPC_CHANNEL, { call: 'appInfo', input: {} });
    invoke.mockResolvedValueOnce({
      ok: false,
      error: { code: 'bad-request', message: 'openSample.rows: too small' },
    });
    await expect(api.openSample!({ name: 'x', rows: 1 })).rejects.toMatchObject({
      message: 'openSample.rows: too small',
      code: 'bad-request',
    });
  });

  test('events arrive from the port main hands over, without the raw event; unsubscribe works', () => {
    const { port1, port2 } = new MessageChannel();
    ipcHandlers.get(PORT_CHANNEL)!({ ports: [port2] });
    const got: unknown[] = [];
    const off = (api.onJob as (cb: (p: unknown) => void) => () => void)((p) => got.push(p));
    return new Promise<void>((resolve) => {
      port1.postMessage({ event: 'job', payload: { jobId: 'j', state: 'running' } });
      port1.postMessage({ event: 'progress', payload: { jobId: 'j' } });
      setTimeout(() => {
        expect(got).toEqual([{ jobId: 'j', state: 'running' }]);
        off();
        port1.postMessage({ event: 'job', payload: { jobId: 'j', state: 'done' } });
        setTimeout(() => {
          expect(got).toHaveLength(1);
          port1.close();
          resolve();
        }, 20);
      }, 20);
    });
  });
});
