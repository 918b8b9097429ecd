/**
 * One options table: every schema field is an option with a flag, a panel field and help; the
 * command line's flags, `--help`'s defaults and the panel's placeholders are read from it and agree
 * with what the engine resolves; a family's irrelevant options are hidden in the panel and warned
 * about (and dropped) on the command line.
 */
import { Command } from 'commander';
import type { z } from 'zod';
import {
  FAMILIES,
  ModelConfigInputSchema,
  ModelConfigSchema,
  TrainOptionsSchema,
  parseModelConfig,
  parseTrainOptions,
  resolveTrainOptions,
  validationCount,
  type Family,
} from '../../../electron/shared/model-config';
import { FIELDS, OPTIONS, applies, getAt } from '../../../electron/shared/options/table';
import { resolveOptions } from '../../../electron/shared/options/defaults';
import { formatValue, parseText } from '../../../electron/shared/options/values';
import {
  addTableOptions,
  helpLine,
  valuesFromCli,
  withoutInapplicable,
} from '../../../electron/cli/table-options';
import { buildProgram } from '../../../electron/cli/program';
import { FORM_FIELDS, ModelForm } from '../../../renderer/src/state/model-form.svelte';

/** The schemas' leaves, walked independently of the table. */
function leaves(shape: Record<string, z.core.$ZodType>, prefix: string): string[] {
  const out: string[] = [];
  for (const [k, s] of Object.entries(shape)) {
    let cur = s as z.core.$ZodType;
    for (;;) {
      const d = cur._zod.def as { type: string; innerType?: z.core.$ZodType; in?: z.core.$ZodType };
      if (d.innerType) cur = d.innerType;
      else if (d.type === 'pipe' && d.in) cur = d.in;
      else break;
    }
    const d = cur._zod.def as { type: string; shape?: Record<string, z.core.$ZodType> };
    if (d.type === 'object' && d.shape) out.push(...leaves(d.shape, `${prefix}.${k}`));
    else out.push(`${prefix}.${k}`);
  }
  return out;
}

const SCHEMA_LEAVES = [
  ...leaves(ModelConfigInputSchema.shape as never, 'config'),
  ...leaves(TrainOptionsSchema.shape as never, 'train'),
];

function trainHelp(): string {
  let text = '';
  const program = buildProgram({ out: (s) => (text += s), err: () => {} }, 'test');
  program.commands.find((c) => c.name() === 'train')!.outputHelp();
  return text.replace(/\s+/g, ' ');
}

/** What the engine resolves for a family with nothing else set (2,000 rows × 3, as --help states). */
function engineDefault(path: string, family: Family): unknown {
  const config = parseModelConfig({ family }, 'model', { rows: 2000, dims: 3 });
  const t = parseTrainOptions({});
  const train = resolveTrainOptions(t, config, 2000 - validationCount(2000, t.valSplit), 3);
  return getAt(
    { config: config as never, train: train as never },
    OPTIONS.find((o) => o.path === path) ?? FIELDS.find((o) => o.path === path)!,
  );
}

describe('the options table', () => {
  test('every field of the schemas is in the table, with a flag, a label, help and a group', () => {
    expect(FIELDS.map((f) => f.path).sort()).toEqual([...SCHEMA_LEAVES].sort());
    for (const o of [...OPTIONS, ...FIELDS]) {
      expect(o.meta.flag, o.path).toMatch(/^--[a-z][a-z-]*$/);
      expect(o.meta.label.length, o.path).toBeGreaterThan(0);
      expect(o.meta.help.length, o.path).toBeGreaterThan(10);
    }
    // One flag per option (a composite's parts speak through its flag).
    const flags = OPTIONS.map((o) => o.meta.flag);
    expect(new Set(flags).size).toBe(flags.length);
  });

  test('the text parser follows the schema: bounds, choices, widths, kind:level', () => {
    const at = (p: string) => FIELDS.find((f) => f.path === p) ?? OPTIONS.find((o) => o.path === p)!;
    expect(parseText(at('config.latent'), '0')).toEqual({
      ok: false,
      error: 'expected a whole number ≥ 1 and ≤ 4096',
    });
    expect(parseText(at('config.latent'), '3')).toEqual({ ok: true, value: 3 });
    expect(parseText(at('config.hidden'), '64, 32')).toEqual({ ok: true, value: [64, 32] });
    expect(parseText(at('config.hidden'), 'none')).toEqual({ ok: true, value: [] });
    expect(parseText(at('config.hidden'), '64,-1').ok).toBe(false);
    expect(parseText(at('config.noise'), 'mask:0.3')).toEqual({
      ok: true,
      value: { kind: 'mask', level: 0.3 },
    });
    expect(parseText(at('config.noise'), 'pink:1').ok).toBe(false);
    expect(parseText(at('train.lr'), '0').ok).toBe(false); // positive
    expect(parseText(at('train.valSplit'), '0.95').ok).toBe(false); // ≤ 0.9
    expect(parseText(at('config.activation'), 'tanh')).toEqual({ ok: true, value: 'tanh' });
    // And every parsed value passes the schema it came from.
    const v = {
      config: { family: 'denoising', noise: { kind: 'mask', level: 0.3 }, hidden: [64, 32] },
      train: {},
    };
    expect(ModelConfigSchema.safeParse(v.config).success).toBe(true);
  });
});

describe('the command line reads the table', () => {
  const help = trainHelp();

  test('every option is a flag of train, and --help states the default the engine resolves', () => {
    const train = buildProgram({ out: () => {}, err: () => {} }, 'test').commands.find(
      (c) => c.name() === 'train',
    )!;
    const longs = new Set(train.options.map((o) => o.long));
    for (const o of OPTIONS) expect(longs, o.meta.flag).toContain(o.meta.flag);
    for (const o of OPTIONS) {
      if (o.path === 'config.family') continue;
      if (o.meta.invert) {
        expect(help).toContain(`${o.meta.flag} psd: ${o.meta.invertHelp}`);
        continue;
      }
      const line = helpLine(o).replace(/\s+/g, ' ');
      expect(help).toContain(line);
      for (const f of o.meta.families ?? FAMILIES) {
        const v = formatValue(o, engineDefault(o.path, f));
        expect(line, `${o.meta.flag} for ${f}`).toContain(v);
      }
    }
    // Spot checks against the values written in the resolvers.
    expect(help).toMatch(/--latent <n> .*\(default 2\)/);
    expect(help).toMatch(
      /--hidden <widths> .*\(default on 2,000 × 3: 64, 64, 64 · on 20,000 × 64: 64; deep 128, 64\)/,
    );
    expect(help).toMatch(
      /--patience <n> .*\(default on 2,000 × 3: 0; psd 25 · on 20,000 × 64: 25; linear 0\)/,
    );
  });

  function parse(args: string[]) {
    const cmd = addTableOptions(new Command().exitOverride());
    cmd.parse(args, { from: 'user' });
    return valuesFromCli(cmd);
  }

  test('flags become the config and train inputs, through the same paths as the panel', () => {
    const v = parse([
      '--model',
      'denoising',
      '--noise',
      'mask:0.3',
      '--hidden',
      '32,16',
      '--epochs',
      '7',
      '--no-tied',
    ]);
    expect(v.inapplicable).toEqual([]);
    expect(v.values).toEqual({
      config: { family: 'denoising', noise: { kind: 'mask', level: 0.3 }, hidden: [32, 16], tied: false },
      train: { epochs: 7 },
    });
    expect(parse(['--model', 'psd', '--ista']).values.config).toEqual({
      family: 'psd',
      psd: { fista: false },
    });
    expect(parse(['--model', 'sparse', '--lr-schedule', 'step', '--lr-every', '5']).values.train).toEqual({
      schedule: { kind: 'step', every: 5 },
    });
  });

  test("a family's irrelevant flags are reported and dropped", () => {
    const v = parse([
      '--model',
      'denoising',
      '--lambda',
      '0.5',
      '--momentum',
      '0.5',
      '--noise',
      'gaussian:0.2',
    ]);
    expect(v.inapplicable.map((i) => i.why)).toEqual([
      '--lambda applies to sparse, contractive, vae, psd, not denoising; ignored',
      '--momentum applies only with --optimizer sgd; ignored',
    ]);
    expect(withoutInapplicable(v)).toEqual({
      config: { family: 'denoising', noise: { kind: 'gaussian', level: 0.2 } },
      train: {},
    });
    expect(parse(['--model', 'contractive', '--noise', 'mask:0.1']).inapplicable).toHaveLength(1);
  });
});

describe('the model panel reads the table', () => {
  test('every field is shown for some family; each family shows exactly the fields that apply to it', () => {
    const seen = new Set<string>();
    for (const f of FAMILIES) {
      const form = new ModelForm();
      form.setFamily(f);
      // Turn on the settings that reveal conditional fields.
      form.set('config.contractive.method', 'stochastic');
      form.set('config.pretrain.mode', 'greedy');
      form.set('train.optimizer', 'sgd');
      const r = form.resolved(null);
      const shown = form.shown(r).map((s) => s.path);
      for (const p of shown) seen.add(p);
      expect(shown).toEqual(
        FORM_FIELDS.filter((s) => applies(s, f, form.values, r?.values)).map((s) => s.path),
      );
      if (f !== 'denoising') expect(shown).not.toContain('config.noise.level');
      if (f !== 'vae') expect(shown).not.toContain('config.klWarmup');
    }
    for (const kind of ['step', 'exponential', 'cosine']) {
      const form = new ModelForm();
      form.set('train.schedule.kind', kind);
      for (const p of form.shown(form.resolved(null)).map((s) => s.path)) seen.add(p);
    }
    expect([...seen].sort()).toEqual(FORM_FIELDS.map((s) => s.path).sort());
  });

  test('placeholders are the defaults the engine resolves for the family and the dataset', () => {
    for (const f of FAMILIES) {
      const form = new ModelForm();
      form.setFamily(f);
      const r = form.resolved(null)!;
      for (const spec of form.shown(r)) {
        const dflt = FIELDS.includes(spec) ? engineDefault(spec.path, f) : undefined;
        expect(form.defaultText(spec, r), `${spec.path} for ${f}`).toBe(formatValue(spec, dflt));
      }
    }
    // Data-dependent: linear takes full batches on 2,000 rows, 64-row batches on 60,000.
    const lin = new ModelForm();
    lin.setFamily('linear');
    const batch = FIELDS.find((s) => s.path === 'train.batchSize')!;
    expect(lin.defaultText(batch, resolveOptions(lin.values, { rows: 2000, dims: 3 }))).toBe('0');
    expect(lin.defaultText(batch, resolveOptions(lin.values, { rows: 60_000, dims: 784 }))).toBe('64');
  });

  test('typed values reach startTraining; bad or irrelevant ones do not', () => {
    const form = new ModelForm();
    form.setFamily('contractive');
    form.set('config.lambda', '-1');
    expect(form.errors['config.lambda']).toMatch(/≥ 0/);
    expect(form.valid).toBe(false);
    form.set('config.lambda', '0.05');
    form.set('config.noise.level', '0.3'); // a denoising field, hidden for contractive
    form.set('train.epochs', '12');
    expect(form.valid).toBe(true);
    expect(form.input).toEqual({ config: { family: 'contractive', lambda: 0.05 }, train: { epochs: 12 } });
    form.setFamily('denoising');
    expect(form.input.config).toEqual({ family: 'denoising', noise: { level: 0.3 } });
  });
});

test('a composite value (a recipe’s --noise) fills its fields in the panel', () => {
  const form = new ModelForm();
  form.setFamily('denoising');
  form.assign('config.noise', 'mask:0.25');
  expect(form.text['config.noise.kind']).toBe('mask');
  expect(form.text['config.noise.level']).toBe('0.25');
  expect(form.input.config).toEqual({ family: 'denoising', noise: { kind: 'mask', level: 0.25 } });
});
