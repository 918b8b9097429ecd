/**
 * The data-space view's layer inputs, each kept with the data dimension it was computed for: a
 * layer whose d is not the current one belongs to the previous dataset and is not drawn (its
 * prop brings the new one, in whatever order the view's effects run).
 */
import type {
  FieldInput,
  PlaneInput,
  SurfaceInput,
  TangentInput,
  TrajectoryInput,
} from '../shared/view-types';

export interface LayerValues {
  curve: Float32Array | null;
  surface: SurfaceInput | null;
  tangents: TangentInput | null;
  field: FieldInput | null;
  trajectories: TrajectoryInput | null;
  pca: PlaneInput | null;
}

export type LayerInputKey = keyof LayerValues;

export class LayerInputs {
  private readonly values: LayerValues = {
    curve: null,
    surface: null,
    tangents: null,
    field: null,
    trajectories: null,
    pca: null,
  };
  private readonly dims: Partial<Record<LayerInputKey, number>> = {};

  set<K extends LayerInputKey>(key: K, value: LayerValues[K], d: number): void {
    this.values[key] = value;
    this.dims[key] = d;
    // One decoded manifold at a time: a curve (or nothing) replaces a surface, a surface a curve.
    if (key === 'curve') this.values.surface = null;
    if (key === 'surface' && value) this.values.curve = null;
  }

  /** The inputs that belong to data of dimension d (null for the others). */
  current(d: number): LayerValues {
    const v = this.values;
    const ok = (k: LayerInputKey): boolean => this.dims[k] === d;
    return {
      curve: ok('curve') ? v.curve : null,
      surface: ok('surface') ? v.surface : null,
      tangents: ok('tangents') ? v.tangents : null,
      field: ok('field') ? v.field : null,
      trajectories: ok('trajectories') ? v.trajectories : null,
      pca: ok('pca') ? v.pca : null,
    };
  }
}
