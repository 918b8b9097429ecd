/**
 * Browser mode end to end: the real WebSocket server and app core, the engine in a Node worker
 * thread, and a client speaking the wire format. Load a sample, train, watch throttled progress and
 * code snapshots, analyse, cancel mid-run (the delay is measured), continue from a checkpoint, and
 * survive a killed engine; bad or unauthenticated messages get errors and the server keeps serving.
 */
import WebSocket from 'ws';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectClient, startBrowserMode } from '../helpers/serve';
import type { TestClient } from '../helpers/serve';
import type { EventMessage } from '../../electron/shared/contract';

type Server = Awaited<ReturnType<typeof startBrowserMode>>;
let app: Server;
let client: TestClient;

beforeAll(async () => {
  app = await startBrowserMode({ snapshotMs: 200, checkpointMs: 0 });
  client = await connectClient(app.server);
});
afterAll(async () => {
  client?.close();
  await app?.close();
});

const jobEvent = (jobId: string, state: string) => (e: EventMessage) =>
  e.event === 'job' && e.payload.jobId === jobId && e.payload.state === state;

describe('security of the socket', () => {
  test('a wrong token or a foreign origin is refused; the server keeps serving', async () => {
    await expect(connectClient(app.server, { token: 'nope' })).rejects.toThrow(/401/);
    await expect(connectClient(app.server, { origin: 'https://evil.example' })).rejects.toThrow(/401/);
    expect(app.logs.some((l) => l.includes('refused a socket'))).toBe(true);
    await expect(client.call('appInfo', {})).resolves.toMatchObject({
      host: 'browser',
      name: 'Manifold Explorer',
    });
  });

  test('malformed messages get an error on that client only', async () => {
    const other = await connectClient(app.server);
    try {
      expect(await client.raw(new Uint8Array([1, 2, 3]))).toMatchObject({
        ok: false,
        error: { code: 'bad-request' },
      });
      expect(await client.raw('{"call":"appInfo"}')).toMatchObject({
        ok: false,
        error: { code: 'bad-request' },
      });
      await expect(client.call('frobnicate' as never, {} as never)).rejects.toMatchObject({
        code: 'bad-request',
      });
      await expect(client.call('openSample', { name: 'swiss-roll', rows: -5 })).rejects.toThrow(
        /openSample\.rows/,
      );
      await expect(client.call('openSample', { name: 'no-such-sample' })).rejects.toThrow(/no-such-sample/);
      await expect(other.call('listSamples', {})).resolves.toEqual(
        expect.arrayContaining([expect.objectContaining({ name: 'swiss-roll' })]),
      );
      await expect(client.call('appInfo', {})).resolves.toMatchObject({ host: 'browser' });
    } finally {
      other.close();
    }
  });
});

describe('a newcomer’s flow over the socket', () => {
  let datasetId: string;
  let runId: string;

  test('open a sample and train; progress is throttled, snapshots stream, the run finishes', async () => {
    const ds = await client.call('openSample', { name: 'swiss-roll', rows: 1200, seed: 3 });
    expect(ds).toMatchObject({ rows: 1200, dims: 3, truth: { tangents: true } });
    datasetId = ds.id;
    const arrays = await client.call('getDataset', { datasetId });
    expect(arrays.data.shape).toEqual([1200, 3]);
    expect(arrays.truth?.tangents?.shape).toEqual([1200, 2, 3]);

    const t0 = Date.now();
    const started = await client.call('startTraining', {
      datasetId,
      config: { family: 'contractive', latent: 2, hidden: [32], lambda: 0.01 },
      train: { epochs: 30, batchSize: 32, seed: 1 },
    });
    runId = started.runId;
    await client.waitFor(jobEvent(started.jobId, 'done'), 120_000);
    const seconds = (Date.now() - t0) / 1000;
    const progress = client.events.filter((e) => e.event === 'progress' && e.payload.jobId === started.jobId);
    const perStep = progress.filter((e) => e.event === 'progress' && !e.payload.history);
    const perEpoch = progress.filter((e) => e.event === 'progress' && e.payload.history);
    expect(perEpoch).toHaveLength(30);
    // ~10 Hz: never more than a dozen step reports per second of training.
    expect(perStep.length).toBeLessThanOrEqual(Math.ceil(seconds * 12) + 2);
    const snapshots = client.events.filter(
      (e) => e.event === 'snapshot' && e.payload.jobId === started.jobId,
    );
    expect(snapshots.length).toBeGreaterThan(0);
    if (snapshots[0]?.event === 'snapshot') expect(snapshots[0].payload.codes.shape).toEqual([1200, 2]);

    const run = await client.call('getRun', { runId });
    expect(run.summary.state).toBe('done');
    expect(run.history).toHaveLength(30);
    expect(run.history[29]!.loss).toBeLessThan(run.history[0]!.loss);
    expect(run.codes?.shape).toEqual([1200, 2]);
    expect(run.reconstructions?.shape).toEqual([1200, 3]);
    expect(run.summary.backend?.backend).toBe('wasm');
  });

  test('analysis: tangents against the truth, the score field, trajectories, the decoded mesh', async () => {
    const indices = Array.from({ length: 40 }, (_, i) => i * 30);
    const a = await client.call('analyze', {
      runId,
      at: { indices },
      tangents: { method: 'decoder' },
      score: true,
      trajectories: { steps: 5, alpha: 1, mode: 'descent', offset: 0.5, seed: 2 },
    });
    expect(a.tangents?.shape).toEqual([40, 2, 3]);
    expect(a.singularValues?.shape).toEqual([40, 2]);
    expect(a.tangentAngles?.shape).toEqual([40]);
    expect(a.metrics.medianTangentAngle).toBeGreaterThanOrEqual(0);
    expect(a.score?.shape).toEqual([40, 3]);
    expect(a.trajectories?.shape).toEqual([40, 6, 3]);

    const field = await client.call('field', { runId, resolution: 6, dims: 3, padding: 0.1 });
    expect(field.points.shape).toEqual([216, 3]);
    expect(field.vectors.shape).toEqual([216, 3]);

    const surface = await client.call('surface', { runId, resolution: 10 });
    expect(surface.kind).toBe('mesh');
    expect(surface.vertices.shape).toEqual([100, 3]);
    expect(surface.indices.shape).toEqual([9 * 9 * 6]);

    const inspect = await client.call('inspect', { runId, index: 7, neighbors: 5 });
    expect(inspect.original.shape).toEqual([3]);
    expect(inspect.neighbors.indices.shape).toEqual([5]);
    expect(Array.from(inspect.neighbors.indices.data)).not.toContain(7);

    const q = await client.call('quality', { runId });
    expect(q.trustworthiness).toBeGreaterThan(0.5);
    expect(q.medianTangentAngle).not.toBeNull();

    const csv = await client.call('exportRun', { runId, what: 'codes', format: 'csv' });
    expect(typeof csv.content === 'string' && csv.content.split('\n')[0]).toBe('h0,h1');
    const npy = await client.call('exportRun', { runId, what: 'reconstructions', format: 'npy' });
    expect(npy.content).toBeInstanceOf(Uint8Array);
  });

  test('pause stops the steps, resume continues them', async () => {
    const started = await client.call('startTraining', {
      datasetId,
      config: { family: 'undercomplete', latent: 2, hidden: [16] },
      train: { epochs: 200, batchSize: 16, seed: 6, patience: 0 },
    });
    const stepsOf = () =>
      client.events.filter((e) => e.event === 'progress' && e.payload.jobId === started.jobId).length;
    await client.waitFor((e) => e.event === 'progress' && e.payload.jobId === started.jobId);
    await client.call('pauseTraining', { jobId: started.jobId });
    await client.waitFor(jobEvent(started.jobId, 'paused'));
    // Anything in flight lands; after that, no step runs while paused.
    await new Promise((r) => setTimeout(r, 300));
    const frozen = stepsOf();
    await new Promise((r) => setTimeout(r, 600));
    expect(stepsOf()).toBe(frozen);
    expect((await client.call('listRuns', {})).find((r) => r.runId === started.runId)?.state).toBe('paused');
    const before = client.events.length;
    await client.call('resumeTraining', { jobId: started.jobId });
    await client.waitFor((e) => client.events.indexOf(e) >= before && jobEvent(started.jobId, 'running')(e));
    await client.waitFor(
      (e) =>
        client.events.indexOf(e) >= before && e.event === 'progress' && e.payload.jobId === started.jobId,
    );
    expect(stepsOf()).toBeGreaterThan(frozen);
    await client.call('cancelTraining', { jobId: started.jobId });
  });

  test('cancel answers at once and the job stops; it continues from its checkpoint', async () => {
    const started = await client.call('startTraining', {
      datasetId,
      config: { family: 'undercomplete', latent: 2, hidden: [64, 64] },
      train: { epochs: 400, batchSize: 16, seed: 4, patience: 0 },
    });
    // Wait until a checkpoint exists (one per epoch when checkpointMs is 0).
    for (;;) {
      await client.waitFor(
        (e) => e.event === 'progress' && e.payload.jobId === started.jobId && !!e.payload.history,
      );
      const runs = await client.call('listRuns', {});
      if (runs.find((r) => r.runId === started.runId)?.checkpointEpoch) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    const t = performance.now();
    const reply = await client.call('cancelTraining', { jobId: started.jobId });
    await client.waitFor(jobEvent(started.jobId, 'cancelled'));
    const delay = performance.now() - t;
    expect(reply.state).toBe('cancelled');
    console.log(`cancel answered in ${delay.toFixed(1)} ms`);
    expect(delay).toBeLessThan(250);
    // The host stops before its next step: no progress for this job a moment later.
    await new Promise((r) => setTimeout(r, 400));
    const seen = client.events.length;
    await new Promise((r) => setTimeout(r, 400));
    expect(
      client.events.slice(seen).filter((e) => e.event === 'progress' && e.payload.jobId === started.jobId),
    ).toEqual([]);

    const run = (await client.call('listRuns', {})).find((r) => r.runId === started.runId)!;
    const from = run.checkpointEpoch!;
    const again = await client.call('restartFromCheckpoint', { runId: started.runId });
    expect(again.runId).toBe(started.runId);
    const first = (await client.waitFor(
      (e) => e.event === 'progress' && e.payload.jobId === again.jobId && !!e.payload.history,
    )) as Extract<EventMessage, { event: 'progress' }>;
    expect(first.payload.history!.epoch).toBe(from + 1);
    await client.call('cancelTraining', { jobId: again.jobId });
  });

  test('killing the engine mid-training interrupts the job; it resumes on a fresh engine', async () => {
    const started = await client.call('startTraining', {
      datasetId,
      config: { family: 'denoising', latent: 2, hidden: [32], noise: { kind: 'gaussian', level: 0.2 } },
      train: { epochs: 25, batchSize: 32, seed: 5, patience: 0 },
    });
    await client.waitFor(
      (e) => e.event === 'progress' && e.payload.jobId === started.jobId && e.payload.history?.epoch === 3,
    );
    await app.core.supervisor.kill();
    const interrupted = await client.waitFor(jobEvent(started.jobId, 'interrupted'));
    // A crash loses at most the epoch in flight (a checkpoint per epoch here).
    expect(interrupted.event === 'job' && interrupted.payload.checkpointEpoch).toBeGreaterThanOrEqual(2);
    // The server still answers.
    await expect(client.call('listDatasets', {})).resolves.toHaveLength(1);
    const again = await client.call('restartFromCheckpoint', { runId: started.runId });
    await client.waitFor(jobEvent(again.jobId, 'done'), 120_000);
    const run = await client.call('getRun', { runId: started.runId });
    expect(run.history.map((h) => h.epoch)).toEqual(Array.from({ length: 25 }, (_, i) => i + 1));
    expect(run.codes?.shape).toEqual([1200, 2]);
  });

  test('a session round-trips; a corrupt or newer file is refused and nothing is lost', async () => {
    const { bytes } = await client.call('exportSession', { viewState: { theme: 'light', view: 'latent' } });
    const before = await client.call('listRuns', {});

    const corrupt = bytes.slice();
    corrupt[corrupt.length - 10]! ^= 0xff;
    await expect(
      client.call('importSession', { fileName: 'bad.mexsession', bytes: corrupt }),
    ).rejects.toThrow(/damaged/);
    const newer = bytes.slice();
    new DataView(newer.buffer).setUint32(8, 99, true);
    await expect(client.call('importSession', { fileName: 'new.mexsession', bytes: newer })).rejects.toThrow(
      /newer/,
    );
    await expect(client.call('listRuns', {})).resolves.toHaveLength(before.length);

    const fresh = await startBrowserMode();
    try {
      const c2 = await connectClient(fresh.server);
      const info = await c2.call('importSession', { fileName: 'ok.mexsession', bytes });
      expect(info.viewState).toEqual({ theme: 'light', view: 'latent' });
      expect(info.datasets.map((d) => d.rows)).toEqual([1200]);
      const done = info.runs.filter((r) => r.state === 'done');
      expect(done.length).toBeGreaterThanOrEqual(2);
      // The restored model answers analysis without retraining.
      const a = await c2.call('analyze', {
        runId: done[0]!.runId,
        at: { indices: [0, 1, 2] },
        tangents: { method: 'decoder' },
      });
      expect(a.tangents?.shape).toEqual([3, 2, 3]);
      c2.close();
    } finally {
      await fresh.close();
    }
  });
});

test('raw sockets without the token never reach the API', async () => {
  const ws = new WebSocket(`ws://127.0.0.1:${app.server.port}/api`);
  const status = await new Promise<number>((resolve) => {
    ws.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    ws.once('open', () => resolve(101));
  });
  expect(status).toBe(401);
});

test('autosave: after the app itself dies, the saved session continues the run from its checkpoint', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'me-autosave-'));
  const path = join(dir, 'autosave.mexsession');
  const first = await startBrowserMode({ checkpointMs: 0, autosave: { path, everyMs: 50 } });
  try {
    const c = await connectClient(first.server);
    // Rows enough that 30 epochs outlast the wait below (≈ 100 steps an epoch), and no early
    // stopping, so the continued run ends at epoch 30 whatever its losses do.
    const ds = await c.call('openSample', { name: 'helix', rows: 3000, seed: 2 });
    const started = await c.call('startTraining', {
      datasetId: ds.id,
      config: { family: 'undercomplete', latent: 1, hidden: [16] },
      train: { epochs: 30, batchSize: 32, seed: 7, patience: 0 },
    });
    await c.waitFor(
      (e) =>
        e.event === 'progress' && e.payload.jobId === started.jobId && (e.payload.history?.epoch ?? 0) >= 4,
    );
    // Let the throttled write land, then take the file as a crash would leave it.
    await new Promise((r) => setTimeout(r, 400));
    const bytes = new Uint8Array(readFileSync(path));
    c.close();
    await first.close();

    const second = await startBrowserMode();
    try {
      const c2 = await connectClient(second.server);
      const info = await c2.call('importSession', { fileName: 'autosave.mexsession', bytes });
      const run = info.runs.find((r) => r.runId === started.runId)!;
      expect(run.state).toBe('interrupted');
      expect(run.checkpointEpoch).toBeGreaterThanOrEqual(3);
      const again = await c2.call('restartFromCheckpoint', { runId: run.runId });
      await c2.waitFor(jobEvent(again.jobId, 'done'), 120_000);
      const detail = await c2.call('getRun', { runId: run.runId });
      expect(detail.history.map((h) => h.epoch)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
      c2.close();
    } finally {
      await second.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
