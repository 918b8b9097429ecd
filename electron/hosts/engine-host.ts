/**
 * The engine behind every host (Node worker, compute window, utility process): it answers the
 * protocol of protocol.ts. Training jobs run through engine/run.ts with callbacks that stream
 * progress (~10 Hz, the loop throttles), live code snapshots (the engine's onCodes), checkpoints at
 * epoch ends, and a pause gate the loop awaits before every step. Cancel aborts before the next
 * step. Analysis requests use models cached by run: bytes sent with a request always replace the
 * cached model (the app sends them when the run's model is new to this host, e.g. a session just
 * opened whose run ids match older runs), and a job that ends after such a load does not put its
 * older model back. A replaced model is disposed once no request uses it. The training loop yields
 * to the event loop, so they are answered while a job trains. Nothing here reads tensors
 * synchronously (WebGPU in Node cannot). Isomorphic: the host file supplies the transport and the
 * backend set-up. A job's own state and callbacks are in train-job.ts.
 */
import { tf } from '../engine/tf';
import type { BackendChoice, BackendPreference } from '../engine/backend';
import { runTraining, flattenHistory } from '../engine/run';
import type { RunResult } from '../engine/run';
import { loadModel, saveModel } from '../engine/serialize';
import type { LoadedModel } from '../engine/serialize';
import { tangentPlanes } from '../engine/analysis/tangents';
import { scoreField, trajectories } from '../engine/analysis/score';
import { decodedSurface } from '../engine/analysis/surface';
import { applyBatched } from '../engine/analysis/full-jacobian';
import { normalize } from '../engine/data/normalize';
import { viewOf } from '../engine/analysis/model-view';
import { corrupt } from '../engine/corruption';
import { isUserError } from '../shared/errors';
import type { AnalysisOp, FromHost, HostPort, HostRunResult, ModelBytes, StartJob, ToHost } from './protocol';
import { buffers, TrainJob } from './train-job';

export type SetupBackend = (pref: BackendPreference, dims?: number) => Promise<BackendChoice>;

/** Live code snapshots cover at most this many rows (evenly spaced) so they stay cheap. */
export const SNAPSHOT_ROWS = 20_000;

const flat = (r: RunResult, resumedFrom: number): Omit<HostRunResult, 'model'> => ({
  config: r.config,
  train: r.train,
  normalizer: {
    kind: r.normalizer.kind,
    offset: Array.from(r.normalizer.offset),
    scale: Array.from(r.normalizer.scale),
  },
  split: r.split,
  history: flattenHistory(r.history),
  stages: r.stages,
  stopped: r.stopped,
  metrics: r.metrics,
  warnings: r.warnings,
  diagnostics: r.diagnostics,
  codes: r.codes,
  latent: r.latent,
  reconstructions: r.reconstructions,
  seconds: r.seconds,
  resumedFrom,
});

function errorFields(e: unknown): { code: string; message: string; user: boolean } {
  if (isUserError(e)) return { code: e.code, message: e.message, user: true };
  return { code: 'internal', message: e instanceof Error ? e.message : String(e), user: false };
}

export function runEngineHost(
  port: HostPort,
  setup: SetupBackend,
  now: () => number = () => performance.now(),
): void {
  const host = new EngineHost(port, setup, now);
  port.onMessage((msg: ToHost) => host.handle(msg));
}

/** The host's state: the backend, the jobs running, and the models cached by run for analysis. */
class EngineHost {
  private backend: BackendChoice | undefined;
  private readonly jobs = new Map<string, TrainJob>();
  private readonly models = new Map<string, LoadedModel>();
  /** How many times each run's model was loaded from bytes (a job caches its result only if none). */
  private readonly loads = new Map<string, number>();
  private readonly inUse = new Map<LoadedModel, number>();
  private readonly retired = new Set<LoadedModel>();
  // One set-up at a time: `init` and a job's first message may both ask for the backend.
  private settingUp: Promise<BackendChoice> | undefined;

  constructor(
    private readonly port: HostPort,
    private readonly setup: SetupBackend,
    private readonly now: () => number,
  ) {}

  private readonly post = (m: FromHost, transfer?: ArrayBuffer[]) => this.port.post(m, transfer);

  /** A replaced model is disposed once no request uses it. */
  private retire(m: LoadedModel): void {
    if (this.inUse.get(m)) this.retired.add(m);
    else m.model.dispose();
  }

  private cache(runId: string, m: LoadedModel): void {
    const old = this.models.get(runId);
    this.models.set(runId, m);
    if (old && old !== m) this.retire(old);
  }

  private async ensureBackend(pref: BackendPreference, dims?: number): Promise<BackendChoice> {
    while (this.settingUp) await this.settingUp.catch(() => undefined);
    if (this.backend && (pref === 'auto' || pref === this.backend.backend)) return this.backend;
    this.settingUp = this.setup(pref, dims);
    try {
      this.backend = await this.settingUp;
      return this.backend;
    } finally {
      this.settingUp = undefined;
    }
  }

  /** A training job: the backend, a resume's checkpoint, runTraining, then its result and model. */
  private async start(msg: StartJob): Promise<void> {
    const { jobId, dataset } = msg;
    const job = new TrainJob(msg, this.post, this.now);
    this.jobs.set(jobId, job);
    const resumedFrom = msg.resume?.epoch ?? 0;
    const loadsAtStart = this.loads.get(msg.runId) ?? 0;
    try {
      await this.ensureBackend(msg.train.backend ?? 'auto', dataset.dims);
      const weights = msg.resume ? await checkpointWeights(msg.resume.model) : undefined;
      this.post({ type: 'state', jobId, state: 'running' });
      const result = await runTraining(
        {
          dataset,
          config: msg.config,
          train: msg.train,
          ...(msg.snapshotMs > 0 ? { snapshot: { rows: SNAPSHOT_ROWS, everyMs: msg.snapshotMs } } : {}),
          ...(weights ? { resume: { epoch: resumedFrom, weights, skipPretraining: true } } : {}),
        },
        job.callbacks(),
        job.abort.signal,
        job.control(),
        job.hooks(),
      );
      const saved = await saveModel(result.model, result.normalizer, dataset.categorical);
      // A model loaded for this run id meanwhile is newer than this job's (a session was opened).
      if ((this.loads.get(msg.runId) ?? 0) === loadsAtStart)
        this.cache(msg.runId, { model: result.model, normalizer: result.normalizer, config: result.config });
      else result.model.dispose();
      if (job.abort.signal.aborted) this.post({ type: 'state', jobId, state: 'cancelled' });
      const body = flat(result, resumedFrom);
      this.post(
        { type: 'done', jobId, result: { ...body, model: saved } },
        buffers(body.codes, body.reconstructions, saved.weights),
      );
    } catch (e) {
      this.post({ type: 'failed', jobId, ...errorFields(e) });
    } finally {
      this.jobs.delete(jobId);
    }
  }

  /** The run's model: loaded from the bytes sent (which replace the cached one), or the cached one. */
  private loaded(runId: string, bytes: ModelBytes | undefined): LoadedModel {
    if (bytes) {
      const m = loadModel(bytes.manifest, bytes.weights, runId);
      this.loads.set(runId, (this.loads.get(runId) ?? 0) + 1);
      this.cache(runId, m);
      return m;
    }
    const m = this.models.get(runId);
    if (!m) throw new Error(`model of ${runId} not loaded in this host`);
    return m;
  }

  private async analyse(
    runId: string,
    bytes: ModelBytes | undefined,
    op: AnalysisOp,
  ): Promise<{ result: unknown; transfer: ArrayBuffer[] }> {
    const lm = this.loaded(runId, bytes);
    this.inUse.set(lm, (this.inUse.get(lm) ?? 0) + 1);
    try {
      return await analyseWith(lm, op);
    } finally {
      const n = (this.inUse.get(lm) ?? 1) - 1;
      if (n > 0) this.inUse.set(lm, n);
      else {
        this.inUse.delete(lm);
        if (this.retired.delete(lm)) lm.model.dispose();
      }
    }
  }

  handle(msg: ToHost): void {
    switch (msg.type) {
      case 'init':
        this.ensureBackend(msg.backend, msg.dims).then(
          (b) => this.post({ type: 'ready', backend: b }),
          (e: unknown) => this.post({ type: 'fatal', message: errorFields(e).message }),
        );
        return;
      case 'start':
        void this.start(msg);
        return;
      case 'pause':
        this.jobs.get(msg.jobId)?.pause();
        return;
      case 'resume':
        this.jobs.get(msg.jobId)?.resume();
        return;
      case 'cancel':
        this.jobs.get(msg.jobId)?.cancel();
        return;
      case 'request':
        this.analyse(msg.runId, msg.model, msg).then(
          ({ result, transfer }) =>
            this.post({ type: 'reply', requestId: msg.requestId, ok: true, result }, transfer),
          (e: unknown) =>
            this.post({ type: 'reply', requestId: msg.requestId, ok: false, ...errorFields(e) }),
        );
        return;
    }
  }
}

/** A resume's weights, read from the checkpoint's bytes. */
async function checkpointWeights(model: ModelBytes) {
  const checkpoint = loadModel(model.manifest, model.weights, 'checkpoint');
  const weights = await checkpoint.model.readWeights();
  checkpoint.model.dispose();
  return weights;
}

/** One analysis request on a loaded model; the result and the buffers to transfer with it. */
async function analyseWith(
  lm: LoadedModel,
  op: AnalysisOp,
): Promise<{ result: unknown; transfer: ArrayBuffer[] }> {
  const mv = viewOf(lm);
  switch (op.op) {
    case 'tangents': {
      const r = await tangentPlanes(mv, op.points, op.n, {
        method: op.method,
        ...(op.dims ? { dims: op.dims } : {}),
      });
      return { result: r, transfer: buffers(r.tangents, r.singularValues, r.intrinsicDims) };
    }
    case 'score': {
      const v = await scoreField(mv, op.points, op.n);
      return { result: v, transfer: buffers(v) };
    }
    case 'trajectories': {
      // The chain corrupts like the run did (denoising), else with small Gaussian noise.
      const noise =
        lm.config.family === 'denoising' ? lm.config.noise : { kind: 'gaussian' as const, level: 0.1 };
      const range = op.range ? { min: tf.tensor1d(op.range.min), max: tf.tensor1d(op.range.max) } : undefined;
      try {
        const paths = await trajectories(mv, op.points, op.n, {
          steps: op.steps,
          mode: op.mode,
          alpha: op.alpha,
          seed: op.seed,
          corrupt: (x, seed) =>
            corrupt(
              x,
              noise.kind === 'salt-pepper' && !range ? { kind: 'gaussian', level: 0.1 } : noise,
              seed,
              range,
            ),
        });
        return { result: paths, transfer: buffers(paths) };
      } finally {
        if (range) tf.dispose([range.min, range.max]);
      }
    }
    case 'surface': {
      const s = await decodedSurface(mv, op.codes, op.n, op.resolution);
      return { result: s, transfer: buffers(s.vertices, s.indices) };
    }
    case 'encode': {
      const codes = await applyBatched(
        (x) => lm.model.codes(x),
        normalize(mv.normalizer, op.points),
        op.n,
        mv.inputDims,
        mv.latent,
      );
      return { result: codes, transfer: buffers(codes) };
    }
  }
}
