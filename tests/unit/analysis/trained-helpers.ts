/** Training and viewing helpers for the analysis tests on trained models. */
import { runTraining } from '../../../electron/engine/run';
import type { RunResult } from '../../../electron/engine/run';
import { loadDataset } from '../../../electron/data/load';
import { tangentAngles, tangentPlanes } from '../../../electron/engine/analysis/tangents';
import type { ModelView } from '../../../electron/engine/analysis/model-view';
import type { ModelConfigInput, TrainOptionsInput } from '../../../electron/shared/model-config';
import type { Dataset } from '../../../electron/shared/dataset';

export const view = (r: RunResult): ModelView => ({
  inputDims: r.model.inputDims,
  latent: r.model.latent,
  normalizer: r.normalizer,
  encode: (x) => r.model.encode(x),
  decode: (h) => r.model.decode(h),
  reconstruct: (x) => r.model.reconstruct(x),
});

export async function train(
  dataset: Dataset,
  config: ModelConfigInput,
  train: TrainOptionsInput,
): Promise<RunResult> {
  return runTraining({ dataset, config, train: { valSplit: 0, ...train } });
}

export const median = (a: ArrayLike<number>) => {
  const s = Array.from(a).sort((x, y) => x - y);
  return s[Math.floor((s.length - 1) / 2)]!;
};

/** Median angle (degrees) between the model's tangent planes and the true ones at a sample's points. */
export async function medianAngle(r: RunResult, spec: string): Promise<number> {
  const pts = await loadDataset(spec);
  const m = pts.truth!.intrinsicDims;
  const t = await tangentPlanes(view(r), pts.data, pts.rows, { dims: m });
  return median(tangentAngles(t.tangents, t.m, pts.truth!.tangents!, m, pts.rows, pts.dims));
}
