/**
 * What an option is, beyond its type: the flag, the label, one line of help, the unit, the families
 * it applies to. Declared once, on the zod schema field itself with `.meta({ option: … })` (zod 4's
 * registry), so the command line, the model panel, `--help` and docs/options.md are all read from
 * the schemas (see ./table.ts) and a default is written in one place: the resolvers beside the
 * schemas (family-defaults.ts, train-config.ts). Isomorphic: types and data only.
 */
import type { Family } from '../families';

/** Where an option sits in the model panel (and in docs/options.md). */
export type OptionGroup = 'data' | 'architecture' | 'regulariser' | 'optimisation';

export interface OptionMeta {
  /** The command-line flag, e.g. `--batch-size`. */
  flag: string;
  /** The panel's label (short; also the field's accessible name). */
  label: string;
  /** One line: what it means (the formula where there is one). */
  help: string;
  group: OptionGroup;
  /** Per-family label or help where the same field means a family's own knob (λ vs β). */
  labelBy?: Partial<Record<Family, string>>;
  helpBy?: Partial<Record<Family, string>>;
  /** The unit or the range's meaning, for help and docs ("epochs", "fraction of rows"). */
  unit?: string;
  /** The families it applies to; absent = every family. */
  families?: readonly Family[];
  /** It applies only while another option (a path in the same table) has one of these values. */
  when?: { path: string; is: readonly (string | number | boolean)[] };
  /** Shown under "More options" in the panel (rarely changed). */
  advanced?: boolean;
  /** Display names of an enum's values in the panel (the flag takes the values themselves). */
  choiceLabels?: Readonly<Record<string, string>>;
  /** Enum values a host does not offer on the command line (webgl exists only in the desktop app). */
  cliExclude?: readonly string[];
  /** A boolean flag that sets the field to false (`--ista` sets psd.fista = false), and its help. */
  invert?: boolean;
  invertHelp?: string;
  /** Several fields under one flag: the object's fields written `kind:level` (`--noise gaussian:0.1`). */
  composite?: 'kind:level';
}

declare module 'zod' {
  interface GlobalMeta {
    option?: OptionMeta;
  }
}

/** `.meta(opt({...}))`: the field's option metadata, typed. */
export function opt(meta: OptionMeta): { option: OptionMeta } {
  return { option: meta };
}
