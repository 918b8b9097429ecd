/**
 * The session's runs: their summaries (listRuns), the run shown in the views with its codes,
 * reconstructions and per-row errors (getRun), a second run to overlay in the latent view, and
 * each run's quality figures (computed on demand: they cost a few seconds on big datasets).
 */
import type { CallResult, ExplorerApi, RunDetail, RunSummary } from '../../../electron/shared/contract';
import { errorText } from './format';

export type Quality = CallResult<'quality'>;
export type QualityEntry =
  { status: 'loading' } | { status: 'ready'; value: Quality } | { status: 'error'; message: string };

export class RunsState {
  runs = $state.raw<RunSummary[]>([]);
  /** The run the views show. */
  currentId = $state<string | null>(null);
  detail = $state.raw<RunDetail | null>(null);
  /** A second run whose codes are drawn with the current one's (Compare). */
  overlayId = $state<string | null>(null);
  overlay = $state.raw<RunDetail | null>(null);
  quality = $state.raw<Record<string, QualityEntry>>({});

  constructor(private readonly api: ExplorerApi) {}

  readonly current = $derived(this.runs.find((r) => r.runId === this.currentId) ?? null);
  /** The shown run's trained model exists (analysis calls need it). */
  readonly ready = $derived(this.detail?.summary.state === 'done' && !!this.detail.codes);

  async refresh(): Promise<void> {
    this.runs = await this.api.listRuns({});
  }

  forDataset(datasetId: string | null): RunSummary[] {
    return this.runs.filter((r) => r.datasetId === datasetId);
  }

  /** Show a run (its detail is fetched again: it may have finished since). */
  async open(runId: string | null): Promise<void> {
    this.currentId = runId;
    if (this.overlayId === runId) this.setOverlay(null);
    this.detail = runId ? await this.api.getRun({ runId }) : null;
  }

  async reload(): Promise<void> {
    await this.refresh();
    if (this.currentId) this.detail = await this.api.getRun({ runId: this.currentId });
  }

  async setOverlay(runId: string | null): Promise<void> {
    this.overlayId = runId;
    this.overlay = runId ? await this.api.getRun({ runId }) : null;
  }

  async computeQuality(runId: string): Promise<void> {
    const q = this.quality[runId];
    if (q && q.status !== 'error') return;
    this.quality = { ...this.quality, [runId]: { status: 'loading' } };
    try {
      const value = await this.api.quality({ runId });
      this.quality = { ...this.quality, [runId]: { status: 'ready', value } };
    } catch (e) {
      this.quality = { ...this.quality, [runId]: { status: 'error', message: errorText(e) } };
    }
  }

  private queue: string[] = [];
  private draining = false;

  /** Compute these runs' quality one after another (each samples up to 1,000 rows). */
  queueQuality(runIds: readonly string[]): void {
    for (const id of runIds) if (!this.quality[id] && !this.queue.includes(id)) this.queue.push(id);
    if (!this.draining) void this.drain();
  }

  private async drain(): Promise<void> {
    this.draining = true;
    try {
      for (let id = this.queue.shift(); id !== undefined; id = this.queue.shift())
        await this.computeQuality(id);
    } finally {
      this.draining = false;
    }
  }

  async remove(runId: string): Promise<void> {
    await this.api.deleteRun({ runId });
    if (this.overlayId === runId) await this.setOverlay(null);
    if (this.currentId === runId) await this.open(null);
    await this.refresh();
  }

  adopt(runs: RunSummary[]): void {
    this.runs = runs;
    this.quality = {};
    this.overlayId = null;
    this.overlay = null;
  }
}
