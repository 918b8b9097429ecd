/**
 * Figures against a built-in sample's ground truth (docs/theory.md, "Tangent planes" and "The score r(x) − x"), at the end of every run on
 * such a sample: the median angle between the decoder's tangent planes and the true ones, and the
 * mean cosine between r(x) − x and the true score ∇ log p — on the same 300 rows the app's Compare
 * and the fidelity report use, so the run, the screen and the report give one figure.
 */
import type { Dataset } from '../../shared/dataset';
import type { AnyAutoencoder } from '../models/create';
import type { Normalizer } from '../data/normalize';
import type { ModelView } from '../analysis/model-view';
import { tangentAngles, tangentPlanes } from '../analysis/tangents';
import { scoreCosines, scoreField } from '../analysis/score';
import { sampleRows } from '../analysis/quality';
import { takeRows } from '../data/split';

export interface TruthFigures {
  /** Median (and mean) largest principal angle between the decoder's tangent planes (the column
   *  space of J_g at h = f(x)) and the true ones, degrees. The encoder's view (J_f's leading
   *  right-singular vectors) measured 33–48° for contractive runs whose decoder planes were 2–19°
   *  off on the swiss roll, so the decoder's is the figure for every family. */
  tangentAngleDeg?: { median: number; mean: number; points: number };
  /** Mean cosine of r(x) − x to the true score. */
  scoreCosine?: { mean: number; points: number };
}

/** The rows the truth figures are measured on: up to 300, spread by a fixed seed. */
export function truthRows(rows: number): Uint32Array {
  return sampleRows(rows, 300, 5).rows;
}

export function modelView(model: AnyAutoencoder, normalizer: Normalizer): ModelView {
  return {
    inputDims: model.inputDims,
    latent: model.latent,
    normalizer,
    encode: (t) => model.encode(t),
    decode: (h) => model.decode(h),
    reconstruct: (t) => model.reconstruct(t),
  };
}

const median = (a: ArrayLike<number>) => {
  const s = Array.from(a).sort((x, y) => x - y);
  return s.length ? s[Math.floor((s.length - 1) / 2)]! : NaN;
};
const mean = (a: ArrayLike<number>) => Array.from(a).reduce((x, y) => x + y, 0) / Math.max(1, a.length);

export async function truthFigures(
  model: AnyAutoencoder,
  normalizer: Normalizer,
  ds: Dataset,
): Promise<TruthFigures | undefined> {
  const t = ds.truth;
  if (!t || (!t.tangents && !t.score)) return undefined;
  const at = truthRows(ds.rows);
  const n = at.length;
  const d = ds.dims;
  const points = takeRows(ds.data, d, at);
  const view = modelView(model, normalizer);
  const out: TruthFigures = {};
  if (t.tangents && t.intrinsicDims > 0 && model.latent >= t.intrinsicDims) {
    const m = t.intrinsicDims;
    const est = await tangentPlanes(view, points, n, { method: 'decoder', dims: m });
    const a = tangentAngles(est.tangents, est.m, takeRows(t.tangents, m * d, at), m, n, d);
    out.tangentAngleDeg = { median: median(a), mean: mean(a), points: n };
  }
  if (t.score && model.config.family === 'denoising') {
    const v = await scoreField(view, points, n);
    const cos = scoreCosines(normalizer.scale, v, takeRows(t.score, d, at), n);
    out.scoreCosine = { mean: mean(Array.from(cos).filter(Number.isFinite)), points: n };
  }
  return out;
}
