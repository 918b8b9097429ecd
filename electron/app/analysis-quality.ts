/**
 * How well a finished run's codes keep the data's structure: trustworthiness and continuity of the
 * neighbourhoods, k-NN accuracy and retrieval precision against the labels, the reconstruction
 * error against PCA's, and the median angle to the true tangent planes.
 */
import type { CallResult } from '../shared/contract';
import { createRng, permutation } from '../engine/random';
import { continuity, knnAccuracy, sampleRows, trustworthiness, gather } from '../engine/analysis/quality';
import { retrievalScores } from '../engine/analysis/retrieval';
import type { FinishedRun } from './analysis-run';
import { analyze } from './analysis-geometry';

/** Embedding quality on at most 1000 rows, and how the run compares with PCA and the truth. */
export async function quality(f: FinishedRun): Promise<CallResult<'quality'>> {
  const { run, result } = f;
  const ds = run.dataset.dataset;
  const k = result.latent;
  const { rows: sample, sampled } = sampleRows(ds.rows, 1000, 17);
  const X = gather({ data: ds.data, rows: ds.rows, cols: ds.dims }, sample);
  const Z = gather({ data: result.codes, rows: ds.rows, cols: k }, sample);
  const kk = Math.min(10, Math.floor((sample.length - 1) / 2));
  const trust = kk >= 1 ? trustworthiness(X, Z, kk) : null;
  const cont = kk >= 1 ? continuity(X, Z, kk) : null;
  let knn: number | null = null,
    map: number | null = null;
  if (ds.labels) {
    const labels = Int32Array.from(sample, (i) => ds.labels![i]!);
    knn = knnAccuracy(Z, labels, 5);
    const queries = permutation(sample.length, createRng(3)).slice(0, Math.min(200, sample.length));
    map = retrievalScores(Z, labels, queries, 10).meanAveragePrecision;
  }
  // The engine measured it at the end of training on the same rows (engine/metrics/truth.ts);
  // runs saved before that are measured here.
  let medianTangentAngle: number | null = result.metrics.truth?.tangentAngleDeg?.median ?? null;
  if (medianTangentAngle === null && ds.truth?.tangents) {
    const { rows: at } = sampleRows(ds.rows, 300, 5);
    const a = await analyze(f, {
      runId: run.runId,
      at: { indices: Array.from(at) },
      tangents: { method: 'decoder' },
    });
    medianTangentAngle = a.metrics.medianTangentAngle ?? null;
  }
  const m = result.metrics;
  const q = {
    trustworthiness: trust,
    continuity: cont,
    knnAccuracy: knn,
    reconstructionMse: m.trainMse,
    pcaMse: m.pca?.trainMse ?? NaN,
    meanAveragePrecision: map,
    ...(m.principalAnglesDeg ? { principalAngles: m.principalAnglesDeg } : {}),
    medianTangentAngle,
    sampled: sampled ? sample.length : null,
  };
  return q;
}
