/**
 * Training jobs and the runs they produce. The manager starts a job on the engine host, follows its
 * messages (progress, snapshots, checkpoints, the result), turns them into the contract's events,
 * and keeps each run: configuration, history, metrics, codes, reconstructions, weights and the
 * last checkpoint. Pause and resume go to the host; cancel is answered at once (the host stops
 * before its next step). If the host dies, every running job becomes `interrupted`, keeps its
 * checkpoint, and `restart` continues it on a fresh host from there.
 */
import { constants as bufferConstants } from 'node:buffer';
import { randomUUID } from 'node:crypto';
import type { EventMessage, HistoryEntry, JobState, RunSummary } from '../shared/contract';
import { UserError } from '../shared/errors';
import type {
  ModelConfig,
  ModelConfigInput,
  ResolvedTrainOptions,
  TrainOptionsInput,
} from '../shared/model-config';
import { parseModelConfig, parseTrainOptions } from '../shared/model-config';
import type { BackendChoice } from '../engine/backend';
import { APP_HINTS, APP_SNAPSHOT_ROWS, checkTrainingMemory, memoryInput } from '../engine/memory-check';
import type { FromHost, HostRunResult, ModelBytes } from '../hosts/protocol';
import type { DatasetRecord } from './datasets';
import type { EngineSupervisor } from './supervisor';

export interface RunRecord {
  runId: string;
  jobId: string;
  dataset: DatasetRecord;
  config: ModelConfig;
  /** What the user asked for; `resolved` once the engine has decided the defaults. */
  train: TrainOptionsInput;
  resolvedTrain?: ResolvedTrainOptions;
  state: JobState;
  createdAt: string;
  backend?: BackendChoice;
  history: HistoryEntry[];
  result?: HostRunResult;
  checkpoint?: { epoch: number; stage?: string; model: ModelBytes };
  error?: string;
  /** The host generation running the job (a job dies with its host). */
  generation?: number;
  cancelRequestedAt?: number;
}

export type Emit = (m: EventMessage) => void;

/** The memory check in the app: the default limit, Node's typed-array limit, the app's words. */
const APP_MEMORY = { runtime: { maxTypedArrayLength: bufferConstants.MAX_LENGTH }, hints: APP_HINTS };

const ACTIVE: JobState[] = ['queued', 'running', 'paused'];

export class JobManager {
  private readonly runs = new Map<string, RunRecord>();
  private readonly byJob = new Map<string, RunRecord>();
  private readonly emitters = new Set<Emit>();
  private readonly watchers = new Set<() => void>();

  constructor(
    private readonly supervisor: () => EngineSupervisor,
    private readonly options: { snapshotMs?: number; checkpointMs?: number | null; now?: () => number } = {},
  ) {}

  subscribe(emit: Emit): () => void {
    this.emitters.add(emit);
    return () => void this.emitters.delete(emit);
  }

  private emit(m: EventMessage): void {
    for (const e of this.emitters) e(m);
  }

  /**
   * Called whenever what a session would save changed: a run's state, a new checkpoint, a result
   * (the autosave writes then). Returns a function that stops watching.
   */
  watch(changed: () => void): () => void {
    this.watchers.add(changed);
    return () => void this.watchers.delete(changed);
  }

  private changed(): void {
    for (const w of this.watchers) w();
  }

  private setState(run: RunRecord, state: JobState, message?: string): void {
    run.state = state;
    this.changed();
    this.emit({
      event: 'job',
      payload: {
        jobId: run.jobId,
        runId: run.runId,
        state,
        ...(message ? { message } : {}),
        ...(run.checkpoint ? { checkpointEpoch: run.checkpoint.epoch } : {}),
      },
    });
  }

  list(): RunRecord[] {
    return [...this.runs.values()];
  }

  get(runId: string): RunRecord {
    const r = this.runs.get(runId);
    if (!r) throw new UserError('not-found', `no run ${runId} in this session`);
    return r;
  }

  private byJobId(jobId: string): RunRecord {
    const r = this.byJob.get(jobId);
    if (!r) throw new UserError('not-found', `no job ${jobId}`);
    return r;
  }

  /** Add a finished run (a session being opened). */
  adopt(run: RunRecord): void {
    this.runs.set(run.runId, run);
    this.byJob.set(run.jobId, run);
  }

  delete(runId: string): boolean {
    const run = this.runs.get(runId);
    if (!run) return false;
    if (ACTIVE.includes(run.state))
      throw new UserError('busy', `run ${runId} is still training; stop it first`);
    this.runs.delete(runId);
    this.byJob.delete(run.jobId);
    this.supervisor().forget(runId);
    this.changed();
    return true;
  }

  /** Forget every run (a session is being opened), at the engine host too: its models are by run id. */
  clear(): void {
    for (const r of this.runs.values()) {
      if (ACTIVE.includes(r.state)) this.supervisor().sendIfRunning({ type: 'cancel', jobId: r.jobId });
      this.supervisor().forget(r.runId);
    }
    this.runs.clear();
    this.byJob.clear();
  }

  async start(
    dataset: DatasetRecord,
    config: ModelConfigInput | ModelConfig,
    train: TrainOptionsInput,
  ): Promise<RunRecord> {
    const cfg = parseModelConfig(config, 'config', {
      rows: dataset.dataset.rows,
      dims: dataset.dataset.dims,
    });
    parseTrainOptions(train, 'train');
    // Refused before a run exists when it cannot fit (the model panel says the same beforehand).
    checkTrainingMemory(memoryInput(cfg, train, dataset.dataset, undefined, APP_SNAPSHOT_ROWS), APP_MEMORY);
    const id = randomUUID().slice(0, 8);
    const run: RunRecord = {
      runId: `run-${id}`,
      jobId: `job-${id}`,
      dataset,
      config: cfg,
      train,
      state: 'queued',
      createdAt: new Date().toISOString(),
      history: [],
    };
    this.runs.set(run.runId, run);
    this.byJob.set(run.jobId, run);
    await this.launch(run);
    return run;
  }

  private async launch(run: RunRecord): Promise<void> {
    this.setState(run, 'queued');
    const sup = this.supervisor();
    try {
      run.backend = await sup.ready();
      const ds = run.dataset.dataset;
      checkTrainingMemory(
        memoryInput(run.config, run.train, ds, run.backend.backend, APP_SNAPSHOT_ROWS),
        APP_MEMORY,
      );
      run.generation = await sup.send({
        type: 'start',
        jobId: run.jobId,
        runId: run.runId,
        dataset: ds,
        config: run.config,
        train: run.train,
        ...(run.checkpoint ? { resume: { epoch: run.checkpoint.epoch, model: run.checkpoint.model } } : {}),
        snapshotMs: this.options.snapshotMs ?? 300,
        // Every epoch by default: SPEC promises a crash loses at most the epoch in flight. Taking one
        // costs a read of the weights, small next to an epoch over the rows (∝ rows × weights).
        checkpointMs: this.options.checkpointMs === undefined ? 0 : this.options.checkpointMs,
      });
    } catch (e) {
      run.error = e instanceof Error ? e.message : String(e);
      this.setState(run, 'failed', run.error);
      throw e;
    }
  }

  pause(jobId: string): JobState {
    const run = this.byJobId(jobId);
    if (run.state === 'running') this.supervisor().sendIfRunning({ type: 'pause', jobId });
    return run.state;
  }

  resume(jobId: string): JobState {
    const run = this.byJobId(jobId);
    if (run.state === 'paused') this.supervisor().sendIfRunning({ type: 'resume', jobId });
    return run.state;
  }

  /** Cancel: answered at once; the host stops before its next step. */
  cancel(jobId: string): JobState {
    const run = this.byJobId(jobId);
    if (!ACTIVE.includes(run.state)) return run.state;
    run.cancelRequestedAt = (this.options.now ?? Date.now)();
    this.supervisor().sendIfRunning({ type: 'cancel', jobId });
    this.setState(run, 'cancelled');
    return run.state;
  }

  /** Continue a run from its last checkpoint (after a crash or a cancel), as a new job. */
  async restart(runId: string): Promise<RunRecord> {
    const run = this.get(runId);
    if (ACTIVE.includes(run.state)) throw new UserError('busy', `run ${runId} is still training`);
    if (!run.checkpoint)
      throw new UserError('no-checkpoint', `run ${runId} has no checkpoint to continue from`);
    this.byJob.delete(run.jobId);
    run.jobId = `job-${randomUUID().slice(0, 8)}`;
    this.byJob.set(run.jobId, run);
    delete run.error;
    delete run.cancelRequestedAt;
    delete run.result;
    // A checkpoint of one of several starts goes on as that start alone: the others' epochs go.
    const cp = run.checkpoint;
    run.history = run.history.filter(
      (h) =>
        h.stage?.startsWith('pretrain') ||
        (h.epoch <= cp.epoch && (!cp.stage?.startsWith('start-') || h.stage === cp.stage)),
    );
    await this.launch(run);
    return run;
  }

  /** Messages from the host about a job. */
  onHostMessage(m: Extract<FromHost, { jobId: string }>): void {
    const run = this.byJob.get(m.jobId);
    if (!run) return;
    const cancelled = run.state === 'cancelled';
    switch (m.type) {
      case 'state':
        if (!cancelled && m.state !== 'cancelled') this.setState(run, m.state);
        return;
      case 'progress':
        if (m.progress.history) run.history.push(m.progress.history);
        if (!cancelled)
          this.emit({ event: 'progress', payload: { jobId: run.jobId, runId: run.runId, ...m.progress } });
        return;
      case 'snapshot':
        if (!cancelled)
          this.emit({
            event: 'snapshot',
            payload: {
              jobId: run.jobId,
              runId: run.runId,
              epoch: m.epoch,
              codes: { data: m.codes, shape: [m.codes.length / m.k, m.k] },
              ...(m.indices
                ? { indices: { data: Int32Array.from(m.indices), shape: [m.indices.length] } }
                : {}),
            },
          });
        return;
      case 'checkpoint':
        run.checkpoint = { epoch: m.epoch, ...(m.stage ? { stage: m.stage } : {}), model: m.model };
        this.changed();
        return;
      case 'done':
        run.result = m.result;
        run.resolvedTrain = m.result.train;
        run.config = m.result.config;
        // The host's history is authoritative (it includes epochs before a resume only from ours).
        run.history = [
          ...run.history.filter((h) => h.epoch <= m.result.resumedFrom && !h.stage?.startsWith('pretrain')),
          ...(m.result.history as HistoryEntry[]),
        ].filter((h, i, all) => all.findIndex((o) => o.epoch === h.epoch && o.stage === h.stage) === i);
        if (run.generation !== undefined) this.supervisor().markLoaded(run.runId, run.generation);
        this.changed();
        if (!cancelled) this.setState(run, 'done');
        return;
      case 'failed':
        run.error = m.message;
        if (!cancelled) this.setState(run, 'failed', m.message);
        return;
    }
  }

  /** The host died: running jobs are interrupted (they keep their checkpoints). */
  onHostExit(reason: string, generation: number): void {
    for (const run of this.runs.values())
      if (ACTIVE.includes(run.state) && run.generation === generation) {
        run.error = `the engine stopped (${reason})`;
        this.setState(
          run,
          'interrupted',
          run.checkpoint
            ? `the engine stopped (${reason}); it can continue from epoch ${run.checkpoint.epoch}`
            : `the engine stopped (${reason}) before the first checkpoint; start it again`,
        );
      }
  }

  summary(run: RunRecord): RunSummary {
    const m = run.result?.metrics;
    const metrics: RunSummary['metrics'] = {};
    if (m) {
      metrics.trainMse = m.trainMse;
      metrics.valMse = m.valMse;
      metrics.samplesPerSecond = m.samplesPerSecond;
      metrics.paramCount = m.paramCount;
      if (m.pca) metrics.pcaTrainMse = m.pca.trainMse;
      if (m.principalAnglesDeg?.length) metrics.maxPrincipalAngleDeg = Math.max(...m.principalAnglesDeg);
      if (m.truth?.tangentAngleDeg) metrics.medianTangentAngleDeg = m.truth.tangentAngleDeg.median;
      if (m.truth?.scoreCosine) metrics.meanScoreCosine = m.truth.scoreCosine.mean;
      if (run.result) metrics.seconds = run.result.seconds;
    }
    return {
      runId: run.runId,
      jobId: run.jobId,
      datasetId: run.dataset.id,
      datasetName: run.dataset.summary.name,
      family: run.config.family,
      config: run.config,
      train: run.resolvedTrain ?? (parseTrainOptions(run.train) as ResolvedTrainOptions),
      state: run.state,
      createdAt: run.createdAt,
      ...(run.backend
        ? {
            backend: {
              backend: run.backend.backend,
              requested: run.backend.requested,
              reason: run.backend.reason,
              ...(run.backend.device ? { device: run.backend.device } : {}),
            },
          }
        : {}),
      metrics,
      warnings: run.result?.warnings ?? [],
      ...(run.result?.diagnostics?.length ? { diagnostics: run.result.diagnostics } : {}),
      ...(run.checkpoint ? { checkpointEpoch: run.checkpoint.epoch } : {}),
      ...(run.error ? { error: run.error } : {}),
    };
  }
}
