/**
 * What the data-space view draws for the shown run, computed on demand by the engine: the decoded
 * curve or surface (`surface`), tangent planes at sampled or chosen rows (`analyze` with
 * tangents, with the median angle to the true planes for built-in manifolds), the vector field
 * r(x) − x on a grid (`field`), and denoising trajectories from points pushed off the manifold
 * (`analyze` with trajectories). Each result belongs to one run; switching runs clears them.
 */
import type { ExplorerApi } from '../../../electron/shared/contract';
import type { LayerName } from '../scene/data-scene';
import type { SurfaceInput } from '../scene/layers/manifold';
import type { TangentInput } from '../scene/layers/patches';
import type { FieldInput } from '../scene/layers/field';
import type { TrajectoryInput } from '../scene/layers/trajectories';
import { errorText } from './format';

export type Computed = 'tangents' | 'field' | 'trajectories';

/** n evenly spaced rows of `rows`. */
export function spread(rows: number, n: number): number[] {
  const m = Math.min(rows, n);
  return Array.from({ length: m }, (_, i) => Math.floor(((i + 0.5) * rows) / m));
}

/** Root-mean-square of the columns' standard deviations (a length scale of the data). */
export function dataScale(std: readonly number[]): number {
  if (std.length === 0) return 1;
  return Math.sqrt(std.reduce((s, v) => s + v * v, 0) / std.length) || 1;
}

/** Rows of x [n, d] in 3-D: as they are for d ≤ 3, else projected on `components` [3, d] about `mean`. */
function to3d(
  x: Float32Array,
  n: number,
  d: number,
  proj: { mean: ArrayLike<number>; components: ArrayLike<number> } | null,
): Float32Array {
  const out = new Float32Array(n * 3);
  const c = proj ? Math.min(3, Math.floor(proj.components.length / d)) : 0;
  for (let i = 0; i < n; i++)
    for (let j = 0; j < 3; j++) {
      if (!proj) {
        out[i * 3 + j] = j < d ? x[i * d + j]! : 0;
        continue;
      }
      let s = 0;
      if (j < c)
        for (let t = 0; t < d; t++) s += (x[i * d + t]! - proj.mean[t]!) * proj.components[j * d + t]!;
      out[i * 3 + j] = s;
    }
  return out;
}

/**
 * The grid points of a field that lie within `radius` grid steps of the data, measured in the 3-D
 * space the view draws (at most 4,000 data rows are used). Far from the data every arrow points
 * inward and only hides the manifold; near it the field shows what the model learned.
 */
export function nearData(
  origins: Float32Array,
  vectors: Float32Array,
  data: Float32Array,
  d: number,
  proj: { mean: ArrayLike<number>; components: ArrayLike<number> } | null,
  radius = 1.5,
): { origins: Float32Array; vectors: Float32Array; spacing: number } {
  const g = Math.floor(origins.length / d);
  const n = Math.floor(data.length / d);
  const stride = Math.max(1, Math.ceil(n / 4000));
  const rows = Array.from({ length: Math.ceil(n / stride) }, (_, i) => i * stride);
  const sub = new Float32Array(rows.length * d);
  rows.forEach((r, i) => sub.set(data.subarray(r * d, (r + 1) * d), i * d));
  const p = to3d(sub, rows.length, d, proj);
  const q = to3d(origins, g, d, proj);
  // The grid step: the smallest non-zero distance from the first grid point to the others.
  let step = Infinity;
  for (let j = 1; j < g; j++) {
    const dist = Math.hypot(q[3 * j]! - q[0]!, q[3 * j + 1]! - q[1]!, q[3 * j + 2]! - q[2]!);
    if (dist > 1e-9 && dist < step) step = dist;
  }
  if (!Number.isFinite(step)) return { origins, vectors, spacing: 1 };
  const r2 = (radius * step) ** 2;
  const keep: number[] = [];
  for (let j = 0; j < g; j++) {
    const a = q[3 * j]!,
      b = q[3 * j + 1]!,
      c = q[3 * j + 2]!;
    for (let i = 0; i < rows.length; i++) {
      const dx = p[3 * i]! - a,
        dy = p[3 * i + 1]! - b,
        dz = p[3 * i + 2]! - c;
      if (dx * dx + dy * dy + dz * dz <= r2) {
        keep.push(j);
        break;
      }
    }
  }
  const o = new Float32Array(keep.length * d);
  const v = new Float32Array(keep.length * d);
  keep.forEach((j, i) => {
    o.set(origins.subarray(j * d, (j + 1) * d), i * d);
    v.set(vectors.subarray(j * d, (j + 1) * d), i * d);
  });
  return { origins: o, vectors: v, spacing: step };
}

export class AnalysisState {
  /** The run these results belong to. */
  runId = $state<string | null>(null);
  curve = $state.raw<Float32Array | null>(null);
  surface = $state.raw<SurfaceInput | null>(null);
  tangents = $state.raw<{ input: TangentInput; median: number | null; count: number } | null>(null);
  field = $state.raw<{ input: FieldInput; meanCosine: number | null; count: number; of: number } | null>(
    null,
  );
  trajectories = $state.raw<{ input: TrajectoryInput; from: string; count: number } | null>(null);
  /** What is being computed now, and the last failure. */
  busy = $state<Computed | 'surface' | null>(null);
  error = $state<string | null>(null);

  layers = $state<Record<LayerName, boolean>>({
    data: true,
    recon: false,
    links: false,
    manifold: true,
    tangents: true,
    field: true,
    trajectories: true,
    pca: false,
  });

  /** Parameters. */
  tangentCount = $state(40);
  fieldResolution = $state(10);
  /** Draw only the arrows near the data. */
  nearOnly = $state(true);
  steps = $state(20);
  /** Start this far off the manifold (data units); null = a quarter of the data's spread. */
  offset = $state<number | null>(null);
  mode = $state<'descent' | 'chain'>('descent');

  constructor(private readonly api: ExplorerApi) {}

  reset(runId: string | null): void {
    this.runId = runId;
    this.curve = null;
    this.surface = null;
    this.tangents = null;
    this.field = null;
    this.trajectories = null;
    this.error = null;
    this.busy = null;
  }

  private async run<T>(what: Computed | 'surface', runId: string, fn: () => Promise<T>): Promise<T | null> {
    this.busy = what;
    this.error = null;
    try {
      const out = await fn();
      return this.runId === runId ? out : null;
    } catch (e) {
      if (this.runId === runId) this.error = errorText(e);
      return null;
    } finally {
      if (this.busy === what) this.busy = null;
    }
  }

  async computeSurface(runId: string): Promise<void> {
    const s = await this.run('surface', runId, () => this.api.surface({ runId, resolution: 40 }));
    if (!s) return;
    if (s.kind === 'curve') this.curve = s.vertices.data;
    else if (s.kind === 'mesh') {
      const res = Math.round(Math.sqrt(s.vertices.shape[0]!));
      this.surface = { positions: s.vertices.data, rows: res, cols: res };
    }
  }

  /** Tangent planes at `count` evenly spaced rows, plus the selected row. */
  async computeTangents(runId: string, rows: number, selected: number | null): Promise<void> {
    const indices = spread(rows, this.tangentCount);
    if (selected !== null && !indices.includes(selected)) indices.push(selected);
    const a = await this.run('tangents', runId, () =>
      this.api.analyze({ runId, at: { indices }, tangents: { method: 'decoder' } }),
    );
    if (!a?.tangents) return;
    this.tangents = {
      input: { centres: a.points.data, bases: a.tangents.data, m: a.tangents.shape[1]! },
      median: a.metrics.medianTangentAngle ?? null,
      count: indices.length,
    };
    this.layers = { ...this.layers, tangents: true };
  }

  /**
   * The field r(x) − x on a grid around the data (a finer 2-D grid for d = 2); with `nearOnly`,
   * only the arrows near the data are drawn (`proj` is the view's 3-D projection for d > 3).
   */
  async computeField(
    runId: string,
    data: Float32Array,
    d: number,
    proj: { mean: ArrayLike<number>; components: ArrayLike<number> } | null,
  ): Promise<void> {
    const dims = d === 2 ? 2 : 3;
    const resolution = dims === 2 ? this.fieldResolution * 2 : this.fieldResolution;
    const f = await this.run('field', runId, () => this.api.field({ runId, resolution, dims, padding: 0.1 }));
    if (!f) return;
    let meanCosine: number | null = null;
    if (f.scoreCosines) {
      const c = Array.from(f.scoreCosines.data).filter(Number.isFinite);
      meanCosine = c.length ? c.reduce((s, v) => s + v, 0) / c.length : null;
    }
    const all = f.points.shape[0]!;
    const input = this.nearOnly
      ? nearData(f.points.data, f.vectors.data, data, d, d > 3 ? proj : null)
      : { origins: f.points.data, vectors: f.vectors.data };
    this.field = { input, meanCosine, count: input.origins.length / d, of: all };
    this.layers = { ...this.layers, field: true };
  }

  /**
   * Denoising trajectories x ← x + α (r(x) − x) (or the corrupt-then-denoise chain): from 12
   * noisy copies of the selected row, or from 24 spread rows, each pushed off the manifold.
   */
  async computeTrajectories(
    runId: string,
    rows: number,
    selected: number | null,
    scale: number,
  ): Promise<void> {
    const indices = selected !== null ? Array.from({ length: 12 }, () => selected) : spread(rows, 24);
    const offset = this.offset ?? 0.25 * scale;
    const a = await this.run('trajectories', runId, () =>
      this.api.analyze({
        runId,
        at: { indices },
        trajectories: { steps: this.steps, alpha: 1, mode: this.mode, offset, seed: 7 },
      }),
    );
    if (!a?.trajectories) return;
    this.trajectories = {
      input: { points: a.trajectories.data, steps: a.trajectories.shape[1]! },
      from: selected !== null ? `row ${selected}` : `${indices.length} spread rows`,
      count: indices.length,
    };
    this.layers = { ...this.layers, trajectories: true };
  }
}
