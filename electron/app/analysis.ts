/**
 * The analysis calls of the contract (analyze, field, surface, inspect, retrieve, quality, exports)
 * for finished runs. Tensor work (Jacobians, r(x) − x, decoding) runs on the engine host; the
 * rest — neighbours, rankings, embedding quality, the comparison with the ground truth — is plain
 * array code here. Everything comes back in the data's original units.
 */
import type { CallArgs, CallResult, RunDetail } from '../shared/contract';
import { UserError } from '../shared/errors';
import { createRng, permutation } from '../engine/random';
import { takeRows } from '../engine/data/split';
import { normalize } from '../engine/data/normalize';
import type { Normalizer } from '../engine/data/normalize';
import { fitPca, pcaTransform } from '../engine/analysis/pca';
import { tangentAngles } from '../engine/analysis/tangents';
import { scoreCosines } from '../engine/analysis/score';
import { boundingBox, gridPoints } from '../engine/analysis/grid';
import { distancesFrom, distancesTo, topK } from '../engine/analysis/neighbors';
import { hammingRank, packBits, rowWords } from '../engine/analysis/hashing';
import { continuity, knnAccuracy, sampleRows, trustworthiness, gather } from '../engine/analysis/quality';
import { averagePrecision, precisionAtK, retrievalScores } from '../engine/analysis/retrieval';
import { encodeNpy } from '../data/npy';
import { hasKnownScore, parseSampleSpec, sampleScore } from '../data/samples/generate';
import type { DatasetStore } from './datasets';
import type { JobManager, RunRecord } from './jobs';
import type { EngineSupervisor } from './supervisor';
import type { HostRunResult } from '../hosts/protocol';

interface TangentReply {
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

const median = (a: ArrayLike<number>): number | null => {
  const s = Array.from(a)
    .filter(Number.isFinite)
    .sort((x, y) => x - y);
  return s.length ? s[Math.floor((s.length - 1) / 2)]! : null;
};
const mean = (a: ArrayLike<number>): number | null => {
  const s = Array.from(a).filter(Number.isFinite);
  return s.length ? s.reduce((x, y) => x + y, 0) / s.length : null;
};

export class Analysis {
  private readonly qualityCache = new Map<string, CallResult<'quality'>>();

  constructor(
    private readonly datasets: DatasetStore,
    private readonly jobs: JobManager,
    private readonly supervisor: EngineSupervisor,
  ) {}

  private finished(runId: string): { run: RunRecord; result: HostRunResult } {
    const run = this.jobs.get(runId);
    if (!run.result)
      throw new UserError('not-ready', `run ${runId} has no trained model yet (state: ${run.state})`);
    return { run, result: run.result };
  }

  private normalizer(result: HostRunResult): Normalizer {
    return {
      kind: result.normalizer.kind,
      offset: Float32Array.from(result.normalizer.offset),
      scale: Float32Array.from(result.normalizer.scale),
    };
  }

  private request<T>(
    runId: string,
    result: HostRunResult,
    op: Parameters<EngineSupervisor['request']>[2],
  ): Promise<T> {
    return this.supervisor.request<T>(runId, () => result.model, op);
  }

  runDetail(runId: string): RunDetail {
    const run = this.jobs.get(runId);
    const ds = run.dataset.dataset;
    const r = run.result;
    let errors: Float32Array | undefined;
    if (r) {
      errors = new Float32Array(ds.rows);
      for (let i = 0; i < ds.rows; i++) {
        let s = 0;
        for (let c = 0; c < ds.dims; c++)
          s += (ds.data[i * ds.dims + c]! - r.reconstructions[i * ds.dims + c]!) ** 2;
        errors[i] = s / ds.dims;
      }
    }
    return {
      summary: this.jobs.summary(run),
      history: run.history,
      ...(r
        ? {
            codes: { data: r.codes, shape: [ds.rows, r.latent] },
            reconstructions: { data: r.reconstructions, shape: [ds.rows, ds.dims] },
            errors: { data: errors!, shape: [ds.rows] },
          }
        : {}),
    };
  }

  /** Points to analyse: dataset rows (original units) or new points. */
  private points(
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
  private trueScore(run: RunRecord, points: Float32Array, indices?: number[]): Float32Array | undefined {
    const ds = run.dataset.dataset;
    if (indices && ds.truth?.score) return takeRows(ds.truth.score, ds.dims, indices);
    if (!ds.source.startsWith('sample:')) return undefined;
    const { name, params } = parseSampleSpec(ds.source);
    return hasKnownScore(name, params) ? sampleScore(name, params, points) : undefined;
  }

  async analyze(input: CallArgs<'analyze'>): Promise<CallResult<'analyze'>> {
    const { run, result } = this.finished(input.runId);
    const ds = run.dataset.dataset;
    const d = ds.dims;
    const { points, n, indices } = this.points(run, input.at);
    const out: CallResult<'analyze'> = { points: { data: points, shape: [n, d] }, metrics: {} };
    if (input.tangents) {
      const dims = ds.truth?.intrinsicDims || undefined;
      const t = await this.request<TangentReply>(run.runId, result, {
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
      const v = await this.request<Float32Array>(run.runId, result, { op: 'score', points, n });
      out.score = { data: v, shape: [n, d] };
      const truth = this.trueScore(run, points, indices);
      if (truth) {
        const cos = scoreCosines(this.normalizer(result).scale, v, truth, n);
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
      const norm = this.normalizer(result);
      const xn = normalize(norm, ds.data);
      const range = { min: new Float32Array(d).fill(Infinity), max: new Float32Array(d).fill(-Infinity) };
      for (let i = 0; i < xn.length; i++) {
        const c = i % d;
        if (xn[i]! < range.min[c]!) range.min[c] = xn[i]!;
        if (xn[i]! > range.max[c]!) range.max[c] = xn[i]!;
      }
      const paths = await this.request<Float32Array>(run.runId, result, {
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

  async field(input: CallArgs<'field'>): Promise<CallResult<'field'>> {
    const { run, result } = this.finished(input.runId);
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
    const vectors = await this.request<Float32Array>(run.runId, result, { op: 'score', points, n });
    const truth = this.trueScore(run, points);
    return {
      points: { data: points, shape: [n, d] },
      vectors: { data: vectors, shape: [n, d] },
      ...(truth
        ? {
            scoreCosines: {
              data: scoreCosines(this.normalizer(result).scale, vectors, truth, n),
              shape: [n],
            },
          }
        : {}),
    };
  }

  async surface(input: CallArgs<'surface'>): Promise<CallResult<'surface'>> {
    const { run, result } = this.finished(input.runId);
    const rows = run.dataset.dataset.rows;
    const s = await this.request<SurfaceReply>(run.runId, result, {
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

  private isHashing(run: RunRecord): boolean {
    return run.config.family === 'hashing';
  }

  /** Nearest rows to a code: Euclidean in code space, or Hamming on the 0/1 codes. */
  private rank(
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

  async inspect(input: CallArgs<'inspect'>): Promise<CallResult<'inspect'>> {
    const { run, result } = this.finished(input.runId);
    const ds = run.dataset.dataset;
    const { index } = input;
    if (index >= ds.rows)
      throw new UserError('bad-request', `index ${index} is past the last row (${ds.rows - 1})`);
    const d = ds.dims,
      k = result.latent;
    const original = ds.data.slice(index * d, (index + 1) * d);
    const t = await this.request<TangentReply>(run.runId, result, {
      op: 'tangents',
      points: original,
      n: 1,
      method: 'decoder',
    });
    const space = this.isHashing(run) ? 'hamming' : 'code';
    const code = result.codes.slice(index * k, (index + 1) * k);
    let indices: Int32Array, distances: Float32Array;
    if (space === 'code') {
      const dist = distancesFrom(result.codes, index, result.codes, ds.rows, k);
      const nn = topK(dist, input.neighbors, index);
      indices = Int32Array.from(nn);
      distances = Float32Array.from(nn, (j) => Math.sqrt(dist[j]!));
    } else {
      const r = this.rank(run, result, code, index, 'hamming');
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

  async retrieve(input: CallArgs<'retrieve'>): Promise<CallResult<'retrieve'>> {
    const { run, result } = this.finished(input.runId);
    const ds = run.dataset.dataset;
    const k = result.latent;
    if (input.space === 'hamming' && !this.isHashing(run))
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
      code = await this.request<Float32Array>(run.runId, result, { op: 'encode', points: p.data, n: 1 });
    }
    const { order, distances } = this.rank(run, result, code, exclude, input.space);
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

  async quality(runId: string): Promise<CallResult<'quality'>> {
    const cached = this.qualityCache.get(runId);
    if (cached) return cached;
    const { run, result } = this.finished(runId);
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
      const a = await this.analyze({
        runId,
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
    this.qualityCache.set(runId, q);
    return q;
  }

  exportRun(input: CallArgs<'exportRun'>): CallResult<'exportRun'> {
    const { run, result } = this.finished(input.runId);
    const ds = run.dataset.dataset;
    const base = `${ds.name}-${run.config.family}-${run.runId}`;
    const matrix = (data: Float32Array, cols: number, names: string[]) => {
      if (input.format === 'npy') return encodeNpy(data, [data.length / cols, cols]);
      if (input.format !== 'csv')
        throw new UserError(
          'bad-request',
          `${input.what} export as ${input.format} is not available; use csv or npy`,
        );
      const lines = [names.join(',')];
      for (let i = 0; i < data.length / cols; i++)
        lines.push(Array.from(data.subarray(i * cols, (i + 1) * cols), (v) => String(v)).join(','));
      return lines.join('\n') + '\n';
    };
    switch (input.what) {
      case 'codes':
        return {
          suggestedName: `${base}-codes.${input.format}`,
          content: matrix(
            result.codes,
            result.latent,
            Array.from({ length: result.latent }, (_, j) => `h${j}`),
          ),
        };
      case 'reconstructions':
        return {
          suggestedName: `${base}-reconstructions.${input.format}`,
          content: matrix(
            result.reconstructions,
            ds.dims,
            ds.featureNames ?? Array.from({ length: ds.dims }, (_, j) => `x${j}`),
          ),
        };
      case 'weights':
        if (input.format === 'json')
          return {
            suggestedName: `${base}-model.json`,
            content: JSON.stringify(result.model.manifest, null, 2),
          };
        if (input.format !== 'bin')
          throw new UserError('bad-request', 'weights export as json (manifest) or bin (float32 weights)');
        return { suggestedName: `${base}-weights.bin`, content: result.model.weights };
      case 'metrics':
        return {
          suggestedName: `${base}-metrics.json`,
          content: JSON.stringify({ summary: this.jobs.summary(run), metrics: result.metrics }, null, 2),
        };
      case 'history': {
        if (input.format === 'json')
          return { suggestedName: `${base}-history.json`, content: JSON.stringify(run.history, null, 2) };
        const keys = [...new Set(run.history.flatMap((h) => Object.keys(h)))];
        const lines = [
          keys.join(','),
          ...run.history.map((h) => keys.map((k) => (h[k] ?? '') as string | number).join(',')),
        ];
        return { suggestedName: `${base}-history.csv`, content: lines.join('\n') + '\n' };
      }
    }
  }
}
