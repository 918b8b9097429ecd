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
 * backend set-up.
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
import type { Normalizer } from '../engine/data/normalize';
import type { ModelView } from '../engine/analysis/model-view';
import { corrupt } from '../engine/corruption';
import { validationCount } from '../engine/data/split';
import type { AnyAutoencoder } from '../engine/models/create';
import { isUserError } from '../shared/errors';
import type { HistoryEntry } from '../shared/contract';
import type { AnalysisOp, FromHost, HostPort, HostRunResult, ModelBytes, StartJob, ToHost } from './protocol';

export type SetupBackend = (pref: BackendPreference, dims?: number) => Promise<BackendChoice>;

/** Live code snapshots cover at most this many rows (evenly spaced) so they stay cheap. */
export const SNAPSHOT_ROWS = 20_000;

interface Job {
  abort: AbortController;
  paused: { promise: Promise<void>; release: () => void } | null;
}

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

const buffers = (...arrays: ArrayBufferView[]): ArrayBuffer[] => arrays.map((a) => a.buffer as ArrayBuffer);

export function runEngineHost(
  port: HostPort,
  setup: SetupBackend,
  now: () => number = () => performance.now(),
): void {
  let backend: BackendChoice | undefined;
  const jobs = new Map<string, Job>();
  const models = new Map<string, LoadedModel>();
  /** How many times each run's model was loaded from bytes (a job caches its result only if none). */
  const loads = new Map<string, number>();
  const inUse = new Map<LoadedModel, number>();
  const retired = new Set<LoadedModel>();
  const retire = (m: LoadedModel) => {
    if (inUse.get(m)) retired.add(m);
    else m.model.dispose();
  };
  const cache = (runId: string, m: LoadedModel) => {
    const old = models.get(runId);
    models.set(runId, m);
    if (old && old !== m) retire(old);
  };
  const post = (m: FromHost, transfer?: ArrayBuffer[]) => port.post(m, transfer);

  // One set-up at a time: `init` and a job's first message may both ask for the backend.
  let settingUp: Promise<BackendChoice> | undefined;
  async function ensureBackend(pref: BackendPreference, dims?: number): Promise<BackendChoice> {
    while (settingUp) await settingUp.catch(() => undefined);
    if (backend && (pref === 'auto' || pref === backend.backend)) return backend;
    settingUp = setup(pref, dims);
    try {
      backend = await settingUp;
      return backend;
    } finally {
      settingUp = undefined;
    }
  }

  async function start(msg: StartJob): Promise<void> {
    const { jobId, dataset } = msg;
    const job: Job = { abort: new AbortController(), paused: null };
    jobs.set(jobId, job);
    const t0 = now();
    let live: { model: AnyAutoencoder; normalizer: Normalizer } | undefined;
    let lastCheckpoint = -Infinity;
    // Throughput and ETA of the current stage (greedy runs have several).
    const trainRows = dataset.rows - validationCount(dataset.rows, msg.train.valSplit ?? 0.1);
    let stageEpochs = 0;
    let stageStart = t0;
    let rate = 0;
    const resumedFrom = msg.resume?.epoch ?? 0;
    const loadsAtStart = loads.get(msg.runId) ?? 0;
    try {
      await ensureBackend(msg.train.backend ?? 'auto', dataset.dims);
      let weights;
      if (msg.resume) {
        const checkpoint = loadModel(msg.resume.model.manifest, msg.resume.model.weights, 'checkpoint');
        weights = await checkpoint.model.readWeights();
        checkpoint.model.dispose();
      }
      post({ type: 'state', jobId, state: 'running' });
      const progress = (p: Omit<Extract<FromHost, { type: 'progress' }>['progress'], 'elapsedSeconds'>) =>
        post({ type: 'progress', jobId, progress: { ...p, elapsedSeconds: (now() - t0) / 1000 } });

      const result = await runTraining(
        {
          dataset,
          config: msg.config,
          train: msg.train,
          ...(msg.snapshotMs > 0 ? { snapshot: { rows: SNAPSHOT_ROWS, everyMs: msg.snapshotMs } } : {}),
          ...(weights ? { resume: { epoch: resumedFrom, weights, skipPretraining: true } } : {}),
        },
        {
          onStageBegin: (st) => {
            stageEpochs = st.epochs;
            stageStart = now();
          },
          onBatchEnd: (b) => {
            const inStage = (now() - stageStart) / 1000;
            const done = (b.epoch - 1) * b.batches + b.batch;
            const total = stageEpochs * b.batches;
            rate = inStage > 0 ? (done * trainRows) / b.batches / inStage : 0;
            progress({
              epoch: b.epoch,
              epochs: stageEpochs,
              step: b.batch,
              stepsPerEpoch: b.batches,
              ...(b.stage ? { stage: b.stage } : {}),
              losses: { loss: b.loss, ...b.parts },
              samplesPerSecond: rate,
              etaSeconds: done > 0 && inStage > 0 ? ((total - done) * inStage) / done : null,
            });
          },
          onEpochEnd: async (h) => {
            const [entry] = flattenHistory([h]);
            const inStage = (now() - stageStart) / 1000;
            progress({
              epoch: h.epoch,
              epochs: stageEpochs,
              step: 0,
              stepsPerEpoch: 0,
              ...(h.stage ? { stage: h.stage } : {}),
              losses: { loss: h.loss, ...h.parts },
              samplesPerSecond: rate,
              etaSeconds: h.epoch > 0 && inStage > 0 ? ((stageEpochs - h.epoch) * inStage) / h.epoch : null,
              ...(entry ? { history: entry as HistoryEntry } : {}),
            });
            // Checkpoints only once greedy pretraining is over (a resume skips it). A checkpoint
            // of a start (start-2, epoch 5) resumes as one start from there (engine/restarts.ts).
            const due = msg.checkpointMs !== null && now() - lastCheckpoint >= msg.checkpointMs;
            const resumable = !h.stage || h.stage === 'finetune' || h.stage.startsWith('start-');
            if (live && due && resumable) {
              lastCheckpoint = now();
              const saved = await saveModel(live.model, live.normalizer, dataset.categorical);
              post(
                {
                  type: 'checkpoint',
                  jobId,
                  epoch: h.epoch,
                  ...(h.stage ? { stage: h.stage } : {}),
                  model: saved,
                },
                buffers(saved.weights),
              );
            }
          },
          onCodes: (s) => {
            const all = s.indices.length === dataset.rows;
            post(
              {
                type: 'snapshot',
                jobId,
                epoch: s.epoch,
                codes: s.codes,
                k: s.latent,
                ...(all ? {} : { indices: s.indices }),
              },
              all ? buffers(s.codes) : buffers(s.codes, s.indices),
            );
          },
        },
        job.abort.signal,
        {
          now,
          beforeStep: async () => {
            while (job.paused && !job.abort.signal.aborted) await job.paused.promise;
          },
        },
        { onModel: (ctx) => (live = { model: ctx.model, normalizer: ctx.normalizer }) },
      );
      const saved = await saveModel(result.model, result.normalizer, dataset.categorical);
      // A model loaded for this run id meanwhile is newer than this job's (a session was opened).
      if ((loads.get(msg.runId) ?? 0) === loadsAtStart)
        cache(msg.runId, { model: result.model, normalizer: result.normalizer, config: result.config });
      else result.model.dispose();
      if (job.abort.signal.aborted) post({ type: 'state', jobId, state: 'cancelled' });
      const body = flat(result, resumedFrom);
      post(
        { type: 'done', jobId, result: { ...body, model: saved } },
        buffers(body.codes, body.reconstructions, saved.weights),
      );
    } catch (e) {
      post({ type: 'failed', jobId, ...errorFields(e) });
    } finally {
      jobs.delete(jobId);
    }
  }

  function loaded(runId: string, bytes: ModelBytes | undefined): LoadedModel {
    if (bytes) {
      const m = loadModel(bytes.manifest, bytes.weights, runId);
      loads.set(runId, (loads.get(runId) ?? 0) + 1);
      cache(runId, m);
      return m;
    }
    const m = models.get(runId);
    if (!m) throw new Error(`model of ${runId} not loaded in this host`);
    return m;
  }

  function view({ model: m, normalizer }: LoadedModel): ModelView {
    return {
      inputDims: m.inputDims,
      latent: m.latent,
      normalizer,
      encode: (x) => m.encode(x),
      decode: (h) => m.decode(h),
      reconstruct: (x) => m.reconstruct(x),
    };
  }

  async function analyse(
    runId: string,
    bytes: ModelBytes | undefined,
    op: AnalysisOp,
  ): Promise<{ result: unknown; transfer: ArrayBuffer[] }> {
    const lm = loaded(runId, bytes);
    inUse.set(lm, (inUse.get(lm) ?? 0) + 1);
    try {
      return await analyseWith(lm, op);
    } finally {
      const n = (inUse.get(lm) ?? 1) - 1;
      if (n > 0) inUse.set(lm, n);
      else {
        inUse.delete(lm);
        if (retired.delete(lm)) lm.model.dispose();
      }
    }
  }

  async function analyseWith(
    lm: LoadedModel,
    op: AnalysisOp,
  ): Promise<{ result: unknown; transfer: ArrayBuffer[] }> {
    const mv = view(lm);
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
        const range = op.range
          ? { min: tf.tensor1d(op.range.min), max: tf.tensor1d(op.range.max) }
          : undefined;
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

  port.onMessage((msg: ToHost) => {
    switch (msg.type) {
      case 'init':
        ensureBackend(msg.backend, msg.dims).then(
          (b) => post({ type: 'ready', backend: b }),
          (e: unknown) => post({ type: 'fatal', message: errorFields(e).message }),
        );
        return;
      case 'start':
        void start(msg);
        return;
      case 'pause': {
        const job = jobs.get(msg.jobId);
        if (job && !job.paused) {
          let release = () => {};
          const promise = new Promise<void>((r) => (release = r));
          job.paused = { promise, release };
          post({ type: 'state', jobId: msg.jobId, state: 'paused' });
        }
        return;
      }
      case 'resume': {
        const job = jobs.get(msg.jobId);
        if (job?.paused) {
          const p = job.paused;
          job.paused = null;
          p.release();
          post({ type: 'state', jobId: msg.jobId, state: 'running' });
        }
        return;
      }
      case 'cancel': {
        const job = jobs.get(msg.jobId);
        if (job) {
          job.abort.abort();
          job.paused?.release();
        }
        return;
      }
      case 'request':
        analyse(msg.runId, msg.model, msg).then(
          ({ result, transfer }) =>
            post({ type: 'reply', requestId: msg.requestId, ok: true, result }, transfer),
          (e: unknown) => post({ type: 'reply', requestId: msg.requestId, ok: false, ...errorFields(e) }),
        );
        return;
    }
  });
}
