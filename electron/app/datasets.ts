/**
 * The datasets of a session: loaded once (files, uploads, samples), kept with a summary for the
 * data panel (statistics, value range, a preview) and served as typed arrays to the views. A failed
 * load throws the loader's UserError and leaves everything already loaded untouched.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join, sep } from 'node:path';
import { randomUUID } from 'node:crypto';
import { loadDataset } from '../data/load';
import type { LoadOptions } from '../data/load';
import type { Dataset } from '../shared/dataset';
import type { DatasetArrays, DatasetSummary } from '../shared/contract';
import { UserError } from '../shared/errors';

export interface DatasetRecord {
  id: string;
  dataset: Dataset;
  summary: DatasetSummary;
  /**
   * Where it came from, for sessions: a path the user picked (only openFile and a session restored
   * through session-datasets.ts make file records), a sample spec, or an upload (its data are
   * embedded in the session).
   */
  origin:
    | { kind: 'file'; path: string; options: LoadOptions }
    | { kind: 'sample'; spec: string }
    | { kind: 'upload'; fileName: string; options: LoadOptions };
}

/** Temporary folders of uploads: tmpdir()/manifold-upload-XXXXXX. */
export const UPLOAD_PREFIX = 'manifold-upload-';

/** The name an uploaded file gets in its temporary folder: no path, no odd characters. */
export function uploadName(fileName: string): string {
  return basename(fileName).replace(/[^\w.-]+/g, '_') || 'upload';
}

const PREVIEW_ROWS = 20;
const PREVIEW_COLS = 50;

export function summarize(id: string, ds: Dataset): DatasetSummary {
  const { rows, dims, data } = ds;
  const mean = new Float64Array(dims),
    sq = new Float64Array(dims),
    min = new Float64Array(dims).fill(Infinity),
    max = new Float64Array(dims).fill(-Infinity);
  for (let r = 0; r < rows; r++)
    for (let c = 0; c < dims; c++) {
      const v = data[r * dims + c]!;
      mean[c]! += v;
      sq[c]! += v * v;
      if (v < min[c]!) min[c] = v;
      if (v > max[c]!) max[c] = v;
    }
  const std = new Float64Array(dims);
  for (let c = 0; c < dims; c++) {
    mean[c]! /= Math.max(1, rows);
    std[c] = Math.sqrt(Math.max(0, sq[c]! / Math.max(1, rows) - mean[c]! ** 2));
  }
  const preview: number[][] = [];
  for (let r = 0; r < Math.min(rows, PREVIEW_ROWS); r++)
    preview.push(Array.from(data.subarray(r * dims, r * dims + Math.min(dims, PREVIEW_COLS))));
  const round = (a: Float64Array) => Array.from(a, (v) => (Number.isFinite(v) ? Math.fround(v) : 0));
  return {
    id,
    name: ds.name,
    source: ds.source,
    sha256: ds.sha256,
    rows,
    dims,
    ...(ds.featureNames ? { featureNames: ds.featureNames } : {}),
    ...(ds.labelNames ? { labelNames: ds.labelNames } : {}),
    hasLabels: ds.labels !== undefined,
    ...(ds.image ? { image: ds.image } : {}),
    ...(ds.categorical ? { categorical: ds.categorical } : {}),
    truth: { coordinates: !!ds.truth?.coordinates, tangents: !!ds.truth?.tangents, score: !!ds.truth?.score },
    stats: { mean: round(mean), std: round(std), min: round(min), max: round(max) },
    // A loop, not Math.min(...min): spreading more than ≈100,000 columns overflows the stack.
    range: {
      min: rows ? min.reduce((a, b) => Math.min(a, b), Infinity) : 0,
      max: rows ? max.reduce((a, b) => Math.max(a, b), -Infinity) : 0,
    },
    preview,
    memoryBytes:
      data.byteLength +
      (ds.labels?.byteLength ?? 0) +
      (ds.truth?.tangents?.byteLength ?? 0) +
      (ds.truth?.coordinates?.byteLength ?? 0),
    ...(ds.warnings?.length ? { warnings: ds.warnings } : {}),
  };
}

export class DatasetStore {
  private readonly records = new Map<string, DatasetRecord>();

  list(): DatasetSummary[] {
    return [...this.records.values()].map((r) => r.summary);
  }

  get(id: string): DatasetRecord {
    const r = this.records.get(id);
    if (!r) throw new UserError('not-found', `no dataset ${id} in this session`);
    return r;
  }

  add(
    dataset: Dataset,
    origin: DatasetRecord['origin'],
    id: string = `ds-${randomUUID().slice(0, 8)}`,
  ): DatasetRecord {
    const record = { id, dataset, summary: summarize(id, dataset), origin };
    this.records.set(id, record);
    return record;
  }

  /** A file the user picked (dialog, recent list, command line): never a path from a session. */
  async openFile(path: string, options: LoadOptions = {}): Promise<DatasetRecord> {
    const ds = await loadDataset(path, options);
    return this.add(ds, { kind: 'file', path, options });
  }

  async openSample(
    name: string,
    params: { rows?: number; noise?: number; seed?: number } = {},
  ): Promise<DatasetRecord> {
    const q = Object.entries(params)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => `${k}=${v}`)
      .join('&');
    const spec = `sample:${name}${q ? `?${q}` : ''}`;
    return this.add(await loadDataset(spec), { kind: 'sample', spec });
  }

  /**
   * A file's bytes (drag and drop): loaded from a private temporary copy, removed afterwards. Files
   * that came with it (an IDX images file's labels file) are written beside it, where the loader
   * looks. Streamed uploads (app/uploads.ts) write the copy chunk by chunk and call loadUploaded.
   */
  async upload(
    fileName: string,
    bytes: Uint8Array,
    options: LoadOptions = {},
    companions: readonly { fileName: string; bytes: Uint8Array }[] = [],
  ): Promise<DatasetRecord> {
    const dir = await mkdtemp(join(tmpdir(), UPLOAD_PREFIX));
    try {
      const path = join(dir, uploadName(fileName));
      await writeFile(path, bytes);
      for (const c of companions)
        if (uploadName(c.fileName) !== uploadName(fileName))
          await writeFile(join(dir, uploadName(c.fileName)), c.bytes);
      return await this.loadUploaded(dir, fileName, options);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  /** Load an upload's temporary copy (dir/uploadName(fileName)); messages name the user's file. */
  async loadUploaded(dir: string, fileName: string, options: LoadOptions): Promise<DatasetRecord> {
    const path = join(dir, uploadName(fileName));
    let ds: Dataset;
    try {
      ds = await loadDataset(path, options);
    } catch (e) {
      // Name the file the user gave, not the temporary copy.
      if (e instanceof Error)
        e.message = e.message
          .split(path)
          .join(fileName)
          .split(dir + sep)
          .join('');
      throw e;
    }
    const name =
      basename(fileName)
        .replace(/(\.gz)$/i, '')
        .replace(/\.[^.]+$/, '') || ds.name;
    return this.add({ ...ds, source: `upload:${fileName}`, name }, { kind: 'upload', fileName, options });
  }

  arrays(id: string): DatasetArrays {
    const { dataset: ds } = this.get(id);
    const t = ds.truth;
    return {
      data: { data: ds.data, shape: [ds.rows, ds.dims] },
      ...(ds.labels ? { labels: { data: ds.labels, shape: [ds.rows] } } : {}),
      ...(t
        ? {
            truth: {
              ...(t.coordinates
                ? { coordinates: { data: t.coordinates, shape: [ds.rows, t.intrinsicDims] } }
                : {}),
              ...(t.tangents
                ? { tangents: { data: t.tangents, shape: [ds.rows, t.intrinsicDims, ds.dims] } }
                : {}),
              ...(t.score ? { score: { data: t.score, shape: [ds.rows, ds.dims] } } : {}),
            },
          }
        : {}),
    };
  }

  clear(): void {
    this.records.clear();
  }
}
