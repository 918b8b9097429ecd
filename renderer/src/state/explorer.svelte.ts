/**
 * The explorer's root state: the connection, the panels' states, the selection, and the actions
 * that span panels (train, open, save, export, menu commands). App.svelte creates one and hands
 * it to the panels; the views read the `latent` and `scene` models derived here.
 */
import { untrack } from 'svelte';
import type {
  CommandEvent,
  DatasetSummary,
  ExplorerApi,
  JobEvent,
  SessionInfo,
} from '../../../electron/shared/contract';
import type { DataProjection } from '../scene/projector';
import type { PlaneInput } from '../scene/layers/patches';
import type { PngOptions } from '../scene/export-png';
import { uploadInput } from '../api/files';
import { AnalysisState } from './analysis.svelte';
import { dataScale } from './field';
import { DataState } from './data.svelte';
import { InspectState, RetrievalState } from './inspect.svelte';
import { ModelForm } from './model-form.svelte';
import { RunsState } from './runs.svelte';
import { TrainingState } from './training.svelte';
import { column, gatherRows, hashBuckets, overlayCodes, rowSparsity } from './codes';
import { errorText, fmtInt } from './format';
import type { Action } from './shortcuts';

export type ViewMode = 'latent' | 'data' | 'both';
export type SidePanel = 'data' | 'model' | 'train';
export type RightPanel = 'inspector' | 'compare' | 'retrieval';

export interface Notice {
  id: number;
  /** info goes after a few seconds; warning (what a loader doubted) and error stay until closed. */
  kind: 'info' | 'warning' | 'error';
  text: string;
}

/** What the latent view draws. `rows[i]` is the dataset row of point i (null: point i is row i). */
export interface LatentModel {
  codes: Float32Array;
  k: number;
  rows: Int32Array | null;
  labels: ArrayLike<number> | null;
  labelNames: readonly string[];
  scalars: { name: string; values: Float32Array }[];
  buckets: Int32Array | null;
  /** Said on screen (e.g. what was sampled for speed). */
  note: string | null;
  source: 'snapshot' | 'run' | 'overlay';
  epoch: number | null;
}

/** The 3-D views' export hooks (set by the panels that mount them). */
export interface ViewHandle {
  exportPng(opts?: PngOptions): Promise<Uint8Array>;
  fit(): void;
}

export const ERROR_SCALAR = 'Reconstruction error';
const FIX_FIELDS = 'Fix the highlighted fields in the model panel first.';
export const SPARSITY_SCALAR = 'Sparsity (mean |h|)';
export const TRUTH_SCALAR = 'True coordinate t₁';

export class Explorer {
  constructor(readonly api: ExplorerApi) {
    this.data = new DataState(api);
    this.training = new TrainingState(api);
    this.runs = new RunsState(api);
    this.analysis = new AnalysisState(api);
    this.inspector = new InspectState(api);
    this.retrieval = new RetrievalState(api);
  }

  readonly data: DataState;
  readonly model = new ModelForm();
  readonly training: TrainingState;
  readonly runs: RunsState;
  readonly analysis: AnalysisState;
  readonly inspector: InspectState;
  readonly retrieval: RetrievalState;

  connected = $state(false);
  status = $state('connecting…');
  host = $state<'electron' | 'browser' | null>(null);
  version = $state('');
  theme = $state<'dark' | 'light'>('dark');
  view = $state<ViewMode>('latent');
  side = $state<SidePanel>('data');
  right = $state<RightPanel>('inspector');
  /** The selected dataset row. */
  selected = $state<number | null>(null);
  colorBy = $state('label');
  helpOpen = $state(false);
  exportOpen = $state(false);
  dragging = $state(false);
  notices = $state<Notice[]>([]);
  /** Why the last start failed (shown in the training panel). */
  startError = $state<string | null>(null);
  /** Handles of the mounted views, for exports (not reactive). */
  readonly views: { latent?: ViewHandle; data?: ViewHandle } = {};
  /** The mounted charts' SVG exports, by file name stem (the export dialog lists them). */
  charts = $state.raw<Record<string, { title: string; svg: () => string }>>({});
  private noticeId = 0;

  // ─── Derived models for the views ──────────────────────────────────────────────────────────

  /** The run shown, if it belongs to the dataset shown. */
  readonly detail = $derived.by(() =>
    this.runs.detail && this.runs.detail.summary.datasetId === this.data.summary?.id
      ? this.runs.detail
      : null,
  );
  readonly family = $derived.by(() => this.detail?.summary.family ?? this.runs.current?.family ?? null);
  readonly hashing = $derived.by(() => this.family === 'hashing');
  /** The last start's error, until it no longer applies (the form was fixed). */
  readonly startProblem = $derived.by(() =>
    this.startError === FIX_FIELDS && this.model.valid ? null : this.startError,
  );
  /** Training is running on the shown run. */
  readonly live = $derived.by(
    () => this.training.runId !== null && this.training.runId === this.runs.currentId,
  );

  readonly latent = $derived.by((): LatentModel | null => {
    const ds = this.data.summary;
    const arrays = this.data.arrays;
    if (!ds || !arrays || arrays.data.shape[0] !== ds.rows) return null;
    const n = ds.rows;
    const labels = arrays.labels?.data ?? null;
    const truth = arrays.truth?.coordinates;
    const truthValues = truth ? column(truth.data, truth.shape[1]!, 0) : null;
    const labelNames = ds.labelNames ?? [];
    const t = this.training;
    const det = this.detail;
    if (this.live && t.snapshot && (t.active || !det?.codes)) {
      const s = t.snapshot;
      const k = s.codes.shape[1]!;
      const idx = s.indices?.data ?? null;
      return {
        codes: s.codes.data,
        k,
        rows: idx,
        labels: labels && idx ? gatherRows(labels, idx, 1) : labels,
        labelNames,
        scalars: truthValues
          ? [{ name: TRUTH_SCALAR, values: idx ? gatherRows(truthValues, idx, 1) : truthValues }]
          : [],
        buckets: null,
        note: idx
          ? `Live codes of ${fmtInt(idx.length)} of ${fmtInt(n)} rows, sampled for speed while training; every row is shown when it ends`
          : null,
        source: 'snapshot',
        epoch: s.epoch,
      };
    }
    if (!det?.codes) return null;
    const k = det.codes.shape[1]!;
    const ov = this.runs.overlay;
    if (ov?.codes && ov.summary.datasetId === ds.id && ov.codes.shape[0] === n) {
      const o = overlayCodes(det.codes.data, k, ov.codes.data, ov.codes.shape[1]!, n);
      return {
        codes: o.codes,
        k: o.k,
        rows: null,
        labels: o.labels,
        labelNames: [runName(det.summary), runName(ov.summary)],
        scalars: [],
        buckets: null,
        note:
          k !== ov.codes.shape[1]
            ? `Overlay: k = ${k} and k = ${ov.codes.shape[1]} padded with zeros to ${o.k} dimensions`
            : null,
        source: 'overlay',
        epoch: null,
      };
    }
    const scalars: LatentModel['scalars'] = [];
    if (det.errors) scalars.push({ name: ERROR_SCALAR, values: det.errors.data });
    if (det.summary.family === 'sparse' || det.summary.family === 'psd')
      scalars.push({ name: SPARSITY_SCALAR, values: rowSparsity(det.codes.data, n, k) });
    if (truthValues) scalars.push({ name: TRUTH_SCALAR, values: truthValues });
    return {
      codes: det.codes.data,
      k,
      rows: null,
      labels,
      labelNames,
      scalars,
      buckets: det.summary.family === 'hashing' ? hashBuckets(det.codes.data, n, k) : null,
      note: null,
      source: 'run',
      epoch: null,
    };
  });

  /** The data's projection to 3-D (d > 3) and the PCA plane. */
  readonly projection = $derived.by((): DataProjection | null => {
    const p = this.data.pca;
    if (!p || this.data.d <= 3) return null;
    return { mean: p.mean.data, components: p.components.data };
  });

  readonly pcaPlane = $derived.by((): PlaneInput | null => {
    const p = this.data.pca;
    const d = this.data.d;
    if (!p || d < 2) return null;
    const m = d === 2 ? 1 : 2;
    return {
      mean: p.mean.data,
      axes: p.components.data.subarray(0, m * d),
      extents: Array.from(p.explainedVariance.data.subarray(0, m), (v) => 2 * Math.sqrt(Math.max(v, 0))),
    };
  });

  // ─── Connection and events ─────────────────────────────────────────────────────────────────

  async connect(): Promise<() => void> {
    const api = this.api;
    const offs = [
      api.onProgress((e) => this.training.onProgress(e)),
      api.onSnapshot((e) => this.training.onSnapshot(e)),
      api.onJob((e) => void this.onJob(e)),
      api.onCommand((e) => void this.command(e.name)),
      api.onDatasetOpened((e) => void this.adoptDataset(e.summary)),
      api.onSessionOpened((e) => void this.applySession(e.session)),
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
    this.notify(
      'error',
      'The connection to the engine closed. Start `manifold-explorer serve` again and reload the page.',
    );
  }

  notify(kind: Notice['kind'], text: string): void {
    const id = ++this.noticeId;
    this.notices = [...this.notices.slice(-2), { id, kind, text }];
    if (kind === 'info') setTimeout(() => this.dismiss(id), 4000);
  }

  dismiss(id: number): void {
    this.notices = this.notices.filter((n) => n.id !== id);
  }

  private async onJob(e: JobEvent): Promise<void> {
    const done = this.training.onJob(e);
    try {
      await this.runs.refresh();
      if (done && this.runs.currentId === e.runId) await this.finished(e.runId);
    } catch (err) {
      this.notify('error', errorText(err));
    }
    if (e.runId === this.training.runId && e.state === 'failed')
      this.notify('error', `Training failed: ${e.message ?? 'no reason given'}`);
  }

  /** A run finished: load its codes and reconstructions, and the decoded manifold. */
  private async finished(runId: string): Promise<void> {
    await this.runs.open(runId);
    this.analysis.reset(runId);
    await this.analysis.computeSurface(runId);
  }

  // ─── Data ──────────────────────────────────────────────────────────────────────────────────

  /** A dataset became current: forget the run and selection of the previous one. */
  private datasetChanged(summary: DatasetSummary): void {
    const runs = this.runs.forDataset(summary.id).filter((r) => r.state === 'done');
    this.selected = null;
    this.colorBy = summary.hasLabels ? 'label' : summary.truth.coordinates ? TRUTH_SCALAR : 'label';
    // A job still running on another dataset stays followed (the training panel names its dataset).
    if (this.training.datasetId !== summary.id && !this.training.active) this.training.clear();
    const last = runs.at(-1);
    void this.showRun(last ? last.runId : null);
  }

  async showRun(runId: string | null): Promise<void> {
    try {
      await this.runs.open(runId);
      this.analysis.reset(runId);
      if (runId && this.runs.ready) await this.analysis.computeSurface(runId);
    } catch (e) {
      this.notify('error', errorText(e));
    }
  }

  async openSample(): Promise<void> {
    const s = await this.data.openSample();
    if (s) this.datasetChanged(s);
  }

  async openDatasetDialog(): Promise<void> {
    const s = await this.data.load('the file', () => this.api.openDatasetDialog({}));
    if (s) this.loadedFile(s);
  }

  /** A file loaded: what the loader doubted (a decimal comma, invalid UTF-8…) is shown, then the views follow. */
  private loadedFile(s: DatasetSummary): void {
    for (const w of s.warnings ?? []) this.notify('warning', `${s.name}: ${w}`);
    this.datasetChanged(s);
  }

  /** Files dropped on the window (or picked): a session, or a dataset with its companions. */
  async openFiles(files: readonly File[]): Promise<void> {
    if (files.length === 0) return;
    const session = files.find((f) => /\.mexsession$/i.test(f.name));
    if (session) {
      try {
        const info = await this.api.importSession({
          fileName: session.name,
          bytes: new Uint8Array(await session.arrayBuffer()),
        });
        await this.applySession(info);
      } catch (e) {
        this.notify('error', errorText(e));
      }
      return;
    }
    this.side = 'data';
    const name = files.map((f) => f.name).join(' + ');
    const s = await this.data.load(name, async () => this.api.uploadDataset(await uploadInput(files)));
    if (s) this.loadedFile(s);
  }

  async selectDataset(id: string): Promise<void> {
    try {
      await this.data.select(id);
      if (this.data.summary) this.datasetChanged(this.data.summary);
    } catch (e) {
      this.notify('error', errorText(e));
    }
  }

  private async adoptDataset(summary: DatasetSummary): Promise<void> {
    const s = await this.data.load(summary.name, async () => summary);
    if (s) this.datasetChanged(s);
  }

  // ─── Training ──────────────────────────────────────────────────────────────────────────────

  async startTraining(): Promise<void> {
    const ds = this.data.summary;
    this.startError = null;
    if (!ds) {
      this.side = 'data';
      this.notify('error', 'Open a dataset first: pick a sample or open a file.');
      return;
    }
    if (this.training.active) return;
    this.model.serverErrors = {};
    if (!this.model.valid) {
      this.side = 'model';
      this.startError = FIX_FIELDS;
      return;
    }
    try {
      this.side = 'train';
      const runId = await this.training.start(ds.id, this.model.input);
      this.runs.currentId = runId;
      this.runs.detail = null;
      this.runs.overlayId = null;
      this.runs.overlay = null;
      this.analysis.reset(runId);
      this.selected = null;
      await this.runs.refresh();
      if (this.training.state === 'done') await this.finished(runId);
    } catch (e) {
      const msg = errorText(e);
      this.startError = msg;
      if (this.model.setServerError(msg)) this.side = 'model';
    }
  }

  async restartFromCheckpoint(): Promise<void> {
    const runId = this.training.runId ?? this.runs.currentId;
    const run = this.runs.runs.find((r) => r.runId === runId);
    if (!runId || !run) return;
    this.startError = null;
    try {
      const { started, detail } = await this.training.launching(async () => {
        const started = await this.api.restartFromCheckpoint({ runId });
        return { started, detail: await this.api.getRun({ runId }) };
      });
      this.training.follow(started.jobId, runId, run.datasetId, detail.history);
      this.runs.currentId = runId;
      this.runs.detail = null;
      this.side = 'train';
      await this.runs.refresh();
    } catch (e) {
      this.startError = errorText(e);
    }
  }

  async pauseOrResume(): Promise<void> {
    const t = this.training;
    try {
      if (t.state === 'running') await t.pause();
      else if (t.state === 'paused') await t.resume();
    } catch (e) {
      this.notify('error', errorText(e));
    }
  }

  async stopTraining(): Promise<void> {
    try {
      await this.training.stop();
      await this.runs.refresh();
    } catch (e) {
      this.notify('error', errorText(e));
    }
  }

  private colorBeforeOverlay: string | null = null;

  /** Overlay a second run's codes (coloured by run), or stop overlaying. */
  async overlay(runId: string | null): Promise<void> {
    try {
      await this.runs.setOverlay(runId);
      if (runId) {
        this.colorBeforeOverlay ??= this.colorBy;
        this.colorBy = 'label';
      } else if (this.colorBeforeOverlay !== null) {
        this.colorBy = this.colorBeforeOverlay;
        this.colorBeforeOverlay = null;
      }
    } catch (e) {
      this.notify('error', errorText(e));
    }
  }

  // ─── Selection and analysis ────────────────────────────────────────────────────────────────

  select(row: number | null): void {
    this.selected = row;
  }

  step(delta: number): void {
    const n = this.data.rows;
    if (n === 0) return;
    this.selected = this.selected === null ? (delta > 0 ? 0 : n - 1) : (this.selected + delta + n) % n;
  }

  /** Compute (first time) or toggle a data-space layer. */
  async toggleAnalysis(what: 'tangents' | 'field' | 'trajectories', recompute = false): Promise<void> {
    const a = this.analysis;
    const runId = this.runs.currentId;
    if (!runId || !this.runs.ready) {
      this.notify('error', 'Train a model (or pick a finished run) first.');
      return;
    }
    if (this.view === 'latent') this.view = 'data';
    if (a[what] && !recompute) {
      a.layers = { ...a.layers, [what]: !a.layers[what] };
      return;
    }
    const rows = this.data.rows;
    if (what === 'tangents') await a.computeTangents(runId, rows, this.selected);
    else if (what === 'field') {
      if (this.data.data) await a.computeField(runId, this.data.data, this.data.d, this.projection);
    } else
      await a.computeTrajectories(runId, rows, this.selected, dataScale(this.data.summary?.stats.std ?? []));
  }

  // ─── Exports and sessions ──────────────────────────────────────────────────────────────────

  private baseName(): string {
    const ds = this.data.summary?.name ?? 'view';
    const fam = this.detail?.summary.family;
    return (fam ? `${ds}-${fam}` : ds).replace(/[^\w.-]+/g, '_');
  }

  async saveFile(suggestedName: string, content: string | Uint8Array): Promise<void> {
    try {
      const saved = await this.api.exportFile({ suggestedName, content });
      this.notify('info', saved.path ? `Saved ${saved.path}` : `Downloaded ${suggestedName}`);
    } catch (e) {
      this.notify('error', `Export failed: ${errorText(e)}`);
    }
  }

  /** A panel's chart can be exported (returns the function that withdraws it). */
  registerChart(name: string, title: string, svg: () => string): () => void {
    // Called from effects: read without subscribing, or the write would re-run the effect.
    this.charts = { ...untrack(() => this.charts), [name]: { title, svg } };
    return () => {
      const { [name]: _gone, ...rest } = untrack(() => this.charts);
      this.charts = rest;
    };
  }

  async exportChart(name: string): Promise<void> {
    const c = this.charts[name];
    if (c) await this.saveFile(`${this.baseName()}-${name}.svg`, c.svg());
  }

  async exportView(which: 'latent' | 'data', opts: PngOptions): Promise<void> {
    const v = this.views[which];
    if (!v) {
      this.notify('error', 'That view is not shown.');
      return;
    }
    try {
      const bytes = await v.exportPng(opts);
      const scale = Math.min(4, Math.max(1, opts.scale ?? 1));
      await this.saveFile(`${this.baseName()}-${which}@${scale}x.png`, bytes);
    } catch (e) {
      this.notify('error', `PNG export failed: ${errorText(e)}`);
    }
  }

  async exportRun(
    what: 'codes' | 'reconstructions' | 'weights' | 'metrics' | 'history',
    format: 'csv' | 'npy' | 'json' | 'bin',
  ): Promise<void> {
    const runId = this.runs.currentId;
    if (!runId || !this.runs.ready) {
      this.notify('error', 'Train a model first: there is nothing to export yet.');
      return;
    }
    try {
      const r = await this.api.exportRun({ runId, what, format });
      await this.saveFile(r.suggestedName, r.content);
    } catch (e) {
      this.notify('error', `Export failed: ${errorText(e)}`);
    }
  }

  viewState(): Record<string, unknown> {
    return {
      theme: this.theme,
      view: this.view,
      datasetId: this.data.summary?.id ?? null,
      runId: this.runs.currentId,
      selected: this.selected,
      colorBy: this.colorBy,
      layers: { ...this.analysis.layers },
    };
  }

  async saveSession(saveAs = false): Promise<void> {
    try {
      const saved = await this.api.saveSession({
        viewState: this.viewState(),
        ...(saveAs ? { saveAs } : {}),
      });
      if (saved.bytes > 0)
        this.notify('info', saved.path ? `Session saved to ${saved.path}` : 'Session downloaded');
    } catch (e) {
      this.notify('error', `The session was not saved: ${errorText(e)}`);
    }
  }

  async openSession(): Promise<void> {
    try {
      const info = await this.api.openSession({});
      if (info) await this.applySession(info);
    } catch (e) {
      this.notify('error', errorText(e));
    }
  }

  async applySession(info: SessionInfo): Promise<void> {
    const vs = info.viewState;
    this.training.clear();
    this.data.adopt(info.datasets);
    this.runs.adopt(info.runs);
    if (vs.theme === 'light' || vs.theme === 'dark') this.theme = vs.theme;
    if (vs.view === 'latent' || vs.view === 'data' || vs.view === 'both') this.view = vs.view;
    const ds = info.datasets.find((d) => d.id === vs.datasetId) ?? info.datasets.at(-1);
    if (!ds) return;
    await this.data.show(ds);
    const runs = info.runs.filter((r) => r.datasetId === ds.id);
    const run = runs.find((r) => r.runId === vs.runId) ?? runs.filter((r) => r.state === 'done').at(-1);
    await this.showRun(run?.runId ?? null);
    if (typeof vs.colorBy === 'string') this.colorBy = vs.colorBy;
    if (typeof vs.selected === 'number' && vs.selected < ds.rows) this.selected = vs.selected;
    if (vs.layers && typeof vs.layers === 'object')
      this.analysis.layers = { ...this.analysis.layers, ...(vs.layers as Record<string, boolean>) };
    this.notify(
      'info',
      `Opened a session with ${info.datasets.length} dataset(s) and ${info.runs.length} run(s)`,
    );
  }

  // ─── Commands (menus) and shortcuts ────────────────────────────────────────────────────────

  async command(name: CommandEvent['name']): Promise<void> {
    switch (name) {
      case 'open-dataset':
        return this.openDatasetDialog();
      case 'open-session':
        return this.openSession();
      case 'save-session':
        return this.saveSession(false);
      case 'save-session-as':
        return this.saveSession(true);
      case 'export-png':
        return this.exportView(this.view === 'data' ? 'data' : 'latent', { scale: 2 });
      case 'export-codes':
        return this.exportRun('codes', 'csv');
      case 'toggle-theme':
        this.theme = this.theme === 'dark' ? 'light' : 'dark';
        return;
      case 'start-training':
        return this.startTraining();
      case 'stop-training':
        return this.stopTraining();
    }
  }

  async act(action: Action): Promise<void> {
    switch (action) {
      case 'help':
        this.helpOpen = !this.helpOpen;
        return;
      case 'open-dataset':
        return this.openDatasetDialog();
      case 'start-training':
        return this.startTraining();
      case 'pause-resume':
        return this.pauseOrResume();
      case 'stop-training':
        return this.stopTraining();
      case 'view-latent':
        this.view = 'latent';
        return;
      case 'view-data':
        this.view = 'data';
        return;
      case 'view-both':
        this.view = 'both';
        return;
      case 'toggle-theme':
        this.theme = this.theme === 'dark' ? 'light' : 'dark';
        return;
      case 'export':
        this.exportOpen = true;
        return;
      case 'save-session':
        return this.saveSession(false);
      case 'open-session':
        return this.openSession();
      case 'next-point':
        return this.step(1);
      case 'previous-point':
        return this.step(-1);
      case 'clear-selection':
        if (this.helpOpen) this.helpOpen = false;
        else if (this.exportOpen) this.exportOpen = false;
        else this.selected = null;
        return;
      case 'tangents':
      case 'field':
      case 'trajectories':
        return this.toggleAnalysis(action);
    }
  }
}

/** "contractive · k = 2 · run-1a2b" */
export function runName(r: { family: string; runId: string; config: { latent: number } }): string {
  return `${r.family} k=${r.config.latent} (${r.runId.replace(/^run-/, '')})`;
}
