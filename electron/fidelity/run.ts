/**
 * Runs the fidelity cases: each family trained on its samples with the defaults (only the family,
 * the data and the seed given, plus any `set` values), one row per case and seed with its figures
 * against their targets. Seeds vary the sample's draw and the training together.
 */
import { loadDataset } from '../data/load';
import { runTraining } from '../engine/run';
import { optionAt, setAt, type OptionValues } from '../shared/options/table';
import { parseText } from '../shared/options/values';
import { FIDELITY_CASES, FIGURES, type FidelityCase } from './cases';

export interface FidelityFigure {
  name: string;
  value: number | null;
  /** False when the figure means nothing for this run (it then passes). */
  applies: boolean;
  op: '≤' | '≥';
  target: number;
  pass: boolean;
}

export interface FidelityRow {
  family: string;
  sample: string;
  /** The case's own settings, as flags would say them ("train.normalize=none"). */
  set?: string;
  seed: number;
  figures: FidelityFigure[];
  pass: boolean;
  epochs: number;
  stopped: string;
  seconds: number;
}

export interface FidelityOptions {
  seeds: readonly number[];
  /** Smaller samples, for CI. */
  quick?: boolean;
  cases?: readonly FidelityCase[];
  /** Values set on top of the defaults (experiments, recipes). */
  set?: OptionValues;
  onRow?: (row: FidelityRow) => void;
  signal?: AbortSignal;
}

function spec(c: FidelityCase, seed: number, quick: boolean): string {
  const params = [`seed=${seed}`];
  if (quick && c.quick?.rows) params.push(`rows=${c.quick.rows}`);
  return `${c.sample}${c.sample.includes('?') ? '&' : '?'}${params.join('&')}`;
}

export async function runCase(
  c: FidelityCase,
  seed: number,
  opts: Pick<FidelityOptions, 'quick' | 'set' | 'signal'> = {},
): Promise<FidelityRow> {
  const t0 = performance.now();
  const dataset = await loadDataset(spec(c, seed, !!opts.quick));
  const own: OptionValues = { config: {}, train: {} };
  for (const [path, text] of Object.entries(c.set ?? {})) {
    const o = optionAt(path);
    const v = parseText(o, text);
    if (v.ok) setAt(own, o, v.value);
  }
  const r = await runTraining(
    {
      dataset,
      config: { ...own.config, ...opts.set?.config, family: c.family },
      train: { ...own.train, ...opts.set?.train, seed },
    },
    {},
    opts.signal,
  );
  try {
    const figures = c.figures.map((key): FidelityFigure => {
      const f = FIGURES[key];
      const value = f.read(r.metrics);
      const applies = 'applies' in f ? f.applies(r.metrics) : true;
      const pass =
        !applies ||
        (value !== null &&
          Number.isFinite(value) &&
          (f.target.op === '≤' ? value <= f.target.value : value >= f.target.value));
      return { name: f.name, value, applies, op: f.target.op, target: f.target.value, pass };
    });
    return {
      family: c.family,
      sample: c.sample,
      ...(c.set
        ? {
            set: Object.entries(c.set)
              .map(([k, v]) => `${k}=${v}`)
              .join(' '),
          }
        : {}),
      seed,
      figures,
      pass: figures.every((f) => f.pass),
      epochs: r.history.length,
      stopped: r.stopped,
      seconds: (performance.now() - t0) / 1000,
    };
  } finally {
    r.model.dispose();
  }
}

export async function runFidelity(opts: FidelityOptions): Promise<FidelityRow[]> {
  const rows: FidelityRow[] = [];
  const cases = (opts.cases ?? FIDELITY_CASES).filter((c) => !opts.quick || c.quick);
  for (const c of cases)
    for (const seed of opts.seeds) {
      if (opts.signal?.aborted) return rows;
      const row = await runCase(c, seed, opts);
      rows.push(row);
      opts.onRow?.(row);
    }
  return rows;
}
