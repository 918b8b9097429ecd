/**
 * A session's runs are checked at import (weights against their manifest, arrays against the
 * dataset) and get fresh job ids; the autosave writes after each checkpoint, folds changes made
 * during a write into one more write, and lands its last write before stopping.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatasetStore } from '../../../electron/app/datasets';
import { JobManager } from '../../../electron/app/jobs';
import { SessionStore } from '../../../electron/app/session';
import { crc32, crc32Js, readSessionFile } from '../../../electron/app/session-file';
import type { SessionManifest } from '../../../electron/app/session-file';
import type { EngineSupervisor } from '../../../electron/app/supervisor';
import { craft, fakeRun } from '../../helpers/sessions';

const forgotten: string[] = [];
const supervisor = {
  forget: (runId: string) => void forgotten.push(runId),
  sendIfRunning: () => false,
} as unknown as EngineSupervisor;

async function withRun() {
  const datasets = new DatasetStore();
  const jobs = new JobManager(() => supervisor);
  const sessions = new SessionStore(datasets, jobs, 't');
  const ds = await datasets.openSample('swiss-roll', { rows: 30, seed: 1 });
  const run = fakeRun(ds);
  jobs.adopt(run);
  return { datasets, jobs, sessions, run, bytes: sessions.encode({}) };
}

const model = (m: SessionManifest) => m.runs[0]!.model!;

describe('runs are checked at import', () => {
  test('a consistent run imports, with a fresh job id, and the old runs are forgotten at the host', async () => {
    const { sessions, run, bytes } = await withRun();
    forgotten.length = 0;
    const info = await sessions.decodeAndRestore(bytes, 's.mexsession');
    expect(info.runs).toMatchObject([{ runId: run.runId, state: 'done', checkpointEpoch: 1 }]);
    expect(info.runs[0]!.jobId).not.toBe(run.jobId);
    expect(forgotten).toEqual([run.runId]);
  });

  const broken: [string, (m: SessionManifest) => void, RegExp][] = [
    [
      'truncated weights',
      (m) => (model(m).weights = model(m).weights.subarray(0, model(m).weights.length - 4)),
      /run run-fake0001: the weights hold \d+ bytes, the manifest expects \d+ \(truncated/,
    ],
    [
      'truncated checkpoint',
      (m) => {
        const c = m.runs[0]!.checkpoint!.model;
        c.weights = c.weights.subarray(0, 8);
      },
      /run run-fake0001: checkpoint \(epoch 1\): the weights hold 8 bytes/,
    ],
    [
      'a manifest that declares fewer bytes than its weights need',
      (m) => ((model(m).manifest as { byteLength: number }).byteLength -= 4),
      /run run-fake0001: the manifest declares/,
    ],
    [
      'overlapping weight specs',
      (m) => ((model(m).manifest as { weights: { offset: number }[] }).weights[1]!.offset = 0),
      /run run-fake0001: weight w1 starts at byte 0/,
    ],
    [
      'a model for another width',
      (m) => ((model(m).manifest as { inputDims: number }).inputDims = 5),
      /run run-fake0001: its model reads 5 columns, the dataset has 3/,
    ],
    [
      'codes of too few rows',
      (m) => (m.runs[0]!.codes = { data: new Float32Array(20), shape: [10, 2] }),
      /run run-fake0001: its codes have shape \[10,2\]/,
    ],
    ['no manifest', (m) => (model(m).manifest = { format: 'x' }), /run run-fake0001: its model manifest/],
  ];
  test.each(broken)(
    '%s: session.corrupt naming the run; what was open stays',
    async (_what, change, message) => {
      const { sessions, jobs, bytes } = await withRun();
      const bad = craft(bytes, change);
      await expect(sessions.decodeAndRestore(bad, 'bad.mexsession')).rejects.toMatchObject({
        code: 'session.corrupt',
        message: expect.stringMatching(message),
      });
      expect(jobs.list()).toHaveLength(1);
    },
  );
});

describe('autosave', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mx-autosave-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const checkpoint = (
    jobs: JobManager,
    jobId: string,
    epoch: number,
    weights: Uint8Array,
    manifest: unknown,
  ) =>
    jobs.onHostMessage({ type: 'checkpoint', jobId, epoch, model: { manifest: manifest as never, weights } });

  test('every checkpoint is written; a burst during a write folds into one more write of the latest', async () => {
    const { jobs, sessions, run } = await withRun();
    run.state = 'running';
    const path = join(dir, 'autosave.mexsession');
    const stop = sessions.autosave(path);
    const { manifest, weights } = run.checkpoint!.model;
    const epochOnDisk = async () => (await readSessionFile(path)).runs[0]!.checkpoint?.epoch;
    const settle = async (epoch: number) => {
      for (let i = 0; i < 200 && (await epochOnDisk().catch(() => undefined)) !== epoch; i++)
        await new Promise((r) => setTimeout(r, 10));
      return epochOnDisk();
    };
    checkpoint(jobs, run.jobId, 2, weights, manifest);
    expect(await settle(2)).toBe(2);
    checkpoint(jobs, run.jobId, 3, weights, manifest);
    expect(await settle(3)).toBe(3);
    // Many at once (faster than any write): the file ends with the last one.
    for (let e = 4; e <= 40; e++) checkpoint(jobs, run.jobId, e, weights, manifest);
    await stop();
    expect(await epochOnDisk()).toBe(40);
  });

  test('stopping writes what changed last, then nothing more', async () => {
    const { jobs, sessions, run } = await withRun();
    const path = join(dir, 'autosave.mexsession');
    const stop = sessions.autosave(path);
    const { manifest, weights } = run.checkpoint!.model;
    checkpoint(jobs, run.jobId, 7, weights, manifest);
    await new Promise((r) => setTimeout(r, 0));
    await stop();
    const before = (await readSessionFile(path)).runs[0]!.checkpoint?.epoch;
    expect(before).toBe(7);
    checkpoint(jobs, run.jobId, 8, weights, manifest);
    await new Promise((r) => setTimeout(r, 50));
    expect((await readSessionFile(path)).runs[0]!.checkpoint?.epoch).toBe(7);
  });
});

test('the checksum is CRC-32, the same from zlib as from the JavaScript reference', () => {
  expect(crc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926);
  const bytes = new Uint8Array(100_003);
  for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 2654435761) >>> 24;
  expect(crc32(bytes)).toBe(crc32Js(bytes));
  expect(crc32(bytes.subarray(7, 5000))).toBe(crc32Js(bytes.subarray(7, 5000)));
});
