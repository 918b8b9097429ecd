/**
 * The options table, read off the schemas: every field of the model configuration and the training
 * options that carries option metadata (`.meta(opt({...}))`), with its kind, its choices, its
 * bounds and its static default. The command line's flags (cli/table-options.ts), the model panel's
 * fields (renderer OptionField.svelte) and docs/options.md are built from `OPTIONS`; nothing else
 * declares an option. A field without metadata is a programming error, reported when the table is
 * built (and by the options tests).
 */
import type { z } from 'zod';
import type { Family } from '../families';
import { ModelConfigInputSchema } from '../model-config';
import { TrainOptionsSchema } from '../train-config';
import type { OptionMeta } from './meta';

export type OptionKind = 'integer' | 'number' | 'choice' | 'switch' | 'list' | 'composite';

export interface Bound {
  value: number;
  inclusive: boolean;
}

export interface OptionSpec {
  /** Where the value lives: 'config.latent', 'train.schedule.kind', 'config.noise' (composite). */
  path: string;
  /** The path's segments under `config` or `train`. */
  keys: readonly string[];
  root: 'config' | 'train';
  meta: OptionMeta;
  kind: OptionKind;
  /** choice: the enum's values. */
  choices?: readonly string[];
  min?: Bound;
  max?: Bound;
  /** list: the bounds of each item, and how many items at most. */
  item?: { min?: Bound; max?: Bound };
  maxItems?: number;
  /** The schema's own default (`.default(v)`); undefined when a resolver decides it. */
  schemaDefault?: unknown;
  /** composite: the fields it is made of (each also a spec, for the panel). */
  parts?: readonly OptionSpec[];
}

type AnySchema = z.core.$ZodType & { meta(): Record<string, unknown> | undefined };

interface Unwrapped {
  inner: AnySchema;
  meta?: OptionMeta;
  schemaDefault?: unknown;
}

/** Strip optional/default/prefault/pipe wrappers, collecting the option metadata and the default. */
function unwrap(s: AnySchema): Unwrapped {
  let meta: OptionMeta | undefined;
  let schemaDefault: unknown;
  let cur = s;
  for (;;) {
    const m = cur.meta()?.option as OptionMeta | undefined;
    if (m && !meta) meta = m;
    const def = cur._zod.def as unknown as {
      type: string;
      innerType?: AnySchema;
      in?: AnySchema;
      defaultValue?: unknown;
    };
    if (def.type === 'default' && schemaDefault === undefined) schemaDefault = def.defaultValue;
    if (
      (def.type === 'optional' ||
        def.type === 'default' ||
        def.type === 'prefault' ||
        def.type === 'nullable' ||
        def.type === 'readonly') &&
      def.innerType
    )
      cur = def.innerType;
    else if (def.type === 'pipe' && def.in) cur = def.in;
    else break;
  }
  return { inner: cur, ...(meta ? { meta } : {}), ...(schemaDefault !== undefined ? { schemaDefault } : {}) };
}

function bounds(s: AnySchema): { min?: Bound; max?: Bound; integer: boolean } {
  const checks = ((s._zod.def as { checks?: { _zod: { def: Record<string, unknown> } }[] }).checks ?? []).map(
    (c) => c._zod.def,
  );
  const out: { min?: Bound; max?: Bound; integer: boolean } = { integer: false };
  for (const c of checks) {
    if (c.check === 'number_format' && (c.format === 'safeint' || c.format === 'int32')) out.integer = true;
    if (c.check === 'greater_than') out.min = { value: c.value as number, inclusive: !!c.inclusive };
    if (c.check === 'less_than') out.max = { value: c.value as number, inclusive: !!c.inclusive };
  }
  return out;
}

function leaf(path: string, keys: string[], root: OptionSpec['root'], u: Unwrapped): OptionSpec {
  if (!u.meta) throw new Error(`options table: ${path} has no option metadata (.meta(opt({...})))`);
  const def = u.inner._zod.def as unknown as {
    type: string;
    entries?: Record<string, string>;
    element?: AnySchema;
    checks?: unknown[];
  };
  const base = {
    path,
    keys,
    root,
    meta: u.meta,
    ...(u.schemaDefault !== undefined ? { schemaDefault: u.schemaDefault } : {}),
  };
  switch (def.type) {
    case 'number': {
      const b = bounds(u.inner);
      return {
        ...base,
        kind: b.integer ? 'integer' : 'number',
        ...(b.min ? { min: b.min } : {}),
        ...(b.max ? { max: b.max } : {}),
      };
    }
    case 'enum':
      return { ...base, kind: 'choice', choices: Object.values(def.entries ?? {}) };
    case 'boolean':
      return { ...base, kind: 'switch' };
    case 'array': {
      const b = bounds(unwrap(def.element!).inner);
      const sizeChecks = ((def.checks ?? []) as { _zod: { def: { check: string; maximum?: number } } }[]).map(
        (c) => c._zod.def,
      );
      const maxItems = sizeChecks.find((c) => c.check === 'max_length')?.maximum;
      return {
        ...base,
        kind: 'list',
        item: { ...(b.min ? { min: b.min } : {}), ...(b.max ? { max: b.max } : {}) },
        ...(maxItems !== undefined ? { maxItems } : {}),
      };
    }
    default:
      throw new Error(`options table: ${path} has a ${def.type} schema, which no field can edit`);
  }
}

function walk(
  shape: Record<string, AnySchema>,
  root: OptionSpec['root'],
  prefix: string[],
  out: OptionSpec[],
): void {
  for (const [name, schema] of Object.entries(shape)) {
    const keys = [...prefix, name];
    const path = [root, ...keys].join('.');
    const u = unwrap(schema);
    const def = u.inner._zod.def as unknown as { type: string; shape?: Record<string, AnySchema> };
    if (def.type === 'object' && def.shape) {
      if (u.meta?.composite) {
        const parts: OptionSpec[] = [];
        walk(def.shape, root, keys, parts);
        out.push({ path, keys, root, meta: u.meta, kind: 'composite', parts });
      } else walk(def.shape, root, keys, out);
    } else out.push(leaf(path, keys, root, u));
  }
}

function build(): OptionSpec[] {
  const out: OptionSpec[] = [];
  walk(ModelConfigInputSchema.shape as unknown as Record<string, AnySchema>, 'config', [], out);
  walk(TrainOptionsSchema.shape as unknown as Record<string, AnySchema>, 'train', [], out);
  return out;
}

/** Every option, in the schemas' order. */
export const OPTIONS: readonly OptionSpec[] = build();

/** Every editable field: the options, with composites replaced by their parts. */
export const FIELDS: readonly OptionSpec[] = OPTIONS.flatMap((o) =>
  o.kind === 'composite' ? o.parts! : [o],
);

const BY_PATH = new Map<string, OptionSpec>([...OPTIONS, ...FIELDS].map((o) => [o.path, o]));

export function optionAt(path: string): OptionSpec {
  const o = BY_PATH.get(path);
  if (!o) throw new Error(`no option at ${path}`);
  return o;
}

/** The option that owns a schema error's path (['noise', 'level'] under config → the --noise option). */
export function optionForIssue(
  root: OptionSpec['root'],
  issuePath: readonly PropertyKey[],
): OptionSpec | undefined {
  const keys = issuePath.map(String);
  for (let i = keys.length; i > 0; i--) {
    const path = [root, ...keys.slice(0, i)].join('.');
    const hit = OPTIONS.find((o) => o.path === path) ?? FIELDS.find((o) => o.path === path);
    if (hit) {
      // A part of a composite speaks through the composite's flag.
      const owner = OPTIONS.find((o) => o.kind === 'composite' && o.parts!.includes(hit));
      return owner ?? hit;
    }
  }
  return undefined;
}

/** The input values a caller sends: `{ config: ModelConfigInput, train: TrainOptionsInput }` as plain objects. */
export interface OptionValues {
  config: Record<string, unknown>;
  train: Record<string, unknown>;
}

export function getAt(values: OptionValues, spec: Pick<OptionSpec, 'root' | 'keys'>): unknown {
  let cur: unknown = values[spec.root];
  for (const k of spec.keys) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[k];
  }
  return cur;
}

export function setAt(values: OptionValues, spec: Pick<OptionSpec, 'root' | 'keys'>, value: unknown): void {
  let cur = values[spec.root];
  spec.keys.forEach((k, i) => {
    if (i === spec.keys.length - 1) cur[k] = value;
    else cur = (cur[k] ??= {}) as Record<string, unknown>;
  });
}

/** Whether the option means anything for this family and these values (its `families` and `when`). */
export function applies(
  spec: OptionSpec,
  family: Family,
  values?: OptionValues,
  resolved?: OptionValues,
): boolean {
  const m = spec.meta;
  if (m.families && !m.families.includes(family)) return false;
  if (m.when) {
    const other = optionAt(m.when.path);
    const v = (values && getAt(values, other)) ?? (resolved && getAt(resolved, other)) ?? other.schemaDefault;
    if (!m.when.is.includes(v as string | number | boolean)) return false;
  }
  return true;
}

export function labelFor(spec: OptionSpec, family: Family): string {
  return spec.meta.labelBy?.[family] ?? spec.meta.label;
}

export function helpFor(spec: OptionSpec, family: Family): string {
  return spec.meta.helpBy?.[family] ?? spec.meta.help;
}
