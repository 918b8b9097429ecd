/**
 * The geometric analyses of a finished run: at given points its tangent planes (the Jacobian's
 * leading singular vectors), r(x) − x and the trajectories it drives; r(x) − x on a grid around the
 * data (the vector field); and the decoded surface. The tensor work runs on the engine host; the
 * comparison with the ground truth of built-in samples is here. Original units throughout.
 */
import type { CallArgs, CallResult } from '../shared/contract';
import { UserError } from '../shared/errors';
import { createRng } from '../engine/random';
import { takeRows } from '../engine/data/split';
import { normalize } from '../engine/data/normalize';
import { fitPca, pcaTransform } from '../engine/analysis/pca';
import { tangentAngles } from '../engine/analysis/tangents';
import { scoreCosines } from '../engine/analysis/score';
import { boundingBox, gridPoints } from '../engine/analysis/grid';
import { hasKnownScore, parseSampleSpec, sampleScore } from '../data/samples/generate';
import type { RunRecord } from './jobs';
import { mean, median, normalizerOf, type FinishedRun } from './analysis-run';

/** The engine's answer to a 'tangents' op (the reply to inspect uses it too). */
export interface TangentReply {
  tangents: Float32Array;
  m: number;
  singularValues: Float32Array;
  r: number;
  intrinsicDims: Int32Array;
}
interface SurfaceReply {
  kind: 'curve' | 'mesh' | 'none';
  vertices: Float32Array;
  indices: Int32Array;
  latentRange: Float32Array;
}

/** Points to analyse: dataset rows (original units) or new points. */
function pointsAt(
  run: RunRecord,
  at: CallArgs<'analyze'>['at'],
): { points: Float32Array; n: number; indices?: number[] } {
  const ds = run.dataset.dataset;
  if ('indices' in at) {
    const bad = at.indices.find((i) => i >= ds.rows);
    if (bad !== undefined)
      throw new UserError('bad-request', `at.indices: row ${bad} is past the last row (${ds.rows - 1})`);
    return { points: takeRows(ds.data, ds.dims, at.indices), n: at.indices.length, indices: at.indices };
  }
  const { data, shape } = at.points;
  if (shape.length !== 2 || shape[1] !== ds.dims)
    throw new UserError(
      'bad-request',
      `at.points: expected a matrix with ${ds.dims} columns (the data's), got shape [${shape.join(', ')}]`,
    );
  return { points: data, n: shape[0]! };
}

/** The true score at points, when the dataset is a sample with a known density. */
function trueScore(run: RunRecord, points: Float32Array, indices?: number[]): Float32Array | undefined {
  const ds = run.dataset.dataset;
  if (indices && ds.truth?.score) return takeRows(ds.truth.score, ds.dims, indices);
  if (!ds.source.startsWith('sample:')) return undefined;
  const { name, params } = parseSampleSpec(ds.source);
  return hasKnownScore(name, params) ? sampleScore(name, params, points) : undefined;
}

export async function analyze(f: FinishedRun, input: CallArgs<'analyze'>): Promise<CallResult<'analyze'>> {
  const { run, result } = f;
  const ds = run.dataset.dataset;
  const d = ds.dims;
  const { points, n, indices } = pointsAt(run, input.at);
  const out: CallResult<'analyze'> = { points: { data: points, shape: [n, d] }, metrics: {} };
  if (input.tangents) {
    const dims = ds.truth?.intrinsicDims || undefined;
    const t = await f.request<TangentReply>({
      op: 'tangents',
      points,
      n,
      method: input.tangents.method,
      ...(dims ? { dims } : {}),
    });
    out.tangents = { data: t.tangents, shape: [n, t.m, d] };
    out.singularValues = { data: t.singularValues, shape: [n, t.r] };
    out.intrinsicDims = { data: t.intrinsicDims, shape: [n] };
    out.metrics.meanIntrinsicDim = mean(t.intrinsicDims);
    if (indices && ds.truth?.tangents) {
      const mt = ds.truth.intrinsicDims;
      const truth = takeRows(ds.truth.tangents, mt * d, indices);
      const angles = tangentAngles(t.tangents, t.m, truth, mt, n, d);
      out.tangentAngles = { data: angles, shape: [n] };
      out.metrics.medianTangentAngle = median(angles);
      out.metrics.meanTangentAngle = mean(angles);
    }
  }
  if (input.score) {
    const v = await f.request<Float32Array>({ op: 'score', points, n });
    out.score = { data: v, shape: [n, d] };
    const truth = trueScore(run, points, indices);
    if (truth) {
      const cos = scoreCosines(normalizerOf(result).scale, v, truth, n);
      out.scoreCosines = { data: cos, shape: [n] };
      out.metrics.meanScoreCosine = mean(cos);
    }
    let norm = 0;
    for (let i = 0; i < v.length; i++) norm += v[i]! ** 2;
    out.metrics.meanScoreNorm = Math.sqrt(norm / Math.max(1, n));
  }
  if (input.trajectories) {
    const t = input.trajectories;
    const rng = createRng(t.seed);
    const start = Float32Array.from(points, (x) => x + (t.offset > 0 ? rng.normal() * t.offset : 0));
    const norm = normalizerOf(result);
    const xn = normalize(norm, ds.data);
    const range = { min: new Float32Array(d).fill(Infinity), max: new Float32Array(d).fill(-Infinity) };
    for (let i = 0; i < xn.length; i++) {
      const c = i % d;
      if (xn[i]! < range.min[c]!) range.min[c] = xn[i]!;
      if (xn[i]! > range.max[c]!) range.max[c] = xn[i]!;
    }
    const paths = await f.request<Float32Array>({
      op: 'trajectories',
      points: start,
      n,
      steps: t.steps,
      mode: t.mode,
      alpha: t.alpha,
      seed: t.seed,
      range,
    });
    out.trajectories = { data: paths, shape: [n, t.steps + 1, d] };
  }
  return out;
}

export async function field(f: FinishedRun, input: CallArgs<'field'>): Promise<CallResult<'field'>> {
  const { run, result } = f;
  const ds = run.dataset.dataset;
  const d = ds.dims;
  const dims = Math.min(input.dims, d) as 1 | 2 | 3;
  const res = Math.min(input.resolution, dims === 3 ? 24 : 64);
  let points: Float32Array;
  if (d <= 3) {
    const { lo, hi } = boundingBox(ds.data, ds.rows, d, input.padding);
    const g = gridPoints(lo, hi, dims, res);
    const count = g.length / dims;
    const colMean = Array.from({ length: d }, (_, c) => (lo[c]! + hi[c]!) / 2);
    points = new Float32Array(count * d);
    for (let i = 0; i < count; i++)
      for (let c = 0; c < d; c++) points[i * d + c] = c < dims ? g[i * dims + c]! : colMean[c]!;
  } else {
    const pca = fitPca(ds.data, ds.rows, d, dims);
    const proj = pcaTransform(pca, ds.data, ds.rows);
    const { lo, hi } = boundingBox(proj, ds.rows, pca.components, input.padding);
    const g = gridPoints(lo, hi, pca.components, res);
    const count = g.length / pca.components;
    points = new Float32Array(count * d);
    for (let i = 0; i < count; i++)
      for (let c = 0; c < d; c++) {
        let s = pca.mean[c]!;
        for (let j = 0; j < pca.components; j++) s += g[i * pca.components + j]! * pca.basis[j * d + c]!;
        points[i * d + c] = s;
      }
  }
  const n = points.length / d;
  const vectors = await f.request<Float32Array>({ op: 'score', points, n });
  const truth = trueScore(run, points);
  return {
    points: { data: points, shape: [n, d] },
    vectors: { data: vectors, shape: [n, d] },
    ...(truth
      ? {
          scoreCosines: {
            data: scoreCosines(normalizerOf(result).scale, vectors, truth, n),
            shape: [n],
          },
        }
      : {}),
  };
}

export async function surface(f: FinishedRun, input: CallArgs<'surface'>): Promise<CallResult<'surface'>> {
  const { run, result } = f;
  const rows = run.dataset.dataset.rows;
  const s = await f.request<SurfaceReply>({
    op: 'surface',
    codes: result.codes,
    n: rows,
    resolution: input.resolution,
  });
  const d = run.dataset.dataset.dims;
  return {
    kind: s.kind,
    vertices: { data: s.vertices, shape: [s.vertices.length / d, d] },
    indices: { data: s.indices, shape: [s.indices.length] },
    latentRange: { data: s.latentRange, shape: [result.latent, 2] },
  };
}
