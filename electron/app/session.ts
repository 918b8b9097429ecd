/**
 * Sessions: the current datasets and runs (with weights, history, metrics, codes, checkpoints) and
 * the view state, to a session file and back (session-file.ts is the format). Opening builds the
 * whole new state first — reloading each dataset and checking its sha256 — and swaps it in only
 * when everything succeeded, so a bad file never loses what is open.
 */
import { loadDataset } from '../data/load';
import type { LoadOptions } from '../data/load';
import type { Dataset } from '../shared/dataset';
import type { SessionInfo } from '../shared/contract';
import { UserError } from '../shared/errors';
import type { HostRunResult } from '../hosts/protocol';
import type { DatasetRecord, DatasetStore } from './datasets';
import type { JobManager, RunRecord } from './jobs';
import {
  decodeSession,
  encodeSession,
  readSessionFile,
  writeSessionFile,
  SESSION_VERSION,
} from './session-file';
import type { SessionDataset, SessionManifest, SessionRun } from './session-file';

type ResultMeta = Omit<HostRunResult, 'codes' | 'reconstructions' | 'model'>;

export class SessionStore {
  /** Where the open session lives (null until saved or opened). */
  path: string | null = null;
  /** The last view state saved or opened. */
  viewState: Record<string, unknown> = {};

  constructor(
    private readonly datasets: DatasetStore,
    private readonly jobs: JobManager,
    private readonly appVersion: string,
  ) {}

  manifest(viewState: Record<string, unknown>, now = new Date()): SessionManifest {
    const datasets: SessionDataset[] = this.datasets.list().map((s) => {
      const rec = this.datasets.get(s.id);
      const ds = rec.dataset;
      return {
        id: rec.id,
        name: ds.name,
        sha256: ds.sha256,
        rows: ds.rows,
        dims: ds.dims,
        origin: rec.origin as SessionDataset['origin'],
        ...(rec.origin.kind === 'upload'
          ? {
              embedded: {
                data: ds.data,
                ...(ds.labels ? { labels: ds.labels } : {}),
                ...(ds.labelNames ? { labelNames: ds.labelNames } : {}),
                ...(ds.featureNames ? { featureNames: ds.featureNames } : {}),
                ...(ds.image ? { image: ds.image } : {}),
                ...(ds.categorical ? { categorical: ds.categorical } : {}),
              },
            }
          : {}),
      };
    });
    const runs: SessionRun[] = this.jobs.list().map((run) => {
      const r = run.result;
      const meta: ResultMeta | undefined = r
        ? (({ codes: _c, reconstructions: _r, model: _m, ...rest }) => rest)(r)
        : undefined;
      return {
        summary: this.jobs.summary(run),
        history: run.history,
        ...(r ? { codes: { data: r.codes, shape: [run.dataset.dataset.rows, r.latent] } } : {}),
        ...(r
          ? {
              reconstructions: {
                data: r.reconstructions,
                shape: [run.dataset.dataset.rows, run.dataset.dataset.dims],
              },
            }
          : {}),
        ...(r ? { model: r.model } : {}),
        ...(run.checkpoint
          ? { checkpoint: { epoch: run.checkpoint.epoch, model: run.checkpoint.model } }
          : {}),
        extra: { train: run.train, ...(meta ? { result: meta } : {}) },
      };
    });
    return {
      format: 'manifold-explorer-session',
      version: SESSION_VERSION,
      savedAt: now.toISOString(),
      appVersion: this.appVersion,
      datasets,
      runs,
      viewState,
    };
  }

  encode(viewState: Record<string, unknown>): Uint8Array {
    return encodeSession(this.manifest(viewState));
  }

  async save(path: string, viewState: Record<string, unknown>): Promise<number> {
    const bytes = await writeSessionFile(path, this.manifest(viewState));
    this.path = path;
    this.viewState = viewState;
    return bytes;
  }

  /**
   * Autosave: write the session to `path` (never the user's own session file) whenever a run
   * changes state or finishes an epoch — where its checkpoint is taken — at most every `everyMs`.
   * A crash of the app then loses at most that long of training; open the file to continue.
   * Returns a function that stops autosaving.
   */
  autosave(path: string, opts: { everyMs?: number; log?: (msg: string) => void } = {}): () => void {
    const everyMs = opts.everyMs ?? 2000;
    let last = -Infinity;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let writing: Promise<unknown> = Promise.resolve();
    const write = () => {
      timer = undefined;
      last = Date.now();
      writing = writing
        .then(() => writeSessionFile(path, this.manifest(this.viewState)))
        .catch((e: unknown) =>
          opts.log?.(`autosave to ${path} failed: ${e instanceof Error ? e.message : String(e)}`),
        );
    };
    const unsubscribe = this.jobs.subscribe((m) => {
      if (m.event !== 'job' && !(m.event === 'progress' && m.payload.history)) return;
      if (timer) return;
      timer = setTimeout(write, Math.max(0, last + everyMs - Date.now()));
    });
    return () => {
      unsubscribe();
      if (timer) clearTimeout(timer);
    };
  }

  async open(path: string): Promise<SessionInfo> {
    const info = await this.restore(await readSessionFile(path), path);
    this.path = path;
    return info;
  }

  async decodeAndRestore(bytes: Uint8Array, file: string): Promise<SessionInfo> {
    return this.restore(decodeSession(bytes, file), null);
  }

  private async loadDataset(sd: SessionDataset, file: string): Promise<Dataset> {
    let ds: Dataset;
    if (sd.origin.kind === 'upload') {
      const e = sd.embedded;
      if (!e)
        throw new UserError(
          'session.corrupt',
          `dataset ${sd.name}: the uploaded data are missing from the session`,
          { file },
        );
      if (e.data.length !== sd.rows * sd.dims)
        throw new UserError(
          'session.corrupt',
          `dataset ${sd.name}: ${e.data.length} values for ${sd.rows} × ${sd.dims}`,
          { file },
        );
      ds = {
        name: sd.name,
        source: `upload:${sd.origin.fileName}`,
        sha256: sd.sha256,
        rows: sd.rows,
        dims: sd.dims,
        data: e.data,
        ...(e.labels ? { labels: e.labels } : {}),
        ...(e.labelNames ? { labelNames: e.labelNames } : {}),
        ...(e.featureNames ? { featureNames: e.featureNames } : {}),
        ...(e.image ? { image: e.image } : {}),
        ...(e.categorical ? { categorical: e.categorical } : {}),
      };
      return ds;
    }
    const where = sd.origin.kind === 'file' ? sd.origin.path : sd.origin.spec;
    try {
      ds = await loadDataset(where, sd.origin.kind === 'file' ? (sd.origin.options as LoadOptions) : {});
    } catch (e) {
      throw new UserError(
        'session.dataset',
        `the session's dataset ${sd.name} cannot be loaded: ${e instanceof Error ? e.message : String(e)}`,
        { file },
      );
    }
    if (ds.sha256 !== sd.sha256)
      throw new UserError(
        'session.dataset-changed',
        `the session's dataset ${where} has changed since the session was saved (sha256 ${ds.sha256.slice(0, 12)}…, expected ${sd.sha256.slice(0, 12)}…)`,
        { file },
      );
    return ds;
  }

  private async restore(m: SessionManifest, path: string | null): Promise<SessionInfo> {
    const file = path ?? 'session';
    // Build everything first; the open session is replaced only when this succeeded.
    const loaded: { sd: SessionDataset; ds: Dataset }[] = [];
    for (const sd of m.datasets) loaded.push({ sd, ds: await this.loadDataset(sd, file) });
    const byId = new Map(loaded.map((l) => [l.sd.id, l]));
    for (const r of m.runs)
      if (!byId.has(r.summary.datasetId))
        throw new UserError(
          'session.corrupt',
          `run ${r.summary.runId} refers to a dataset the session does not hold`,
          { file },
        );

    this.jobs.clear();
    this.datasets.clear();
    const records = new Map<string, DatasetRecord>();
    for (const { sd, ds } of loaded)
      records.set(sd.id, this.datasets.add(ds, sd.origin as DatasetRecord['origin'], sd.id));
    for (const r of m.runs) {
      const s = r.summary;
      const meta = (r.extra?.result ?? undefined) as ResultMeta | undefined;
      const result: HostRunResult | undefined =
        meta && r.codes && r.reconstructions && r.model
          ? { ...meta, codes: r.codes.data, reconstructions: r.reconstructions.data, model: r.model }
          : undefined;
      const wasActive = s.state === 'running' || s.state === 'paused' || s.state === 'queued';
      const run: RunRecord = {
        runId: s.runId,
        jobId: s.jobId,
        dataset: records.get(s.datasetId)!,
        config: s.config,
        train: (r.extra?.train ?? {}) as RunRecord['train'],
        ...(result ? { resolvedTrain: result.train, result } : {}),
        state: wasActive ? 'interrupted' : s.state,
        createdAt: s.createdAt,
        ...(s.backend
          ? {
              backend: {
                ...s.backend,
                backend: s.backend.backend as never,
                requested: s.backend.requested as never,
              },
            }
          : {}),
        history: r.history,
        ...(r.checkpoint ? { checkpoint: r.checkpoint } : {}),
        ...(s.error
          ? { error: s.error }
          : wasActive
            ? { error: 'the session was saved while this run was training' }
            : {}),
      };
      this.jobs.adopt(run);
    }
    this.viewState = m.viewState;
    return {
      path,
      datasets: this.datasets.list(),
      runs: this.jobs.list().map((r) => this.jobs.summary(r)),
      viewState: m.viewState,
    };
  }
}
