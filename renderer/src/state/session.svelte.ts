/**
 * Sessions: the engine saves the datasets and runs (with their weights) in one file; this store
 * adds the view state (theme, views, shown dataset and run, selection, colouring, layers), and on
 * opening one — from the menu, the dialog or a dropped .mexsession file — puts it all back.
 */
import type { ExplorerApi, SessionInfo } from '../../../electron/shared/contract';
import type { AnalysisState } from './analysis.svelte';
import type { DataState } from './data.svelte';
import type { Notices } from './notices.svelte';
import type { RunsState } from './runs.svelte';
import type { Selection } from './selection.svelte';
import type { TrainingState } from './training.svelte';
import type { UiState } from './ui.svelte';

/** The stores a session reads and restores, and how to show a run (Explorer.showRun). */
export interface SessionStores {
  ui: UiState;
  data: DataState;
  runs: RunsState;
  training: TrainingState;
  analysis: AnalysisState;
  selection: Selection;
  notices: Notices;
  showRun(runId: string | null): Promise<void>;
}

export class Sessions {
  constructor(
    private readonly api: ExplorerApi,
    private readonly s: SessionStores,
  ) {}

  viewState(): Record<string, unknown> {
    const { ui, data, runs, selection, analysis } = this.s;
    return {
      theme: ui.theme,
      view: ui.view,
      datasetId: data.summary?.id ?? null,
      runId: runs.currentId,
      selected: selection.row,
      colorBy: selection.colorBy,
      layers: { ...analysis.layers },
    };
  }

  async save(saveAs = false): Promise<void> {
    try {
      const saved = await this.api.saveSession({
        viewState: this.viewState(),
        ...(saveAs ? { saveAs } : {}),
      });
      if (saved.bytes > 0)
        this.s.notices.notify('info', saved.path ? `Session saved to ${saved.path}` : 'Session downloaded');
    } catch (e) {
      this.s.notices.error(e, 'The session was not saved: ');
    }
  }

  async open(): Promise<void> {
    try {
      const info = await this.api.openSession({});
      if (info) await this.apply(info);
    } catch (e) {
      this.s.notices.error(e);
    }
  }

  /** A session file dropped on the window or picked. */
  async import(file: File): Promise<void> {
    try {
      const info = await this.api.importSession({
        fileName: file.name,
        bytes: new Uint8Array(await file.arrayBuffer()),
      });
      await this.apply(info);
    } catch (e) {
      this.s.notices.error(e);
    }
  }

  async apply(info: SessionInfo): Promise<void> {
    const { ui, data, runs, training, analysis, selection } = this.s;
    const vs = info.viewState;
    training.clear();
    data.adopt(info.datasets);
    runs.adopt(info.runs);
    if (vs.theme === 'light' || vs.theme === 'dark') ui.theme = vs.theme;
    if (vs.view === 'latent' || vs.view === 'data' || vs.view === 'both') ui.view = vs.view;
    const ds = info.datasets.find((d) => d.id === vs.datasetId) ?? info.datasets.at(-1);
    if (!ds) return;
    await data.show(ds);
    const here = info.runs.filter((r) => r.datasetId === ds.id);
    const run = here.find((r) => r.runId === vs.runId) ?? here.filter((r) => r.state === 'done').at(-1);
    await this.s.showRun(run?.runId ?? null);
    if (typeof vs.colorBy === 'string') selection.colorBy = vs.colorBy;
    if (typeof vs.selected === 'number' && vs.selected < ds.rows) selection.row = vs.selected;
    if (vs.layers && typeof vs.layers === 'object')
      analysis.layers = { ...analysis.layers, ...(vs.layers as Record<string, boolean>) };
    this.s.notices.notify(
      'info',
      `Opened a session with ${info.datasets.length} dataset(s) and ${info.runs.length} run(s)`,
    );
  }
}
