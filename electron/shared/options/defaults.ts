/**
 * Defaults as every face shows them: the resolvers beside the schemas (resolveFamilyDefaults,
 * resolveTrainOptions) are the one place a default is decided; this module asks them. The panel
 * shows the default for the user's family, dataset and other fields; `--help` and docs/options.md
 * show how it varies by family and by the data's size.
 */
import { FAMILIES, type DataShape, type Family } from '../families';
import { modelConfigSchemaFor, type ModelConfig } from '../model-config';
import {
  TrainOptionsSchema,
  resolveTrainOptions,
  validationCount,
  type ResolvedTrainOptions,
} from '../train-config';
import { getAt, type OptionSpec, type OptionValues } from './table';
import { formatValue } from './values';

export type { DataShape };

export interface Resolution {
  config: ModelConfig;
  train: ResolvedTrainOptions;
  /** The same, as option values (for getAt). */
  values: OptionValues;
}

/** Resolve what the caller set (blank = default) for this data, or null when the input is invalid. */
export function resolveOptions(values: OptionValues, data: DataShape): Resolution | null {
  const c = modelConfigSchemaFor(data).safeParse(values.config);
  const t = TrainOptionsSchema.safeParse(values.train);
  if (!c.success || !t.success) return null;
  const trainRows = data.rows - validationCount(data.rows, t.data.valSplit);
  const train = resolveTrainOptions(t.data, c.data, trainRows, data.dims);
  return {
    config: c.data,
    train,
    values: {
      config: c.data as unknown as Record<string, unknown>,
      train: train as unknown as Record<string, unknown>,
    },
  };
}

/** The resolved value of one option for a family with nothing else set. */
export function defaultFor(spec: OptionSpec, family: Family, data: DataShape): unknown {
  const r = resolveOptions({ config: { family }, train: {} }, data);
  return r ? getAt(r.values, spec) : undefined;
}

/**
 * Data sizes the docs and `--help` state defaults for: a built-in sample, a mid-sized table, and
 * an image set the size of Fashion-MNIST.
 */
export const REFERENCE_DATA: readonly (DataShape & { name: string; short: string })[] = [
  { name: '2,000 × 3 (a built-in sample)', short: '2,000 × 3', rows: 2000, dims: 3 },
  { name: '20,000 × 64', short: '20,000 × 64', rows: 20_000, dims: 64 },
  { name: '60,000 × 784 (Fashion-MNIST)', short: '60,000 × 784', rows: 60_000, dims: 784 },
];

export interface DefaultText {
  /** "64; deep 128, 64; linear, psd none": the value most families get, then the exceptions. */
  text: string;
  /** The families whose default changes with the data's size (REFERENCE_DATA). */
  dataDependent: Family[];
}

/** How an option's default varies, among the families it applies to, at `data` and across data sizes. */
export function describeDefault(spec: OptionSpec, data: DataShape = REFERENCE_DATA[0]!): DefaultText {
  const families = spec.meta.families ?? FAMILIES;
  const text = (f: Family, d: DataShape) => formatValue(spec, defaultFor(spec, f, d));
  const byValue = new Map<string, Family[]>();
  for (const f of families) {
    const v = text(f, data);
    byValue.set(v, [...(byValue.get(v) ?? []), f]);
  }
  const ranked = [...byValue.entries()].sort((a, b) => b[1].length - a[1].length);
  const [common] = ranked;
  let out = common ? common[0] || '(none)' : '';
  if (ranked.length > 1)
    out +=
      '; ' +
      ranked
        .slice(1)
        .map(([v, fs]) => `${fs.join(', ')} ${v}`)
        .join('; ');
  return {
    text: out,
    dataDependent: families.filter((f) => REFERENCE_DATA.some((d) => text(f, d) !== text(f, data))),
  };
}
