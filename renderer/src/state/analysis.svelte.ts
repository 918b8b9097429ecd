/**
 * What the data-space view draws for the shown run, computed on demand by the engine: the decoded
 * curve or surface (`surface`), tangent planes at sampled or chosen rows (`analyze` with
 * tangents, with the median angle to the true planes for built-in manifolds), the vector field
 * r(x) − x on a grid (`field`), and denoising trajectories from points pushed off the manifold
 * (`analyze` with trajectories). Each result belongs to one run; switching runs clears them.
 */
import type { ExplorerApi } from '../../../electron/shared/contract';
import { DEFAULT_LAYERS } from '../shared/view-types';
import type {
  FieldInput,
  LayerName,
  SurfaceInput,
  TangentInput,
  TrajectoryInput,
} from '../shared/view-types';
import { errorText } from './format';
import { nearData, spread } from './field';

export type Computed = 'tangents' | 'field' | 'trajectories';

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

  layers = $state<Record<LayerName, boolean>>({ ...DEFAULT_LAYERS, recon: false });

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
