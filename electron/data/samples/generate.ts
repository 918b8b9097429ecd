/**
 * `sample:NAME?rows=…&noise=…&seed=…`: parse the spec, generate the points with their ground truth,
 * and evaluate that ground truth at arbitrary places (tangents at any intrinsic coordinate, the score
 * at any point). Isomorphic: the browser mode generates samples too. The real image set
 * (`sample:digits`) is read from the app's assets by ../digits.ts instead.
 */
import type { Dataset, GroundTruth } from '../../shared/dataset';
import { createRng } from '../../engine/random';
import { DataError } from '../errors';
import { floatBytes, sha256Hex } from '../sha256';
import { MANIFOLDS, type Manifold } from './manifolds';
import {
  mixtureCentres,
  mixtureLogDensity,
  mixtureScore,
  noisySphereLogDensity,
  noisySphereScore,
} from './density';
import { SAMPLES, findSample, type SampleInfo } from './registry';

export interface SampleParams {
  rows: number;
  /** Standard deviation of the Gaussian noise (the mixture: of each component). */
  noise: number;
  seed: number;
  /** Gaussian mixture only: the number of components K. */
  components: number;
}

export const MAX_SAMPLE_ROWS = 5_000_000;
const DEFAULT_COMPONENTS = 4;

/** Split `sample:NAME?k=v&…` into the name and the parameters given (not yet defaulted). */
export function parseSampleSpec(spec: string): { name: string; params: Partial<SampleParams> } {
  const body = spec.startsWith('sample:') ? spec.slice('sample:'.length) : spec;
  const q = body.indexOf('?');
  const name = q < 0 ? body : body.slice(0, q);
  const params: Partial<SampleParams> = {};
  if (q >= 0) {
    for (const pair of body.slice(q + 1).split('&')) {
      if (pair === '') continue;
      const eq = pair.indexOf('=');
      const key = eq < 0 ? pair : pair.slice(0, eq);
      const value = eq < 0 ? '' : pair.slice(eq + 1);
      if (key !== 'rows' && key !== 'noise' && key !== 'seed' && key !== 'components')
        throw new DataError(
          'data.bad-option',
          `unknown sample option ${JSON.stringify(key)}; expected rows, noise, seed or components`,
          { file: spec },
        );
      const v = value.trim() === '' ? NaN : Number(value);
      if (!Number.isFinite(v))
        throw new DataError('data.bad-option', `expected a number for ${key}, got ${JSON.stringify(value)}`, {
          file: spec,
        });
      params[key] = v;
    }
  }
  return { name, params };
}

/** The registry entry of a sample, or a DataError listing the names that exist. */
export function sampleInfo(name: string, spec = `sample:${name}`): SampleInfo {
  const info = findSample(name);
  if (!info)
    throw new DataError(
      'data.unknown-sample',
      `no built-in sample named ${JSON.stringify(name)}; expected one of ${SAMPLES.map((s) => s.name).join(', ')}`,
      { file: spec },
    );
  return info;
}

/** Defaults filled in and every value checked. */
export function resolveSampleParams(info: SampleInfo, given: Partial<SampleParams>): SampleParams {
  const p: SampleParams = {
    rows: given.rows ?? info.defaultRows,
    noise: given.noise ?? info.defaultNoise,
    seed: given.seed ?? 0,
    components: given.components ?? DEFAULT_COMPONENTS,
  };
  const where = { file: `sample:${info.name}` };
  if (!Number.isInteger(p.rows) || p.rows < 1 || p.rows > MAX_SAMPLE_ROWS)
    throw new DataError(
      'data.bad-option',
      `rows must be a whole number from 1 to ${MAX_SAMPLE_ROWS}, got ${p.rows}`,
      where,
    );
  if (!(p.noise >= 0) || !Number.isFinite(p.noise))
    throw new DataError('data.bad-option', `noise must be a finite number ≥ 0, got ${p.noise}`, where);
  if (!Number.isInteger(p.seed))
    throw new DataError('data.bad-option', `seed must be a whole number, got ${p.seed}`, where);
  if (info.name === 'gaussian-mixture') {
    if (!(p.noise > 0))
      throw new DataError(
        'data.bad-option',
        'noise (the standard deviation of each component) must be > 0',
        where,
      );
    if (!Number.isInteger(p.components) || p.components < 1 || p.components > 64)
      throw new DataError(
        'data.bad-option',
        `components must be a whole number from 1 to 64, got ${p.components}`,
        where,
      );
  } else if (given.components !== undefined) {
    throw new DataError('data.bad-option', 'components applies to sample:gaussian-mixture only', where);
  }
  return p;
}

/** The canonical source string, with every parameter spelled out so a run can be reproduced. */
export function sampleSource(name: string, p: SampleParams): string {
  const extra = name === 'gaussian-mixture' ? `&components=${p.components}` : '';
  return `sample:${name}?rows=${p.rows}&noise=${p.noise}&seed=${p.seed}${extra}`;
}

function manifoldOf(name: string): Manifold | undefined {
  return MANIFOLDS[name];
}

/** Generate a synthetic sample (every built-in one except `digits`) with its ground truth. */
export function generateSample(name: string, given: Partial<SampleParams> = {}): Dataset {
  const info = sampleInfo(name);
  if (info.real)
    throw new DataError(
      'data.bad-option',
      `sample:${name} is real data read from the app's files, not generated`,
      {
        file: `sample:${name}`,
      },
    );
  const p = resolveSampleParams(info, given);
  const rng = createRng(p.seed);
  const d = info.dims;
  const data = new Float32Array(p.rows * d);
  const truth: GroundTruth = { intrinsicDims: info.intrinsicDims };
  let labels: Int32Array | undefined;
  let labelNames: string[] | undefined;
  const manifold = manifoldOf(name);
  if (manifold) {
    const m = manifold.intrinsicDims;
    const coords = new Float32Array(p.rows * m);
    const tangents = new Float32Array(p.rows * m * d);
    for (let i = 0; i < p.rows; i++) {
      const c = manifold.draw(rng);
      const x = manifold.embed(c);
      const t = manifold.tangent(c);
      for (let a = 0; a < m; a++) {
        coords[i * m + a] = c[a]!;
        for (let j = 0; j < d; j++) tangents[(i * m + a) * d + j] = t[a]![j]!;
      }
      for (let j = 0; j < d; j++) data[i * d + j] = x[j]! + p.noise * rng.normal();
    }
    truth.coordinates = coords;
    truth.tangents = tangents;
    if (name === 'sphere' && p.noise > 0) truth.score = noisySphereScore(data, p.noise);
  } else {
    // Gaussian mixture: component k uniformly, then N(μ_k, σ² I).
    const k = p.components;
    labels = new Int32Array(p.rows);
    labelNames = Array.from({ length: k }, (_, i) => `component ${i}`);
    const centres = mixtureCentres(k);
    for (let i = 0; i < p.rows; i++) {
      const c = rng.int(k);
      labels[i] = c;
      data[2 * i] = centres[c]![0]! + p.noise * rng.normal();
      data[2 * i + 1] = centres[c]![1]! + p.noise * rng.normal();
    }
    truth.score = mixtureScore(data, k, p.noise);
  }
  const ds: Dataset = {
    name: info.title,
    source: sampleSource(name, p),
    sha256: sha256Hex(floatBytes(data)),
    rows: p.rows,
    dims: d,
    data,
    featureNames: d === 2 ? ['x', 'y'] : ['x', 'y', 'z'],
    truth,
  };
  if (labels && labelNames) {
    ds.labels = labels;
    ds.labelNames = labelNames;
  }
  return ds;
}

function requireManifold(name: string): Manifold {
  const m = manifoldOf(name);
  if (!m)
    throw new DataError(
      'data.bad-option',
      `sample:${name} is not a manifold; tangents exist for ${Object.keys(MANIFOLDS).join(', ')}`,
      { file: `sample:${name}` },
    );
  return m;
}

function checkLength(name: string, what: string, length: number, width: number): number {
  if (length % width !== 0)
    throw new DataError(
      'data.bad-option',
      `${what} must hold a multiple of ${width} numbers, got ${length}`,
      {
        file: `sample:${name}`,
      },
    );
  return length / width;
}

/** φ(c) at arbitrary intrinsic coordinates: coords n × m → points n × d. */
export function sampleEmbed(name: string, coords: Float32Array | Float64Array): Float32Array {
  const mf = requireManifold(name);
  const n = checkLength(name, 'intrinsic coordinates', coords.length, mf.intrinsicDims);
  const out = new Float32Array(n * mf.dims);
  for (let i = 0; i < n; i++) {
    const x = mf.embed(Array.from(coords.subarray(i * mf.intrinsicDims, (i + 1) * mf.intrinsicDims)));
    out.set(x, i * mf.dims);
  }
  return out;
}

/** The true tangent basis at arbitrary intrinsic coordinates: coords n × m → n × m × d, orthonormal rows. */
export function sampleTangent(name: string, coords: Float32Array | Float64Array): Float32Array {
  const mf = requireManifold(name);
  const m = mf.intrinsicDims;
  const n = checkLength(name, 'intrinsic coordinates', coords.length, m);
  const out = new Float32Array(n * m * mf.dims);
  for (let i = 0; i < n; i++) {
    const t = mf.tangent(Array.from(coords.subarray(i * m, (i + 1) * m)));
    for (let a = 0; a < m; a++) out.set(t[a]!, (i * m + a) * mf.dims);
  }
  return out;
}

/** Which samples have a known density at these parameters. */
export function hasKnownScore(name: string, params: Partial<SampleParams> = {}): boolean {
  if (name === 'gaussian-mixture') return true;
  if (name === 'sphere') return (params.noise ?? sampleInfo(name).defaultNoise) > 0;
  return false;
}

function densityParams(name: string, params: Partial<SampleParams>): SampleParams {
  const info = sampleInfo(name);
  const p = resolveSampleParams(info, params);
  if (!hasKnownScore(name, p))
    throw new DataError(
      'data.bad-option',
      `sample:${name} has no closed-form density at noise=${p.noise}; the true score is known for gaussian-mixture and for sphere with noise > 0`,
      { file: `sample:${name}` },
    );
  return p;
}

/** The true score ∇ₓ log p at arbitrary points (n × d), e.g. a grid for the score-field view. */
export function sampleScore(
  name: string,
  params: Partial<SampleParams>,
  points: Float32Array | Float64Array,
): Float32Array {
  const p = densityParams(name, params);
  const d = sampleInfo(name).dims;
  checkLength(name, 'points', points.length, d);
  return name === 'sphere' ? noisySphereScore(points, p.noise) : mixtureScore(points, p.components, p.noise);
}

/** log p at arbitrary points (n × d); for the sphere, up to an additive constant. */
export function sampleLogDensity(
  name: string,
  params: Partial<SampleParams>,
  points: Float32Array | Float64Array,
): Float64Array {
  const p = densityParams(name, params);
  const d = sampleInfo(name).dims;
  checkLength(name, 'points', points.length, d);
  return name === 'sphere'
    ? noisySphereLogDensity(points, p.noise)
    : mixtureLogDensity(points, p.components, p.noise);
}
