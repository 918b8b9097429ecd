/**
 * The app core refuses at startTraining what cannot fit (engine/memory-check.ts), with the message
 * the model panel shows: before a run or an engine host exists when the model is past the limit,
 * and once the host has said which backend it runs, against that backend's own limits (WASM's
 * heap). The engine host is a fake that records what it is sent.
 */
import { createAppCore } from '../../../electron/app/core';
import type { HostHandle } from '../../../electron/app/supervisor';
import type { FromHost, ToHost } from '../../../electron/hosts/protocol';
import type { BackendName } from '../../../electron/engine/backend';
import { parseModelConfig, parseTrainOptions } from '../../../electron/shared/model-config';

function fakeHost(backend: BackendName) {
  const sent: ToHost[] = [];
  let started = 0;
  const factory = (): HostHandle => {
    started++;
    let listener: (m: FromHost) => void = () => {};
    return {
      post: (m) => {
        sent.push(m);
        if (m.type === 'init')
          queueMicrotask(() =>
            listener({ type: 'ready', backend: { backend, requested: 'auto', reason: 'test' } }),
          );
      },
      onMessage: (cb) => void (listener = cb),
      onExit: () => {},
      terminate: async () => {},
    };
  };
  return { factory, sent, started: () => started };
}

async function coreWith(backend: BackendName) {
  const host = fakeHost(backend);
  const core = createAppCore({ host: 'browser', version: 't', hostFactory: host.factory });
  const ds = await core.handlers.openSample!({ name: 'swiss-roll', rows: 500 });
  const start = (hidden: number[]) =>
    core.handlers.startTraining!({
      datasetId: ds.id,
      config: parseModelConfig({ family: 'undercomplete', hidden }),
      train: parseTrainOptions({}),
    });
  return { core, host, start };
}

test('past the memory limit: refused with the figure and the limit; no run, no engine started', async () => {
  const { core, host, start } = await coreWith('cpu');
  await expect(start([16384, 16384])).rejects.toThrow(
    /^training needs about 1\d\.\d GiB of memory \(.*\); the limit is 8\.0 GiB \(4 × the memory limit of 2\.0 GiB\); choose a smaller model or batch size$/,
  );
  expect(core.jobs.list()).toHaveLength(0);
  expect(host.started()).toBe(0);
  await core.close();
});

test('past the backend’s own limit: refused once the host says it runs wasm, before the job is sent', async () => {
  const { core, host, start } = await coreWith('wasm');
  await expect(start([8192, 8192])).rejects.toThrow(
    /WebAssembly heap of at most 4\.0 GiB .*; choose the CPU backend/,
  );
  expect(host.sent.map((m) => m.type)).toEqual(['init']);
  const [run] = core.jobs.list();
  expect(run).toMatchObject({ state: 'failed', error: expect.stringMatching(/WebAssembly heap/) });
  await core.close();
});

test('a model that fits starts as before', async () => {
  const { core, host, start } = await coreWith('wasm');
  const { runId } = await start([64]);
  expect(host.sent.map((m) => m.type)).toEqual(['init', 'start']);
  expect(core.jobs.get(runId).state).toBe('queued');
  await core.close();
});
