/**
 * Neighbours of a finished run's codes: one point's inspection (its reconstruction, code, the
 * Jacobian's singular values and nearest rows) and retrieval with precision against the labels.
 * Euclidean in code space, or Hamming on the 0/1 codes of the hashing family.
 */
import type { CallArgs, CallResult } from '../shared/contract';
import { UserError } from '../shared/errors';
import { distancesFrom, distancesTo, topK } from '../engine/analysis/neighbors';
import { hammingRank, packBits, rowWords } from '../engine/analysis/hashing';
import { averagePrecision, precisionAtK } from '../engine/analysis/retrieval';
import type { HostRunResult } from '../hosts/protocol';
import type { RunRecord } from './jobs';
import { isHashing, type FinishedRun } from './analysis-run';
import type { TangentReply } from './analysis-geometry';

/** Nearest rows to a code: Euclidean in code space, or Hamming on the 0/1 codes. */
function rank(
  run: RunRecord,
  result: HostRunResult,
  code: Float32Array,
  exclude: number,
  space: 'code' | 'hamming',
): { order: Int32Array; distances: Float32Array } {
  const rows = run.dataset.dataset.rows;
  const k = result.latent;
  if (space === 'hamming') {
    const packed = packBits(result.codes, rows, k);
    const q = packBits(code, 1, k);
    const { order, distances } = hammingRank(packed, rowWords(q, 0), exclude);
    return { order, distances: Float32Array.from(distances) };
  }
  const dist = distancesTo(code, result.codes, rows, k);
  const idx: number[] = [];
  for (let j = 0; j < rows; j++) if (j !== exclude) idx.push(j);
  idx.sort((a, b) => dist[a]! - dist[b]! || a - b);
  return { order: Int32Array.from(idx), distances: Float32Array.from(idx, (j) => Math.sqrt(dist[j]!)) };
}

export async function inspect(f: FinishedRun, input: CallArgs<'inspect'>): Promise<CallResult<'inspect'>> {
  const { run, result } = f;
  const ds = run.dataset.dataset;
  const { index } = input;
  if (index >= ds.rows)
    throw new UserError('bad-request', `index ${index} is past the last row (${ds.rows - 1})`);
  const d = ds.dims,
    k = result.latent;
  const original = ds.data.slice(index * d, (index + 1) * d);
  const t = await f.request<TangentReply>({
    op: 'tangents',
    points: original,
    n: 1,
    method: 'decoder',
  });
  const space = isHashing(run) ? 'hamming' : 'code';
  const code = result.codes.slice(index * k, (index + 1) * k);
  let indices: Int32Array, distances: Float32Array;
  if (space === 'code') {
    const dist = distancesFrom(result.codes, index, result.codes, ds.rows, k);
    const nn = topK(dist, input.neighbors, index);
    indices = Int32Array.from(nn);
    distances = Float32Array.from(nn, (j) => Math.sqrt(dist[j]!));
  } else {
    const r = rank(run, result, code, index, 'hamming');
    indices = r.order.slice(0, input.neighbors);
    distances = r.distances.slice(0, input.neighbors);
  }
  return {
    index,
    original: { data: original, shape: [d] },
    reconstruction: { data: result.reconstructions.slice(index * d, (index + 1) * d), shape: [d] },
    code: { data: code, shape: [k] },
    ...(ds.labels ? { label: ds.labels[index]! } : {}),
    singularValues: { data: t.singularValues, shape: [t.r] },
    neighbors: {
      indices: { data: indices, shape: [indices.length] },
      distances: { data: distances, shape: [distances.length] },
      space,
    },
  };
}

export async function retrieve(f: FinishedRun, input: CallArgs<'retrieve'>): Promise<CallResult<'retrieve'>> {
  const { run, result } = f;
  const ds = run.dataset.dataset;
  const k = result.latent;
  if (input.space === 'hamming' && !isHashing(run))
    throw new UserError(
      'bad-request',
      'Hamming retrieval needs binary codes: train the hashing family, or use space "code"',
    );
  let code: Float32Array;
  let exclude = -1;
  if ('index' in input.query) {
    if (input.query.index >= ds.rows)
      throw new UserError('bad-request', `query.index ${input.query.index} is past the last row`);
    exclude = input.query.index;
    code = result.codes.slice(exclude * k, (exclude + 1) * k);
  } else {
    const p = input.query.point;
    if (p.data.length !== ds.dims)
      throw new UserError('bad-request', `query.point: expected ${ds.dims} values, got ${p.data.length}`);
    code = await f.request<Float32Array>({ op: 'encode', points: p.data, n: 1 });
  }
  const { order, distances } = rank(run, result, code, exclude, input.space);
  let count = Math.min(input.k, order.length);
  if (input.space === 'hamming' && input.radius !== undefined) {
    count = 0;
    while (count < order.length && distances[count]! <= input.radius) count++;
  }
  const relevantAll =
    ds.labels && exclude >= 0
      ? Uint8Array.from(order, (j) => (ds.labels![j] === ds.labels![exclude] ? 1 : 0))
      : undefined;
  return {
    indices: { data: order.slice(0, count), shape: [count] },
    distances: { data: distances.slice(0, count), shape: [count] },
    ...(relevantAll ? { relevant: { data: relevantAll.slice(0, count), shape: [count] } } : {}),
    precisionAtK: relevantAll ? precisionAtK(relevantAll, count || input.k) : null,
    averagePrecision: relevantAll ? averagePrecision(relevantAll) : null,
  };
}
