/**
 * Sessions: the current datasets and runs (with weights, history, metrics, codes, checkpoints) and
 * the view state, to a session file and back (session-file.ts is the format). Opening builds the
 * whole new state first — restoring each dataset (session-datasets.ts: never a path the user did
 * not pick) and checking each run's arrays (session-runs.ts) — and swaps it in only when
 * everything succeeded, so a bad file never loses what is open.
 */
import { randomUUID } from 'node:crypto';
import { basename, dirname, isAbsolute, relative, sep } from 'node:path';
import type { SessionInfo } from '../shared/contract';
import { UserError } from '../shared/errors';
import type { HostRunResult } from '../hosts/protocol';
import type { DatasetRecord, DatasetStore } from './datasets';
import type { Grants } from './grants';
import type { JobManager, RunRecord } from './jobs';
import { restoreDataset } from './session-datasets';
import type { RestoredDataset } from './session-datasets';
import { checkRun } from './session-runs';
import { writeFileAtomic } from './atomic';
import {
  decodeSession,
  encodeSession,
  readSessionFile,
  sessionLoadOptions,
  writeSessionFile,
  SESSION_VERSION,
} from './session-file';
import type { SessionDataset, SessionManifest, SessionRun } from './session-file';

type ResultMeta = Omit<HostRunResult, 'codes' | 'reconstructions' | 'model'>;

/** Where a session's data file is, as the session records it (see session-file.ts, format 2). */
function fileEntry(
  rec: DatasetRecord & { origin: { kind: 'file' } },
  folder: string | null,
  grants: Grants | undefined,
): SessionDataset['origin'] {
  const path = rec.origin.path;
  const inside = folder !== null && isAbsolute(path) ? relative(folder, path) : '';
  const relativePath =
    inside !== '' && !isAbsolute(inside) && inside !== '..' && !inside.startsWith(`..${sep}`)
      ? inside.split(sep).join('/')
      : undefined;
  return {
    kind: 'file',
    fileName:
      basename(path)
        .replace(/[\\/\0]/g, '_')
        .slice(0, 255) || 'data',
    ...(relativePath ? { relativePath } : {}),
    ...(grants && isAbsolute(path) ? { path, grant: grants.sign(path, rec.dataset.sha256) } : {}),
    options: sessionLoadOptions(rec.origin.options),
  };
}

export class SessionStore {
  /** Where the open session lives (null until saved or opened). */
  path: string | null = null;
  /** The last view state saved or opened. */
  viewState: Record<string, unknown> = {};

  constructor(
    private readonly datasets: DatasetStore,
    private readonly jobs: JobManager,
    private readonly appVersion: string,
    /** Desktop only: signs the paths of files the user picked so its own sessions reopen them. */
    private readonly grants?: Grants,
  ) {}

  /** `folder`: where the file will be (relative paths are written against it), null for bytes. */
  manifest(
    viewState: Record<string, unknown>,
    folder: string | null = null,
    now = new Date(),
  ): SessionManifest {
    const datasets: SessionDataset[] = this.datasets.list().map((s) => {
      const rec = this.datasets.get(s.id);
      const ds = rec.dataset;
      const base = { id: rec.id, name: ds.name, sha256: ds.sha256, rows: ds.rows, dims: ds.dims };
      if (rec.origin.kind === 'sample') return { ...base, origin: { ...rec.origin } };
      if (rec.origin.kind === 'file')
        return {
          ...base,
          origin: fileEntry(rec as DatasetRecord & { origin: { kind: 'file' } }, folder, this.grants),
          ...(ds.labels
            ? { labels: { data: ds.labels, ...(ds.labelNames ? { names: ds.labelNames } : {}) } }
            : {}),
        };
      return {
        ...base,
        origin: {
          kind: 'upload',
          fileName:
            basename(rec.origin.fileName)
              .replace(/[\\/\0]/g, '_')
              .slice(0, 255) || 'upload',
          options: sessionLoadOptions(rec.origin.options),
        },
        embedded: {
          data: ds.data,
          ...(ds.labels ? { labels: ds.labels } : {}),
          ...(ds.labelNames ? { labelNames: ds.labelNames } : {}),
          ...(ds.featureNames ? { featureNames: ds.featureNames } : {}),
          ...(ds.image ? { image: ds.image } : {}),
          ...(ds.categorical ? { categorical: ds.categorical } : {}),
        },
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

  /** The session as bytes with no location (browser download): no relative paths. */
  encode(viewState: Record<string, unknown>): Uint8Array {
    return encodeSession(this.manifest(viewState));
  }

  async save(path: string, viewState: Record<string, unknown>): Promise<number> {
    const bytes = await writeSessionFile(path, this.manifest(viewState, dirname(path)));
    this.path = path;
    this.viewState = viewState;
    return bytes;
  }

  /**
   * Autosave to `path` (never the user's own session file) at the checkpoint cadence: after every
   * checkpoint a run takes (one per epoch by default) and every change of a run's state, so a
   * crash of the app loses at most the epoch in flight. Writes never queue: one is in flight at a
   * time, and changes meanwhile fold into one more write of the then-current session. The cost is
   * bounded for big sessions: building and encoding a session blocks the event loop (the write
   * itself does not), so after an encode that took t ms the next waits max(everyMs, t·(1/share − 1)):
   * at most `share` (default 0.2) of the app's time goes to it. The lag stays within one epoch
   * while a write (encode, write, fsync) takes less than an epoch.
   * Returns a function that stops autosaving and resolves once the last changes are written.
   */
  autosave(
    path: string,
    opts: { everyMs?: number; share?: number; log?: (msg: string) => void; now?: () => number } = {},
  ): () => Promise<void> {
    const everyMs = opts.everyMs ?? 0;
    const share = Math.min(1, Math.max(0.01, opts.share ?? 0.2));
    const now = opts.now ?? (() => performance.now());
    let lastEnd = -Infinity;
    let lastCost = 0;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let inFlight: Promise<void> | undefined;
    let dirty = false;
    let stopped = false;
    const write = async () => {
      timer = undefined;
      dirty = false;
      try {
        // Building and encoding the session runs on the event loop; the file write does not.
        const t0 = now();
        const bytes = encodeSession(this.manifest(this.viewState, dirname(path)));
        lastCost = now() - t0;
        await writeFileAtomic(path, bytes);
      } catch (e) {
        opts.log?.(`autosave to ${path} failed: ${e instanceof Error ? e.message : String(e)}`);
      }
      lastEnd = now();
    };
    const kick = () => {
      dirty = true;
      if (stopped || inFlight || timer) return;
      const gap = Math.max(everyMs, (lastCost * (1 - share)) / share);
      // Even at 0 ms a timer folds a burst (the epoch's progress, checkpoint, state) into one write.
      timer = setTimeout(
        () => {
          inFlight = write().finally(() => {
            inFlight = undefined;
            if (dirty) kick();
          });
        },
        Math.max(0, lastEnd + gap - now()),
      );
    };
    const unwatch = this.jobs.watch(kick);
    return async () => {
      stopped = true;
      unwatch();
      if (timer) clearTimeout(timer);
      timer = undefined;
      await inFlight;
      // What changed since the last write is written once more (no gap: this is the last one).
      if (dirty) await write();
    };
  }

  /**
   * Open a session file the user chose: its data may be read from its own folder or a granted
   * path. `remember: false` (recovering the autosave) leaves `path` as it was, so Save does not
   * write over the autosave.
   */
  async open(path: string, opts: { remember?: boolean } = {}): Promise<SessionInfo> {
    const info = await this.restore(await readSessionFile(path), { file: path, folder: dirname(path) });
    if (opts.remember !== false) this.path = path;
    return { ...info, path: opts.remember !== false ? path : null };
  }

  /** Session bytes without a location (browser mode, drag and drop): datasets open or embedded only. */
  async decodeAndRestore(bytes: Uint8Array, file: string): Promise<SessionInfo> {
    return this.restore(decodeSession(bytes, file), { file, folder: null });
  }

  private async restore(
    m: SessionManifest,
    where: { file: string; folder: string | null },
  ): Promise<SessionInfo> {
    const { file } = where;
    // Build everything first; the open session is replaced only when this succeeded.
    const open = this.datasets.list().map((s) => this.datasets.get(s.id));
    const loaded: { sd: SessionDataset; restored: RestoredDataset }[] = [];
    for (const sd of m.datasets)
      loaded.push({ sd, restored: await restoreDataset(sd, { ...where, open, grants: this.grants }) });
    const byId = new Map(loaded.map((l) => [l.sd.id, l]));
    for (const r of m.runs) {
      const ds = byId.get(r.summary.datasetId);
      if (!ds)
        throw new UserError(
          'session.corrupt',
          `run ${r.summary.runId} refers to a dataset the session does not hold`,
          { file },
        );
      checkRun(r, ds.restored.dataset.rows, ds.restored.dataset.dims, file);
    }

    // Forgets the runs in memory, at the engine host too (its model cache is keyed by run id).
    this.jobs.clear();
    this.datasets.clear();
    const records = new Map<string, DatasetRecord>();
    for (const { sd, restored } of loaded)
      records.set(sd.id, this.datasets.add(restored.dataset, restored.origin, sd.id));
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
        // A fresh job id: a job of the same id may still be winding down on the host (one that was
        // training when this session was opened), and its last messages must not land here.
        jobId: `job-${randomUUID().slice(0, 8)}`,
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
      path: where.folder !== null ? file : null,
      datasets: this.datasets.list(),
      runs: this.jobs.list().map((r) => this.jobs.summary(r)),
      viewState: m.viewState,
    };
  }
}
