/**
 * The model panel's form: the family and, per option of the options table
 * (electron/shared/options/table.ts), the text the user typed — blank means the default, which the
 * engine's resolvers decide and the panel shows as each field's placeholder. `input` is what
 * startTraining receives; `errors` checks each field with the same parser as the command line and
 * the whole with the engine's schemas, so a bad field is flagged beside it before anything is sent.
 */
import {
  ModelConfigSchema,
  TrainOptionsSchema,
  describeZodError,
  validationCount,
} from '../../../electron/shared/model-config';
import type { Family, ModelConfigInput, TrainOptionsInput } from '../../../electron/shared/model-config';
import { FIELDS, applies, getAt, optionAt, setAt } from '../../../electron/shared/options/table';
import type { OptionSpec, OptionValues } from '../../../electron/shared/options/table';
import { resolveOptions, type DataShape, type Resolution } from '../../../electron/shared/options/defaults';
import { formatValue, parseText } from '../../../electron/shared/options/values';
import type { DatasetSummary } from '../../../electron/shared/contract';
import { fieldErrors } from './format';
import { optionNotes, type OptionNote } from '../../../electron/shared/options/sanity';

/** The fields the form edits (the family has its own picker). */
export const FORM_FIELDS: readonly OptionSpec[] = FIELDS.filter((f) => f.path !== 'config.family');

/** A dataset's shape for the defaults that depend on it (a nominal sample before one is loaded). */
export function shapeOf(summary: DatasetSummary | null): DataShape {
  return summary ? { rows: summary.rows, dims: summary.dims } : { rows: 2000, dims: 3 };
}

export class ModelForm {
  family = $state<Family>('undercomplete');
  /** What the user typed, by option path ('train.epochs'); absent or blank = the default. */
  text = $state<Record<string, string>>({});
  /** Messages the engine sent back for fields (bad-config), until the field changes. */
  serverErrors = $state<Record<string, string>>({});

  /** Each typed field → its value, or its parse error. */
  private readonly parsed = $derived.by(() => {
    const values: OptionValues = { config: { family: this.family }, train: {} };
    const errors: Record<string, string> = {};
    for (const spec of FORM_FIELDS) {
      const t = this.text[spec.path]?.trim() ?? '';
      if (t === '') continue;
      const r = parseText(spec, t);
      if (r.ok) setAt(values, spec, r.value);
      else errors[spec.path] = r.error;
    }
    return { values, errors };
  });

  /** The typed values that apply to this family and these settings: what startTraining receives. */
  readonly values = $derived.by((): OptionValues => {
    const all = this.parsed.values;
    const out: OptionValues = { config: { family: this.family }, train: {} };
    for (const spec of FORM_FIELDS) {
      const v = getAt(all, spec);
      if (v !== undefined && applies(spec, this.family, all)) setAt(out, spec, v);
    }
    return out;
  });

  readonly input = $derived({
    config: this.values.config as ModelConfigInput,
    train: this.values.train as TrainOptionsInput,
  });

  /** Field path → message, from the parser, the schemas and the engine. */
  readonly errors = $derived.by((): Record<string, string> => {
    const out: Record<string, string> = {};
    for (const [path, msg] of Object.entries(this.parsed.errors))
      if (applies(optionAt(path), this.family, this.parsed.values)) out[path] = msg;
    const c = ModelConfigSchema.safeParse(this.input.config);
    if (!c.success)
      for (const [k, v] of Object.entries(fieldErrors(describeZodError(c.error, 'config')))) out[k] ??= v;
    const t = TrainOptionsSchema.safeParse(this.input.train);
    if (!t.success)
      for (const [k, v] of Object.entries(fieldErrors(describeZodError(t.error, 'train')))) out[k] ??= v;
    for (const [key, msg] of Object.entries(this.serverErrors)) out[key] ??= msg;
    return out;
  });

  readonly valid = $derived(Object.keys(this.errors).length === 0);

  /** Everything resolved for this dataset: the defaults the blank fields will get. */
  resolved(summary: DatasetSummary | null): Resolution | null {
    return (
      resolveOptions(this.values, shapeOf(summary)) ??
      resolveOptions({ config: { family: this.family }, train: {} }, shapeOf(summary))
    );
  }

  /** The fields shown for this family and these settings (their `families` and `when`). */
  shown(resolved: Resolution | null): OptionSpec[] {
    return FORM_FIELDS.filter((s) => applies(s, this.family, this.parsed.values, resolved?.values));
  }

  /** "64, 32": a field's default as its placeholder says it. */
  defaultText(spec: OptionSpec, resolved: Resolution | null): string {
    return resolved ? formatValue(spec, getAt(resolved.values, spec)) : '';
  }

  /** The first message for a field or one of its sub-fields. */
  errorFor(path: string): string | undefined {
    return this.errors[path] ?? Object.entries(this.errors).find(([p]) => p.startsWith(`${path}.`))?.[1];
  }

  /** A value as typed for any option path (a recipe's, a fix's): a composite fills its fields. */
  assign(path: string, text: string): void {
    const spec = optionAt(path);
    if (spec.kind !== 'composite') return this.set(path, text);
    const r = parseText(spec, text);
    if (!r.ok) return;
    const v = r.value as Record<string, unknown>;
    for (const part of spec.parts!) this.set(part.path, formatValue(part, v[part.keys.at(-1)!]));
  }

  set(path: string, text: string): void {
    this.text = { ...this.text, [path]: text };
    if (this.serverErrors[path]) {
      const { [path]: _gone, ...rest } = this.serverErrors;
      this.serverErrors = rest;
    }
  }

  /**
   * What the resolved settings defeat on this dataset (shared/options/sanity.ts: a Bernoulli output
   * on data outside [0, 1], a code no smaller than the input, a batch larger than the rows…), for
   * the notes beside the fields.
   */
  notes(summary: DatasetSummary | null): OptionNote[] {
    const r = this.resolved(summary);
    if (!summary || !r) return [];
    return optionNotes(r.config, r.train, {
      rows: summary.rows,
      trainRows: summary.rows - validationCount(summary.rows, r.train.valSplit),
      dims: summary.dims,
      min: summary.range.min,
      max: summary.range.max,
    });
  }

  /** Rough parameter count of the resolved model: dense layers d → hidden… → k and back. */
  paramCount(summary: DatasetSummary): number | null {
    const r = this.resolved(summary);
    if (!r) return null;
    const d = summary.dims;
    const { latent: k, hidden, tied } = r.config;
    const widths = [d, ...hidden, this.family === 'vae' ? 2 * k : k];
    let enc = 0;
    let weights = 0;
    for (let i = 1; i < widths.length; i++) {
      enc += widths[i - 1]! * widths[i]! + widths[i]!;
      weights += widths[i - 1]! * widths[i]!;
    }
    const dec = [k, ...[...hidden].reverse(), d];
    let decoder = 0;
    for (let i = 1; i < dec.length; i++) decoder += dec[i - 1]! * dec[i]! + dec[i]!;
    return enc + (tied ? decoder - weights : decoder);
  }

  setFamily(f: Family): void {
    this.family = f;
    this.serverErrors = {};
  }

  /** After a failed start: the engine's message, split by field where it names one. */
  setServerError(message: string): boolean {
    const e = fieldErrors(message);
    this.serverErrors = e;
    return Object.keys(e).length > 0;
  }
}
