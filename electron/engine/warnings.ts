/**
 * Warnings a user should see before trusting a run (SPEC "Scale mismatch"): an output distribution
 * that does not fit the data's range, and capacity that lets the model copy its input.
 */
import type { Dataset } from '../shared/dataset';
import type { ModelConfig, ResolvedTrainOptions } from '../shared/model-config';

function range(x: Float32Array): [number, number] {
  let lo = Infinity,
    hi = -Infinity;
  for (let i = 0; i < x.length; i++) {
    const v = x[i]!;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return [lo, hi];
}

const fmt = (v: number) => Number(v.toPrecision(4)).toString();

export function rangeWarnings(
  config: ModelConfig,
  train: ResolvedTrainOptions,
  trainX: Float32Array,
  dims: number,
  ds: Dataset,
): string[] {
  const out: string[] = [];
  if (config.output === 'bernoulli') {
    const [lo, hi] = range(trainX);
    if (lo < -1e-6 || hi > 1 + 1e-6)
      out.push(
        `the bernoulli output models values in [0, 1], but the ${train.normalize === 'none' ? 'data' : `${train.normalize}-normalised data`} span [${fmt(lo)}, ${fmt(hi)}]; use --normalize minmax (or --output gaussian)`,
      );
  }
  if (config.output === 'categorical' && ds.categorical) {
    const bad = ds.categorical.filter((g) => {
      for (let r = 0; r < trainX.length / dims; r++) {
        let s = 0;
        for (let c = g.start; c < g.start + g.levels.length; c++) {
          const v = trainX[r * dims + c]!;
          if (v !== 0 && v !== 1) return true;
          s += v;
        }
        if (s !== 1) return true;
      }
      return false;
    });
    if (bad.length)
      out.push(
        `the categorical output expects one-hot columns, but ${bad.map((g) => g.name).join(', ')} are not 0/1 with one 1 per row`,
      );
  }
  if (config.output === 'gaussian' && train.normalize === 'none') {
    const [lo, hi] = range(trainX);
    if (hi - lo > 1e3)
      out.push(
        `the data span [${fmt(lo)}, ${fmt(hi)}] without normalisation; squared errors will be dominated by the widest columns; use --normalize standard`,
      );
  }
  // Regularised families (sparse, denoising, contractive…) may be overcomplete; these may not.
  if (['linear', 'undercomplete', 'deep'].includes(config.family) && config.latent >= dims)
    out.push(
      `the code (k = ${config.latent}) is not smaller than the input (d = ${dims}): an undercomplete autoencoder can copy its input without learning structure`,
    );
  return out;
}
