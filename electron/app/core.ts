/**
 * The app's core, without Electron: datasets, training jobs on the engine host, analysis, sessions.
 * It implements the contract's calls (the handler table); the desktop shell adds what needs native
 * dialogs, and browser mode serves the same table over a WebSocket. Both get the same events.
 */
import { SAMPLES } from '../data/samples/registry';
import type { CallArgs, CallResult, EventMessage } from '../shared/contract';
import type { BackendPreference } from '../engine/backend';
import { fitPca, pcaTransform } from '../engine/analysis/pca';
import type { Handlers } from './dispatch';
import type { LoadOptions } from '../data/load';
import { DatasetStore } from './datasets';
import { JobManager } from './jobs';
import { EngineSupervisor } from './supervisor';
import type { HostFactory } from './supervisor';
import { Analysis } from './analysis';
import { SessionStore } from './session';
import type { Grants } from './grants';
import { UploadStore, type UploadLimits } from './uploads';
import { openCodes } from './codes';

export interface CoreOptions {
  host: 'electron' | 'browser';
  version: string;
  hostFactory: HostFactory;
  backend?: BackendPreference;
  snapshotMs?: number;
  /** Checkpoint at epoch ends at most this often (ms; 0 = every epoch, null = never). Default 0. */
  checkpointMs?: number | null;
  log?: (msg: string) => void;
  /** Autosave the session here while runs train (see SessionStore.autosave). */
  autosave?: { path: string; everyMs?: number };
  /** Desktop: signs paths of files the user picked, so the app's own sessions reopen them. */
  grants?: Grants;
  /** Streamed uploads: size limit, idle timeout, how many at once (defaults: UPLOAD_LIMITS). */
  uploads?: Partial<UploadLimits>;
}

export interface AppCore {
  datasets: DatasetStore;
  jobs: JobManager;
  supervisor: EngineSupervisor;
  analysis: Analysis;
  sessions: SessionStore;
  uploads: UploadStore;
  handlers: Partial<Handlers>;
  /** A client connected (a browser-mode socket): its own upload calls, and what to do when it goes. */
  connect(): { handlers: Partial<Handlers>; close(): void };
  subscribe(emit: (m: EventMessage) => void): () => void;
  close(): Promise<void>;
}

export function createAppCore(opts: CoreOptions): AppCore {
  const log = opts.log ?? (() => {});
  const datasets = new DatasetStore();
  // The two refer to each other; each only calls the other after both exist.
  const jobs: JobManager = new JobManager(() => supervisor, {
    ...(opts.snapshotMs !== undefined ? { snapshotMs: opts.snapshotMs } : {}),
    ...(opts.checkpointMs !== undefined ? { checkpointMs: opts.checkpointMs } : {}),
  });
  const supervisor: EngineSupervisor = new EngineSupervisor(
    opts.hostFactory,
    { job: (m) => jobs.onHostMessage(m), exit: (reason, generation) => jobs.onHostExit(reason, generation) },
    opts.backend ?? 'auto',
    log,
  );
  const analysis = new Analysis(datasets, jobs, supervisor);
  const sessions = new SessionStore(datasets, jobs, opts.version, opts.grants);
  const stopAutosave: () => Promise<void> = opts.autosave
    ? sessions.autosave(opts.autosave.path, {
        ...(opts.autosave.everyMs !== undefined ? { everyMs: opts.autosave.everyMs } : {}),
        log,
      })
    : async () => {};
  const pcaCache = new Map<string, CallResult<'pca'>>();
  const uploads = new UploadStore(
    datasets,
    loadOptions,
    async (bytes, fileName) => {
      pcaCache.clear();
      return sessions.decodeAndRestore(bytes, fileName);
    },
    opts.uploads,
    log,
  );
  let connections = 0;

  const h = {
    appInfo: () => ({
      name: 'Manifold Explorer',
      version: opts.version,
      host: opts.host,
      backends:
        opts.host === 'electron'
          ? ['webgpu', 'webgl', 'wasm', 'cpu']
          : ['webgpu', 'tensorflow', 'wasm', 'cpu'],
    }),
    listSamples: () => SAMPLES.map((s) => ({ ...s, truth: { ...s.truth } })),
    openSample: async ({ name, rows, noise, seed }: CallArgs<'openSample'>) =>
      (
        await datasets.openSample(name, {
          ...(rows !== undefined ? { rows } : {}),
          ...(noise !== undefined ? { noise } : {}),
          ...(seed !== undefined ? { seed } : {}),
        })
      ).summary,
    uploadDataset: async ({ fileName, bytes, options, companions }: CallArgs<'uploadDataset'>) =>
      (await datasets.upload(fileName, bytes, loadOptions(options), companions)).summary,
    // Streamed uploads of the host itself (desktop IPC); each socket gets its own (connect()).
    ...uploads.handlers('local'),
    listDatasets: () => datasets.list(),
    getDataset: ({ datasetId }: CallArgs<'getDataset'>) => datasets.arrays(datasetId),
    pca: ({ datasetId, components }: CallArgs<'pca'>) => {
      const key = `${datasetId}:${components}`;
      const cached = pcaCache.get(key);
      if (cached) return cached;
      const { dataset: ds } = datasets.get(datasetId);
      const p = fitPca(ds.data, ds.rows, ds.dims, components);
      const c = p.components;
      const result = {
        mean: { data: Float32Array.from(p.mean), shape: [ds.dims] },
        components: { data: Float32Array.from(p.basis), shape: [c, ds.dims] },
        explainedVariance: { data: Float32Array.from(p.variances.subarray(0, c)), shape: [c] },
        projection: { data: pcaTransform(p, ds.data, ds.rows), shape: [ds.rows, c] },
      };
      pcaCache.set(key, result);
      return result;
    },
    startTraining: async ({ datasetId, config, train }: CallArgs<'startTraining'>) => {
      const run = await jobs.start(datasets.get(datasetId), config, train);
      return { jobId: run.jobId, runId: run.runId };
    },
    pauseTraining: ({ jobId }: CallArgs<'pauseTraining'>) => ({ state: jobs.pause(jobId) }),
    resumeTraining: ({ jobId }: CallArgs<'resumeTraining'>) => ({ state: jobs.resume(jobId) }),
    cancelTraining: ({ jobId }: CallArgs<'cancelTraining'>) => ({ state: jobs.cancel(jobId) }),
    restartFromCheckpoint: async ({ runId }: CallArgs<'restartFromCheckpoint'>) => {
      const run = await jobs.restart(runId);
      return { jobId: run.jobId, runId: run.runId };
    },
    listRuns: () => jobs.list().map((r) => jobs.summary(r)),
    getRun: ({ runId }: CallArgs<'getRun'>) => analysis.runDetail(runId),
    deleteRun: ({ runId }: CallArgs<'deleteRun'>) => ({ deleted: jobs.delete(runId) }),
    analyze: (input: CallArgs<'analyze'>) => analysis.analyze(input),
    field: (input: CallArgs<'field'>) => analysis.field(input),
    surface: (input: CallArgs<'surface'>) => analysis.surface(input),
    inspect: (input: CallArgs<'inspect'>) => analysis.inspect(input),
    retrieve: (input: CallArgs<'retrieve'>) => analysis.retrieve(input),
    quality: ({ runId }: CallArgs<'quality'>) => analysis.quality(runId),
    exportRun: (input: CallArgs<'exportRun'>) => analysis.exportRun(input),
    openCodes: (input: CallArgs<'openCodes'>) => openCodes(jobs, input),
    exportSession: ({ viewState }: CallArgs<'exportSession'>) => ({ bytes: sessions.encode(viewState) }),
    importSession: async ({ fileName, bytes }: CallArgs<'importSession'>) => {
      pcaCache.clear();
      return sessions.decodeAndRestore(bytes, fileName);
    },
  } satisfies Partial<Handlers>;

  return {
    datasets,
    jobs,
    supervisor,
    analysis,
    sessions,
    uploads,
    handlers: h as Partial<Handlers>,
    connect: () => {
      const owner = `socket-${++connections}`;
      return { handlers: uploads.handlers(owner), close: () => void uploads.closeOwner(owner) };
    },
    subscribe: (emit) => jobs.subscribe(emit),
    close: async () => {
      await stopAutosave();
      await uploads.close();
      jobs.clear();
      await supervisor.kill();
    },
  };
}

/** The contract's load options → the loaders' options. */
export function loadOptions(o: CallArgs<'uploadDataset'>['options']): LoadOptions {
  if (!o) return {};
  return {
    ...(o.labelColumn !== undefined ? { labelColumn: o.labelColumn } : {}),
    ...(o.missing ? { missing: o.missing } : {}),
    ...(o.delimiter ? { delimiter: o.delimiter } : {}),
    ...(o.decimal ? { decimal: o.decimal } : {}),
    ...(o.header !== undefined ? { header: o.header } : {}),
    ...(o.imageSize ? { imageSize: o.imageSize } : {}),
    ...(o.grayscale !== undefined ? { color: o.grayscale ? ('grey' as const) : ('rgb' as const) } : {}),
  };
}
