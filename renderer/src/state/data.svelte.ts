/**
 * The datasets: the built-in samples, the session's datasets, the current one (its summary for the
 * panel and its arrays and PCA for the views), opening one (a sample, the file dialog, dropped
 * files, one the desktop menu opened), and the last loading error. A failed load leaves the current
 * dataset exactly as it was: the error is shown in place, nothing is lost. A dataset the user
 * opens or picks is announced (`changed`), so the rest of the explorer can follow it.
 */
import type {
  CallResult,
  DatasetArrays,
  DatasetSummary,
  ExplorerApi,
  SampleInfoDto,
} from '../../../electron/shared/contract';
import { uploadInput } from '../api/files';
import { errorText } from './format';

export type PcaResult = CallResult<'pca'>;

export interface DataEvents {
  /** The user opened (`fresh`) or picked this dataset (a session's restore does not call it). */
  changed(summary: DatasetSummary, fresh: boolean): void;
  /** Picking a known dataset failed. */
  failed(e: unknown): void;
}

export class DataState {
  samples = $state.raw<SampleInfoDto[]>([]);
  /** The sample form. */
  sampleName = $state('swiss-roll');
  sampleRows = $state<number | null>(2000);
  sampleNoise = $state<number | null>(null);
  sampleSeed = $state<number | null>(0);

  datasets = $state.raw<DatasetSummary[]>([]);
  summary = $state.raw<DatasetSummary | null>(null);
  arrays = $state.raw<DatasetArrays | null>(null);
  /** The data's top principal components (3, or d when d < 3): projection for d > 3, the PCA plane. */
  pca = $state.raw<PcaResult | null>(null);
  /** What is loading now ("swiss-roll", a file name), or null. */
  loading = $state<string | null>(null);
  /** The last load's error, shown in the data panel until the next successful load. */
  error = $state<{ source: string; message: string } | null>(null);

  constructor(
    private readonly api: ExplorerApi,
    private readonly events: DataEvents,
  ) {}

  readonly sample = $derived(this.samples.find((s) => s.name === this.sampleName) ?? null);
  readonly d = $derived(this.summary?.dims ?? 0);
  readonly rows = $derived(this.summary?.rows ?? 0);
  readonly data = $derived(this.arrays?.data.data ?? null);
  readonly labels = $derived(this.arrays?.labels?.data ?? null);
  readonly image = $derived(this.summary?.image ?? null);

  async loadSamples(): Promise<void> {
    this.samples = await this.api.listSamples({});
    const known = await this.api.listDatasets({});
    this.datasets = known;
  }

  pickSample(name: string): void {
    this.sampleName = name;
    const s = this.samples.find((x) => x.name === name);
    if (s) this.sampleRows = Math.min(s.defaultRows, 5000);
    this.sampleNoise = null;
  }

  /** Run a load; on success make it current, on failure keep everything and show why. */
  async load(source: string, fn: () => Promise<DatasetSummary | null>): Promise<DatasetSummary | null> {
    this.loading = source;
    try {
      const summary = await fn();
      if (!summary) return null;
      this.error = null;
      await this.show(summary);
      this.events.changed(summary, true);
      return summary;
    } catch (e) {
      this.error = { source, message: errorText(e) };
      return null;
    } finally {
      this.loading = null;
    }
  }

  openSample(): Promise<DatasetSummary | null> {
    const num = (v: number | null) => (v === null || Number.isNaN(v) ? undefined : v);
    const rows = num(this.sampleRows);
    const noise = num(this.sampleNoise);
    const seed = num(this.sampleSeed);
    return this.load(this.sample?.title ?? this.sampleName, () =>
      this.api.openSample({
        name: this.sampleName,
        ...(rows !== undefined ? { rows } : {}),
        ...(noise !== undefined ? { noise } : {}),
        ...(seed !== undefined ? { seed } : {}),
      }),
    );
  }

  openDialog(): Promise<DatasetSummary | null> {
    return this.load('the file', () => this.api.openDatasetDialog({}));
  }

  /** A dataset and its companions (a labels file, an IDX pair) dropped on the window or picked. */
  upload(files: readonly File[]): Promise<DatasetSummary | null> {
    const name = files.map((f) => f.name).join(' + ');
    return this.load(name, async () => this.api.uploadDataset(await uploadInput(files)));
  }

  /** Make a loaded dataset current: fetch its arrays (and its PCA) for the views. */
  async show(summary: DatasetSummary): Promise<void> {
    const arrays = await this.api.getDataset({ datasetId: summary.id });
    const pca =
      summary.dims >= 2
        ? await this.api.pca({ datasetId: summary.id, components: Math.min(3, summary.dims) })
        : null;
    this.summary = summary;
    this.arrays = arrays;
    this.pca = pca;
    if (!this.datasets.some((d) => d.id === summary.id)) this.datasets = [...this.datasets, summary];
  }

  /** Pick one of the session's datasets. */
  async select(id: string): Promise<void> {
    const s = this.datasets.find((d) => d.id === id);
    try {
      if (s && s.id !== this.summary?.id) await this.show(s);
      if (this.summary) this.events.changed(this.summary, false);
    } catch (e) {
      this.events.failed(e);
    }
  }

  /** A session was opened: its datasets replace the list. */
  adopt(datasets: DatasetSummary[]): void {
    this.datasets = datasets;
  }
}
