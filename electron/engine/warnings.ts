/**
 * Warnings a user should see before trusting a run (docs/cli.md, `train`, "warnings"): the options that defeat
 * their family (shared/options/sanity.ts — the same rules the panel and the command line show
 * before training) and one-hot groups that are not one-hot for the categorical output.
 */
import type { Dataset } from '../shared/dataset';
import type { ModelConfig, ResolvedTrainOptions } from '../shared/model-config';
import { optionNotes } from '../shared/options/sanity';

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

export function rangeWarnings(
  config: ModelConfig,
  train: ResolvedTrainOptions,
  trainX: Float32Array,
  dims: number,
  ds: Dataset,
): string[] {
  const [lo, hi] = range(ds.data);
  const out = optionNotes(config, train, {
    rows: ds.rows,
    trainRows: trainX.length / dims,
    dims,
    min: lo,
    max: hi,
  }).map((n) => n.message);
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
  return out;
}
