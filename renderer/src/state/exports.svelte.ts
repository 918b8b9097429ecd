/**
 * Everything the user can save as a file: the 3-D views as PNG (through the handles the panels
 * that mount them register), the charts as SVG (registered the same way; the export dialog lists
 * them), and the run's codes, reconstructions, weights, metrics and history. Files are named after
 * the dataset and the family; each outcome is said in a notice.
 */
import { untrack } from 'svelte';
import type { ExplorerApi } from '../../../electron/shared/contract';
import type { PngOptions, ViewHandle } from '../shared/view-types';
import type { Notices } from './notices.svelte';

export type RunExport = 'codes' | 'reconstructions' | 'weights' | 'metrics' | 'history';
export type RunExportFormat = 'csv' | 'npy' | 'json' | 'bin';

export interface ExportContext {
  /** The shown dataset's name and the shown run's family, for file names. */
  names(): { dataset: string | null; family: string | null };
  /** The shown run, when it has a trained model. */
  readyRun(): string | null;
}

export class Exports {
  /** Handles of the mounted views (not reactive). */
  readonly views: { latent?: ViewHandle; data?: ViewHandle } = {};
  /** The mounted charts' SVG exports, by file name stem. */
  charts = $state.raw<Record<string, { title: string; svg: () => string }>>({});

  constructor(
    private readonly api: ExplorerApi,
    private readonly notices: Notices,
    private readonly ctx: ExportContext,
  ) {}

  private baseName(): string {
    const { dataset, family } = this.ctx.names();
    const ds = dataset ?? 'view';
    return (family ? `${ds}-${family}` : ds).replace(/[^\w.-]+/g, '_');
  }

  async save(suggestedName: string, content: string | Uint8Array): Promise<void> {
    try {
      const saved = await this.api.exportFile({ suggestedName, content });
      this.notices.notify('info', saved.path ? `Saved ${saved.path}` : `Downloaded ${suggestedName}`);
    } catch (e) {
      this.notices.error(e, 'Export failed: ');
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

  async chart(name: string): Promise<void> {
    const c = this.charts[name];
    if (c) await this.save(`${this.baseName()}-${name}.svg`, c.svg());
  }

  async view(which: 'latent' | 'data', opts: PngOptions): Promise<void> {
    const v = this.views[which];
    if (!v) {
      this.notices.notify('error', 'That view is not shown.');
      return;
    }
    try {
      const bytes = await v.exportPng(opts);
      const scale = Math.min(4, Math.max(1, opts.scale ?? 1));
      await this.save(`${this.baseName()}-${which}@${scale}x.png`, bytes);
    } catch (e) {
      this.notices.error(e, 'PNG export failed: ');
    }
  }

  async run(what: RunExport, format: RunExportFormat): Promise<void> {
    const runId = this.ctx.readyRun();
    if (!runId) {
      this.notices.notify('error', 'Train a model first: there is nothing to export yet.');
      return;
    }
    try {
      const r = await this.api.exportRun({ runId, what, format });
      await this.save(r.suggestedName, r.content);
    } catch (e) {
      this.notices.error(e, 'Export failed: ');
    }
  }
}
