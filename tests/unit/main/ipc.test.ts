import { vi } from 'vitest';

vi.mock('electron', () => ({ ipcMain: { handle: vi.fn() }, app: {}, protocol: {}, net: {} }));

const { handleCall, isTrustedSender, registerIpc } = await import('../../../electron/main/ipc');
const { ipcMain } = await import('electron');
const { IPC_CHANNEL, CALLS } = await import('../../../electron/shared/call-names');
const { calls } = await import('../../../electron/shared/contract');

const appFrame = { senderFrame: { url: 'app://explorer/index.html', parent: null } } as never;
const handlers = {
  appInfo: () => ({
    name: 'Manifold Explorer',
    version: '0.0.0',
    host: 'electron' as const,
    backends: ['wasm'],
  }),
  listSamples: () => [],
};

describe('IPC gate (main)', () => {
  test('registers exactly one channel, and the preload’s list names every contract call', () => {
    registerIpc(handlers, () => {});
    expect(ipcMain.handle).toHaveBeenCalledTimes(1);
    expect(vi.mocked(ipcMain.handle).mock.calls[0]![0]).toBe(IPC_CHANNEL);
    expect([...CALLS].sort()).toEqual(Object.keys(calls).sort());
  });

  test('answers a valid call from the app frame', async () => {
    const reply = await handleCall(handlers, appFrame, { call: 'appInfo', input: {} }, () => {});
    expect(reply).toEqual({
      ok: true,
      result: { name: 'Manifold Explorer', version: '0.0.0', host: 'electron', backends: ['wasm'] },
    });
  });

  test('refuses and logs foreign senders and sub-frames', async () => {
    const log = vi.fn();
    for (const frame of [
      { url: 'https://evil.example/', parent: null },
      { url: 'app://explorer/index.html', parent: {} },
      { url: 'file:///etc/passwd', parent: null },
      null,
    ]) {
      const reply = await handleCall(
        handlers,
        { senderFrame: frame } as never,
        { call: 'appInfo', input: {} },
        log,
      );
      expect(reply).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    }
    expect(log).toHaveBeenCalledTimes(4);
    expect(isTrustedSender(appFrame)).toBe(true);
  });

  test('refuses unknown calls, prototype keys and malformed inputs, naming the field', async () => {
    const log = vi.fn();
    for (const payload of [
      { call: 'deleteEverything', input: {} },
      { call: 'toString', input: {} },
      { call: 'appInfo', input: { extra: 1 } },
      'not an object',
    ]) {
      const reply = await handleCall(handlers, appFrame, payload, log);
      expect(reply).toMatchObject({ ok: false, error: { code: 'bad-request' } });
    }
    const openSample = vi.fn();
    const bad = await handleCall(
      { ...handlers, openSample } as never,
      appFrame,
      { call: 'openSample', input: { name: 'x', rows: 'many' } },
      log,
    );
    expect(openSample).not.toHaveBeenCalled();
    expect(bad).toMatchObject({
      ok: false,
      error: { message: expect.stringMatching(/^openSample\.rows: /) },
    });
    expect(log).toHaveBeenCalledTimes(5);
  });

  test('a call this host lacks is "unsupported"; a result outside the contract is not passed on', async () => {
    expect(await handleCall(handlers, appFrame, { call: 'listRuns', input: {} }, () => {})).toMatchObject({
      ok: false,
      error: { code: 'unsupported' },
    });
    const broken = { ...handlers, appInfo: () => ({ name: 1 }) };
    const reply = await handleCall(broken as never, appFrame, { call: 'appInfo', input: {} }, () => {});
    expect(reply).toMatchObject({ ok: false, error: { code: 'internal' } });
  });

  test('a typed array that does not match its shape is refused at the gate', async () => {
    const reply = await handleCall(
      { analyze: vi.fn() } as never,
      appFrame,
      {
        call: 'analyze',
        input: { runId: 'run-1', at: { points: { data: new Float32Array(5), shape: [2, 3] } } },
      },
      () => {},
    );
    expect(reply).toMatchObject({
      ok: false,
      error: { message: expect.stringMatching(/does not match shape/) },
    });
  });
});
