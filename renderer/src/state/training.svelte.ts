/**
 * The training job the user started: its state (from onJob), the latest progress (epoch, step,
 * losses, samples/s, ETA), the loss history epoch by epoch, and the latest code snapshot for the
 * latent view. Events of other jobs are ignored; events that beat the start call's reply (before
 * the job id is known) are kept and replayed.
 */
import type {
  ExplorerApi,
  HistoryEntry,
  JobEvent,
  JobState,
  ProgressEvent,
  SnapshotEvent,
} from '../../../electron/shared/contract';
import type { ModelConfigInput, TrainOptionsInput } from '../../../electron/shared/model-config';
import { lossSeries } from './loss';

const ACTIVE: readonly JobState[] = ['queued', 'running', 'paused'];

type Early =
  | { kind: 'job'; e: JobEvent }
  | { kind: 'progress'; e: ProgressEvent }
  | { kind: 'snapshot'; e: SnapshotEvent };

export class TrainingState {
  jobId = $state<string | null>(null);
  runId = $state<string | null>(null);
  datasetId = $state<string | null>(null);
  state = $state<JobState | null>(null);
  /** The job event's message (why it failed or stopped). */
  message = $state<string | null>(null);
  checkpointEpoch = $state<number | null>(null);
  progress = $state.raw<ProgressEvent | null>(null);
  history = $state.raw<HistoryEntry[]>([]);
  snapshot = $state.raw<SnapshotEvent | null>(null);
  /** Number of snapshots received (tests and the status line). */
  snapshots = $state(0);

  private early: Early[] = [];
  private starting = 0;

  constructor(private readonly api: ExplorerApi) {}

  readonly active = $derived(this.state !== null && ACTIVE.includes(this.state));
  /** Batch losses of the current epoch and before, at fractional epochs (the chart's first points). */
  steps = $state.raw<{ x: number[]; y: number[] }>({ x: [], y: [] });

  /**
   * The chart's series: the epoch history, and until two epochs have finished the batch losses
   * too, so that a long first epoch is not an empty chart.
   */
  readonly loss = $derived.by(() => {
    const l = lossSeries(this.history);
    if (this.history.length >= 2 || this.steps.x.length < 2) return l;
    return { ...l, series: [...l.series, { name: 'batch loss', split: 'train' as const, ...this.steps }] };
  });
  /** The total loss of the first and the latest epoch. */
  readonly firstLoss = $derived(this.history[0]?.loss ?? null);
  readonly lastLoss = $derived(this.history.at(-1)?.loss ?? null);
  /** 0…1 through the current stage. */
  readonly fraction = $derived.by(() => {
    const p = this.progress;
    if (this.state === 'done') return 1;
    if (!p || p.epochs <= 0) return 0;
    const done = p.stepsPerEpoch > 0 ? p.epoch - 1 + p.step / p.stepsPerEpoch : p.epoch;
    return Math.min(1, Math.max(0, done / p.epochs));
  });

  async start(
    datasetId: string,
    input: { config: ModelConfigInput; train: TrainOptionsInput },
  ): Promise<string> {
    const { jobId, runId } = await this.launching(() => this.api.startTraining({ datasetId, ...input }));
    this.follow(jobId, runId, datasetId, []);
    return runId;
  }

  /** Run a start call, keeping the events that arrive before its reply. */
  async launching<T>(fn: () => Promise<T>): Promise<T> {
    this.starting++;
    try {
      return await fn();
    } finally {
      this.starting--;
    }
  }

  /** Watch a job from now on (a new one, or a restarted run with its history so far). */
  follow(jobId: string, runId: string, datasetId: string, history: HistoryEntry[]): void {
    this.jobId = jobId;
    this.runId = runId;
    this.datasetId = datasetId;
    this.state = 'queued';
    this.message = null;
    this.progress = null;
    this.history = history;
    this.snapshot = null;
    this.snapshots = 0;
    this.steps = { x: [], y: [] };
    const early = this.early.filter((x) => x.e.jobId === jobId);
    this.early = [];
    for (const x of early)
      if (x.kind === 'job') this.onJob(x.e);
      else if (x.kind === 'progress') this.onProgress(x.e);
      else this.onSnapshot(x.e);
  }

  private stash(x: Early): void {
    if (this.starting > 0) this.early = [...this.early.slice(-200), x];
  }

  async pause(): Promise<void> {
    if (this.jobId && this.state === 'running') await this.api.pauseTraining({ jobId: this.jobId });
  }

  async resume(): Promise<void> {
    if (this.jobId && this.state === 'paused') await this.api.resumeTraining({ jobId: this.jobId });
  }

  async stop(): Promise<void> {
    if (this.jobId && this.active) {
      const { state } = await this.api.cancelTraining({ jobId: this.jobId });
      this.state = state;
    }
  }

  onProgress(e: ProgressEvent): void {
    if (e.jobId !== this.jobId) return this.stash({ kind: 'progress', e });
    this.progress = e;
    if (this.state === 'queued') this.state = 'running';
    if (e.history) this.history = [...this.history, e.history];
    else if (e.stepsPerEpoch > 0 && this.history.length < 2 && Number.isFinite(e.losses.loss)) {
      const x = this.history.length + e.step / e.stepsPerEpoch;
      this.steps = { x: [...this.steps.x, x].slice(-500), y: [...this.steps.y, e.losses.loss!].slice(-500) };
    }
  }

  onSnapshot(e: SnapshotEvent): void {
    if (e.jobId !== this.jobId) return this.stash({ kind: 'snapshot', e });
    this.snapshot = e;
    this.snapshots++;
  }

  /** Returns true when the job just finished (the caller then loads the run). */
  onJob(e: JobEvent): boolean {
    if (e.jobId !== this.jobId) {
      this.stash({ kind: 'job', e });
      return false;
    }
    this.state = e.state;
    this.message = e.message ?? null;
    if (e.checkpointEpoch !== undefined) this.checkpointEpoch = e.checkpointEpoch;
    return e.state === 'done';
  }

  /** Forget the job (another dataset or run is shown). */
  clear(): void {
    this.jobId = null;
    this.runId = null;
    this.datasetId = null;
    this.state = null;
    this.message = null;
    this.checkpointEpoch = null;
    this.progress = null;
    this.history = [];
    this.snapshot = null;
    this.snapshots = 0;
    this.steps = { x: [], y: [] };
  }
}
