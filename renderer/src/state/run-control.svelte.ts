/**
 * Which run the views show, and the training job that makes one: show a run (its codes, then its
 * decoded manifold), start training from the model form (after checking it), restart from a
 * checkpoint, pause, resume and stop, and load the run when its job finishes. A failed start is
 * said where it can be fixed: the field of the model form that the engine named, or the
 * training panel.
 */
import type { ExplorerApi, JobEvent } from '../../../electron/shared/contract';
import type { AnalysisState } from './analysis.svelte';
import type { DataState } from './data.svelte';
import type { ModelForm } from './model-form.svelte';
import type { Notices } from './notices.svelte';
import type { RunsState } from './runs.svelte';
import type { Selection } from './selection.svelte';
import type { TrainingState } from './training.svelte';
import type { UiState } from './ui.svelte';
import { errorText } from './format';

const FIX_FIELDS = 'Fix the highlighted fields in the model panel first.';

export interface RunStores {
  ui: UiState;
  data: DataState;
  model: ModelForm;
  training: TrainingState;
  runs: RunsState;
  analysis: AnalysisState;
  selection: Selection;
  notices: Notices;
}

export class RunControl {
  /** Why the last start failed (shown in the training panel). */
  startError = $state<string | null>(null);

  constructor(
    private readonly api: ExplorerApi,
    private readonly s: RunStores,
  ) {}

  /** The last start's error, until it no longer applies (the form was fixed). */
  readonly startProblem = $derived.by(() =>
    this.startError === FIX_FIELDS && this.s.model.valid ? null : this.startError,
  );

  /** Show a run (null: none) with its decoded manifold. */
  async show(runId: string | null): Promise<void> {
    try {
      await this.s.runs.open(runId);
      this.s.analysis.reset(runId);
      if (runId && this.s.runs.ready) await this.s.analysis.computeSurface(runId);
    } catch (e) {
      this.s.notices.error(e);
    }
  }

  /** A run finished: load its codes and reconstructions, and the decoded manifold. */
  private async finished(runId: string): Promise<void> {
    await this.s.runs.open(runId);
    this.s.analysis.reset(runId);
    await this.s.analysis.computeSurface(runId);
  }

  async onJob(e: JobEvent): Promise<void> {
    const { training, runs, notices } = this.s;
    const done = training.onJob(e);
    try {
      await runs.refresh();
      if (done && runs.currentId === e.runId) await this.finished(e.runId);
    } catch (err) {
      notices.error(err);
    }
    if (e.runId === training.runId && e.state === 'failed')
      notices.notify('error', `Training failed: ${e.message ?? 'no reason given'}`);
  }

  async start(): Promise<void> {
    const { ui, data, model, training, runs, analysis, selection, notices } = this.s;
    const ds = data.summary;
    this.startError = null;
    if (!ds) {
      ui.side = 'data';
      notices.notify('error', 'Open a dataset first: pick a sample or open a file.');
      return;
    }
    if (training.active) return;
    model.serverErrors = {};
    if (!model.valid) {
      ui.side = 'model';
      this.startError = FIX_FIELDS;
      return;
    }
    try {
      ui.side = 'train';
      const runId = await training.start(ds.id, model.input);
      runs.currentId = runId;
      runs.detail = null;
      runs.overlayId = null;
      runs.overlay = null;
      analysis.reset(runId);
      selection.row = null;
      await runs.refresh();
      if (training.state === 'done') await this.finished(runId);
    } catch (e) {
      const msg = errorText(e);
      this.startError = msg;
      if (model.setServerError(msg)) ui.side = 'model';
    }
  }

  async restart(): Promise<void> {
    const { ui, training, runs } = this.s;
    const runId = training.runId ?? runs.currentId;
    const run = runs.runs.find((r) => r.runId === runId);
    if (!runId || !run) return;
    this.startError = null;
    try {
      const { started, detail } = await training.launching(async () => {
        const started = await this.api.restartFromCheckpoint({ runId });
        return { started, detail: await this.api.getRun({ runId }) };
      });
      training.follow(started.jobId, runId, run.datasetId, detail.history);
      runs.currentId = runId;
      runs.detail = null;
      ui.side = 'train';
      await runs.refresh();
    } catch (e) {
      this.startError = errorText(e);
    }
  }

  async pauseOrResume(): Promise<void> {
    const t = this.s.training;
    try {
      if (t.state === 'running') await t.pause();
      else if (t.state === 'paused') await t.resume();
    } catch (e) {
      this.s.notices.error(e);
    }
  }

  async stop(): Promise<void> {
    try {
      await this.s.training.stop();
      await this.s.runs.refresh();
    } catch (e) {
      this.s.notices.error(e);
    }
  }
}
