/**
 * What the views draw, derived from the stores (plain functions; Explorer wraps them in $derived):
 * the latent view's codes — the live snapshot of the run being trained, a finished run's codes
 * with their colourings, or two runs overlaid — and the data view's 3-D projection and PCA plane.
 */
import type {
  CallResult,
  DatasetArrays,
  DatasetSummary,
  RunDetail,
  SnapshotEvent,
} from '../../../electron/shared/contract';
import type { DataProjection } from '../shared/projection';
import type { PlaneInput } from '../shared/view-types';
import { column, gatherRows, hashBuckets, overlayCodes, rowSparsity } from './codes';
import { fmtInt } from './format';

/** The engine's PCA of the dataset (DataState.pca). */
type PcaResult = CallResult<'pca'>;

export const ERROR_SCALAR = 'Reconstruction error';
export const SPARSITY_SCALAR = 'Sparsity (mean |h|)';
export const TRUTH_SCALAR = 'True coordinate t₁';

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

export interface LatentInputs {
  summary: DatasetSummary | null;
  arrays: DatasetArrays | null;
  /** The shown run, when it belongs to the shown dataset. */
  detail: RunDetail | null;
  /** A second run to overlay (Compare). */
  overlay: RunDetail | null;
  /** The live snapshot, when the shown run is training and it should be drawn. */
  snapshot: SnapshotEvent | null;
}

/** "contractive k=2 (1a2b)" */
export function runName(r: { family: string; runId: string; config: { latent: number } }): string {
  return `${r.family} k=${r.config.latent} (${r.runId.replace(/^run-/, '')})`;
}

export function latentModel({
  summary: ds,
  arrays,
  detail: det,
  overlay: ov,
  snapshot: s,
}: LatentInputs): LatentModel | null {
  if (!ds || !arrays || arrays.data.shape[0] !== ds.rows) return null;
  const n = ds.rows;
  const labels = arrays.labels?.data ?? null;
  const truth = arrays.truth?.coordinates;
  const truthValues = truth ? column(truth.data, truth.shape[1]!, 0) : null;
  const labelNames = ds.labelNames ?? [];
  if (s) {
    const idx = s.indices?.data ?? null;
    return {
      codes: s.codes.data,
      k: s.codes.shape[1]!,
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
}

/** The data's projection to 3-D (d > 3): the engine's PCA of the dataset. */
export function dataProjection(pca: PcaResult | null, d: number): DataProjection | null {
  if (!pca || d <= 3) return null;
  return { mean: pca.mean.data, components: pca.components.data };
}

/** The PCA plane (a line for d = 2) through the mean, ± 2σ along each direction. */
export function pcaPlane(pca: PcaResult | null, d: number): PlaneInput | null {
  if (!pca || d < 2) return null;
  const m = d === 2 ? 1 : 2;
  return {
    mean: pca.mean.data,
    axes: pca.components.data.subarray(0, m * d),
    extents: Array.from(pca.explainedVariance.data.subarray(0, m), (v) => 2 * Math.sqrt(Math.max(v, 0))),
  };
}
