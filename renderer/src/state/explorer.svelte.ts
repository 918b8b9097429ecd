/**
 * The explorer's root: it owns the connection and composes the stores, each with one job — the
 * window's layout (ui), the datasets (data), the model form (model), the training job (training),
 * the runs (runs) and which one is shown and trained (jobs), the data-space analysis (analysis),
 * the selection (selection) with the inspector and retrieval, the exports (exports), sessions
 * (session) and the notices. It derives what the views draw (view-models.ts) and carries the few
 * flows that span stores: a new dataset resets the selection and shows its last run; overlaying
 * a run recolours the codes; an analysis layer is computed the first time and toggled after.
 * App.svelte creates one and hands it to the panels.
 */
import type { ExplorerApi } from '../../../electron/shared/contract';
import { AnalysisState } from './analysis.svelte';
import { runAction, runCommand } from './commands';
import { DataState } from './data.svelte';
import { Exports } from './exports.svelte';
import { dataScale } from './field';
import { errorText } from './format';
import { InspectState, RetrievalState } from './inspect.svelte';
import { ModelForm } from './model-form.svelte';
import { Notices } from './notices.svelte';
import { RunControl } from './run-control.svelte';
import { RunsState } from './runs.svelte';
import { Selection } from './selection.svelte';
import { Sessions } from './session.svelte';
import type { Action } from './shortcuts';
import { TrainingState } from './training.svelte';
import { UiState } from './ui.svelte';
import { dataProjection, latentModel, pcaPlane } from './view-models';
import type { DatasetSummary } from '../../../electron/shared/contract';

export class Explorer {
  readonly ui = new UiState();
  readonly notices = new Notices();
  readonly selection = new Selection();
  readonly model = new ModelForm();
  readonly data: DataState;
  readonly training: TrainingState;
  readonly runs: RunsState;
  readonly analysis: AnalysisState;
  readonly inspector: InspectState;
  readonly retrieval: RetrievalState;
  readonly jobs: RunControl;
  readonly exports: Exports;
  readonly session: Sessions;

  connected = $state(false);
  status = $state('connecting…');
  host = $state<'electron' | 'browser' | null>(null);
  version = $state('');

  constructor(readonly api: ExplorerApi) {
    this.data = new DataState(api, {
      changed: (s, fresh) => {
        // What the loader read but doubts is said once, when the dataset is opened.
        if (fresh) for (const w of s.warnings ?? []) this.notices.notify('warning', `${s.name}: ${w}`);
        this.datasetChanged(s);
      },
      failed: (e) => this.notices.error(e),
    });
    this.training = new TrainingState(api);
    this.runs = new RunsState(api);
    this.analysis = new AnalysisState(api);
    this.inspector = new InspectState(api);
    this.retrieval = new RetrievalState(api);
    this.jobs = new RunControl(api, this);
    this.exports = new Exports(api, this.notices, {
      names: () => ({
        dataset: this.data.summary?.name ?? null,
        family: this.detail?.summary.family ?? null,
      }),
      readyRun: () => (this.runs.ready ? this.runs.currentId : null),
    });
    this.session = new Sessions(api, this);
  }

  // ─── What the views draw ───────────────────────────────────────────────────────────────────

  /** The run shown, if it belongs to the dataset shown. */
  readonly detail = $derived.by(() =>
    this.runs.detail && this.runs.detail.summary.datasetId === this.data.summary?.id
      ? this.runs.detail
      : null,
  );
  readonly family = $derived.by(() => this.detail?.summary.family ?? this.runs.current?.family ?? null);
  readonly hashing = $derived.by(() => this.family === 'hashing');
  /** Training is running on the shown run. */
  readonly live = $derived.by(
    () => this.training.runId !== null && this.training.runId === this.runs.currentId,
  );
  readonly latent = $derived.by(() => {
    const t = this.training;
    // The live codes while the shown run trains (and after, until its own codes are loaded).
    const snapshot = this.live && t.snapshot && (t.active || !this.detail?.codes) ? t.snapshot : null;
    return latentModel({
      summary: this.data.summary,
      arrays: this.data.arrays,
      detail: this.detail,
      overlay: this.runs.overlay,
      snapshot,
    });
  });
  readonly projection = $derived.by(() => dataProjection(this.data.pca, this.data.d));
  readonly pcaPlane = $derived.by(() => pcaPlane(this.data.pca, this.data.d));

  // ─── The model panel's calls (panels/ModelPanel.svelte) and the tests' reads ───────────────

  /** The selected dataset row (selection.row). */
  get selected(): number | null {
    return this.selection.row;
  }
  set selected(row: number | null) {
    this.selection.row = row;
  }
  select(row: number | null): void {
    this.selection.select(row);
  }
  get startProblem(): string | null {
    return this.jobs.startProblem;
  }
  startTraining(): Promise<void> {
    return this.jobs.start();
  }

  // ─── Connection and events ─────────────────────────────────────────────────────────────────

  async connect(): Promise<() => void> {
    const api = this.api;
    const offs = [
      api.onProgress((e) => this.training.onProgress(e)),
      api.onSnapshot((e) => this.training.onSnapshot(e)),
      api.onJob((e) => void this.jobs.onJob(e)),
      api.onCommand((e) => void this.command(e.name)),
      api.onDatasetOpened((e) => void this.data.load(e.summary.name, async () => e.summary)),
      api.onSessionOpened((e) => void this.session.apply(e.session)),
    ];
    try {
      const info = await api.appInfo({});
      this.host = info.host;
      this.version = info.version;
      await this.data.loadSamples();
      await this.runs.refresh();
      this.connected = true;
      this.status = `connected (${info.host})`;
    } catch (e) {
      this.status = `error: ${errorText(e)}`;
    }
    return () => offs.forEach((off) => off());
  }

  /** The engine went away (browser mode: the server stopped). */
  disconnected(): void {
    this.connected = false;
    this.status = 'engine disconnected';
    this.notices.notify(
      'error',
      'The connection to the engine closed. Start `manifold-explorer serve` again and reload the page.',
    );
  }

  command(name: Parameters<typeof runCommand>[1]): Promise<void> {
    return runCommand(this, name);
  }

  act(action: Action): Promise<void> {
    return runAction(this, action);
  }

  // ─── Flows across stores ───────────────────────────────────────────────────────────────────

  /** A dataset became current: forget the run and selection of the previous one. */
  private datasetChanged(summary: DatasetSummary): void {
    const done = this.runs.forDataset(summary.id).filter((r) => r.state === 'done');
    this.selection.datasetShown(summary);
    // A job still running on another dataset stays followed (the training panel names its dataset).
    if (this.training.datasetId !== summary.id && !this.training.active) this.training.clear();
    void this.showRun(done.at(-1)?.runId ?? null);
  }

  showRun(runId: string | null): Promise<void> {
    return this.jobs.show(runId);
  }

  /** Files dropped on the window (or picked): a session, or a dataset with its companions. */
  async openFiles(files: readonly File[]): Promise<void> {
    if (files.length === 0) return;
    const session = files.find((f) => /\.mexsession$/i.test(f.name));
    if (session) return this.session.import(session);
    this.ui.side = 'data';
    await this.data.upload(files);
  }

  /** Overlay a second run's codes (coloured by run), or stop overlaying. */
  async overlay(runId: string | null): Promise<void> {
    try {
      await this.runs.setOverlay(runId);
      this.selection.overlaid(runId !== null);
    } catch (e) {
      this.notices.error(e);
    }
  }

  /** Compute (first time) or toggle a data-space layer. */
  async toggleAnalysis(what: 'tangents' | 'field' | 'trajectories', recompute = false): Promise<void> {
    const a = this.analysis;
    const runId = this.runs.currentId;
    if (!runId || !this.runs.ready) {
      this.notices.notify('error', 'Train a model (or pick a finished run) first.');
      return;
    }
    if (this.ui.view === 'latent') this.ui.view = 'data';
    if (a[what] && !recompute) {
      a.layers = { ...a.layers, [what]: !a.layers[what] };
      return;
    }
    const rows = this.data.rows;
    const selected = this.selection.row;
    if (what === 'tangents') await a.computeTangents(runId, rows, selected);
    else if (what === 'field') {
      if (this.data.data) await a.computeField(runId, this.data.data, this.data.d, this.projection);
    } else await a.computeTrajectories(runId, rows, selected, dataScale(this.data.summary?.stats.std ?? []));
  }
}
