/**
 * The command line's model and training flags, built from the options table
 * (shared/options/table.ts): the flag, the help line, the choices and the argument's parser come
 * from each schema field's metadata, and the help states the real defaults (asked of the
 * resolvers, shared/options/defaults.ts). `valuesFromCli` turns the parsed flags back into the
 * config and train inputs, and says which given flags do not apply to the chosen family.
 */
import { InvalidArgumentError, Option, type Command } from 'commander';
import type { z } from 'zod';
import { FAMILIES, type Family } from '../shared/families';
import { REFERENCE_DATA, describeDefault, resolveOptions, type DataShape } from '../shared/options/defaults';
import {
  OPTIONS,
  applies,
  optionForIssue,
  setAt,
  type OptionSpec,
  type OptionValues,
} from '../shared/options/table';
import { parseText } from '../shared/options/values';

const ARG: Record<OptionSpec['kind'], string> = {
  integer: 'n',
  number: 'x',
  choice: 'name',
  switch: '',
  list: 'widths',
  composite: 'kind:level',
};

function flagOption(spec: OptionSpec): Option[] {
  const m = spec.meta;
  const help = helpLine(spec);
  if (spec.kind === 'switch') {
    if (m.invert) return [new Option(m.flag, `${familyPrefix(spec)}${m.invertHelp ?? m.help}`)];
    return [new Option(m.flag, help), new Option(`--no-${m.flag.slice(2)}`, `turn ${m.flag} off`)];
  }
  const o = new Option(`${m.flag} <${ARG[spec.kind]}>`, help);
  if (spec.kind === 'choice') o.choices(spec.choices!.filter((c) => !m.cliExclude?.includes(c)));
  else
    o.argParser((text: string) => {
      const r = parseText(spec, text);
      if (!r.ok) throw new InvalidArgumentError(`${r.error}.`);
      return r.value;
    });
  return [o];
}

function familyPrefix(spec: OptionSpec): string {
  const fs = spec.meta.families;
  if (!fs || fs.length === FAMILIES.length) return '';
  const others = FAMILIES.filter((f) => !fs.includes(f));
  return fs.length <= others.length ? `${fs.join(', ')}: ` : `all but ${others.join(', ')}: `;
}

/**
 * "vae: β rises … (default 0.2)", with the default as the resolvers decide it; one that changes with
 * the data reads "(default on 2,000 × 3: 420; linear 500 · on 60,000 × 784: 100)".
 */
export function helpLine(spec: OptionSpec): string {
  if (spec.path === 'config.family') return spec.meta.help;
  const d = describeDefault(spec);
  let text = d.text;
  if (d.dataDependent.length) {
    const parts: string[] = [];
    let last = '';
    for (const ref of REFERENCE_DATA) {
      const t = describeDefault(spec, ref).text;
      if (t !== last) parts.push(`on ${ref.short}: ${t}`);
      last = t;
    }
    text = parts.join(' · ');
  }
  return `${familyPrefix(spec)}${spec.meta.help} (default ${text})`;
}

/** Add the table's flags (all, or those whose path `pick` accepts) to a command. */
export function addTableOptions(cmd: Command, pick: (spec: OptionSpec) => boolean = () => true): Command {
  for (const spec of OPTIONS.filter(pick)) for (const o of flagOption(spec)) cmd.addOption(o);
  return cmd;
}

function attribute(spec: OptionSpec): string {
  return new Option(
    spec.kind === 'switch' || spec.kind === 'choice' ? spec.meta.flag : `${spec.meta.flag} <v>`,
  ).attributeName();
}

export interface CliValues {
  values: OptionValues;
  /** The flags given that mean nothing for this family or these settings, each with why. */
  inapplicable: { spec: OptionSpec; why: string }[];
}

/**
 * The parsed flags → `{config, train}` inputs, with the given flags that do not apply (an option of
 * another family, momentum without sgd…): `withoutInapplicable` leaves those out.
 */
export function valuesFromCli(cmd: Command, data?: DataShape): CliValues {
  const parsed = cmd.opts() as Record<string, unknown>;
  const values: OptionValues = { config: {}, train: {} };
  const given: OptionSpec[] = [];
  for (const spec of OPTIONS) {
    const key = attribute(spec);
    if (parsed[key] === undefined) continue;
    let v = parsed[key];
    if (spec.kind === 'switch' && spec.meta.invert) v = !v;
    if (spec.kind === 'composite')
      for (const [k, x] of Object.entries(v as object))
        setAt(values, { root: spec.root, keys: [...spec.keys, k] }, x);
    else setAt(values, spec, v);
    if (cmd.getOptionValueSource(key) === 'cli') given.push(spec);
  }
  const family = (values.config.family ?? 'undercomplete') as Family;
  const resolved = resolveOptions(values, data ?? { rows: 2000, dims: 3 })?.values;
  const inapplicable: CliValues['inapplicable'] = [];
  for (const spec of given) {
    if (applies(spec, family, values, resolved)) continue;
    const m = spec.meta;
    const why =
      m.families && !m.families.includes(family)
        ? `applies to ${m.families.join(', ')}, not ${family}`
        : `applies only with ${OPTIONS.find((o) => o.path === m.when!.path)?.meta.flag ?? m.when!.path} ${m.when!.is.join(' or ')}`;
    inapplicable.push({ spec, why: `${m.flag} ${why}; ignored` });
  }
  return { values, inapplicable };
}

/** The values without the inapplicable flags' fields. */
export function withoutInapplicable(v: CliValues): OptionValues {
  const out: OptionValues = structuredClone(v.values);
  for (const { spec } of v.inapplicable) {
    let cur: Record<string, unknown> | undefined = out[spec.root];
    for (const k of spec.keys.slice(0, -1)) cur = cur?.[k] as Record<string, unknown> | undefined;
    if (cur) delete cur[spec.keys.at(-1)!];
  }
  return out;
}

/** A schema error, in flags: "--noise: a mask or salt-pepper probability must be in [0, 1]". */
export function explainIssues(root: OptionSpec['root'], e: z.ZodError): string {
  return e.issues
    .map((i) => `${optionForIssue(root, i.path)?.meta.flag ?? i.path.map(String).join('.')}: ${i.message}`)
    .join('; ');
}
