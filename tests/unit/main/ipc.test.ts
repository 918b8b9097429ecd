import { vi } from 'vitest';

vi.mock('electron', () => ({ ipcMain: { handle: vi.fn() }, app: {}, protocol: {}, net: {} }));

const { dispatch, isTrustedSender, registerIpc } = await import('../../../electron/main/ipc');
const { ipcMain } = await import('electron');
const { IPC_CHANNEL } = await import('../../../electron/shared/contract');

const appFrame = { senderFrame: { url: 'app://explorer/index.html', parent: null } } as never;
const handlers = {
  appInfo: () => ({ name: 'Manifold Explorer', version: '0.0.0', host: 'electron' as const }),
  listSamples: () => [],
};

describe('IPC gate', () => {
  test('registers exactly one channel', () => {
    registerIpc(handlers, () => {});
    expect(ipcMain.handle).toHaveBeenCalledTimes(1);
    expect(vi.mocked(ipcMain.handle).mock.calls[0]![0]).toBe(IPC_CHANNEL);
  });

  test('answers a valid call from the app frame', async () => {
    const reply = await dispatch(handlers, appFrame, { call: 'appInfo', input: {} }, () => {});
    expect(reply).toEqual({
      ok: true,
      result: { name: 'Manifold Explorer', version: '0.0.0', host: 'electron' },
    });
  });

  test('refuses and logs foreign senders and sub-frames', async () => {
    const log = vi.fn();
    for (const frame of [
      { url: 'https://evil.example/', parent: null },
      { url: 'app://explorer/index.html', parent: {} },
      null,
    ]) {
      const reply = await dispatch(
        handlers,
        { senderFrame: frame } as never,
        { call: 'appInfo', input: {} },
        log,
      );
      expect(reply).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    }
    expect(log).toHaveBeenCalledTimes(3);
    expect(isTrustedSender(appFrame)).toBe(true);
  });

  test('refuses unknown calls, prototype keys and malformed inputs', async () => {
    const log = vi.fn();
    for (const payload of [
      { call: 'deleteEverything', input: {} },
      { call: 'toString', input: {} },
      { call: 'appInfo', input: { extra: 1 } },
      'not an object',
    ]) {
      const reply = await dispatch(handlers, appFrame, payload, log);
      expect(reply).toMatchObject({ ok: false, error: { code: 'bad-request' } });
    }
    expect(log).toHaveBeenCalledTimes(4);
  });

  test('a result that breaks the contract is an internal error, not passed on', async () => {
    const bad = { ...handlers, appInfo: () => ({ name: 1 }) };
    const reply = await dispatch(bad as never, appFrame, { call: 'appInfo', input: {} }, () => {});
    expect(reply).toMatchObject({ ok: false, error: { code: 'internal' } });
  });
});
