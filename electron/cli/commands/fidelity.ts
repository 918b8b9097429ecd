/**
 * `manifold-explorer fidelity`: trains every family on its built-in samples with the defaults and
 * prints what each shows against the chapter's target (electron/fidelity/cases.ts): family, sample,
 * seed, figure, target, pass/fail, epochs, seconds. `--quick` uses smaller samples (CI);
 * `--check` exits 1 when a case fails; `--set path=value` trains with an option changed (the
 * options table's paths, e.g. train.epochs=400), to try a change of default on every case.
 */
import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { UserError } from '../../shared/errors';
import { FAMILIES, type Family } from '../../shared/families';
import { FIELDS, OPTIONS, setAt, type OptionValues } from '../../shared/options/table';
import { parseText } from '../../shared/options/values';
import { setupNodeBackend } from '../../hosts/node/backends';
import { tf } from '../../engine/tf';
import { FIDELITY_CASES, adHocCase } from '../../fidelity/cases';
import { runFidelity, type FidelityRow } from '../../fidelity/run';
import { fidelityMarkdown } from '../../fidelity/report';

interface FidelityCliOptions {
  quick?: boolean;
  check?: boolean;
  seeds: string;
  family?: string;
  sample?: string;
  set: string[];
  json?: string;
  markdown?: string;
  backend: string;
}

const fmt = (v: number | null) =>
  v === null || !Number.isFinite(v)
    ? '—'
    : Math.abs(v) >= 100 || v === 0
      ? v.toFixed(0)
      : Number(v.toPrecision(3)).toString();

export function formatRow(r: FidelityRow): string {
  const figs = r.figures
    .map((f) => `${f.name} ${fmt(f.value)}${f.applies ? ` (${f.op} ${f.target})` : ' (n/a)'}`)
    .join(', ');
  return `${r.family.padEnd(14)}${r.sample.replace('sample:', '').padEnd(18)}${String(r.seed).padStart(4)}  ${(r.pass ? 'pass' : 'FAIL').padEnd(6)}${figs}  ·  ${r.epochs} epochs (${r.stopped}), ${r.seconds.toFixed(1)} s`;
}

function parseSet(items: readonly string[]): OptionValues {
  const values: OptionValues = { config: {}, train: {} };
  for (const item of items) {
    const eq = item.indexOf('=');
    const path = eq > 0 ? item.slice(0, eq) : '';
    const spec = [...OPTIONS, ...FIELDS].find((o) => o.path === path);
    if (!spec)
      throw new UserError(
        'bad-option',
        `--set ${item}: expected PATH=VALUE with an option path such as train.epochs`,
      );
    const r = parseText(spec, item.slice(eq + 1));
    if (!r.ok) throw new UserError('bad-option', `--set ${item}: ${r.error}`);
    if (spec.kind === 'composite')
      for (const [k, v] of Object.entries(r.value as object))
        setAt(values, { root: spec.root, keys: [...spec.keys, k] }, v);
    else setAt(values, spec, r.value);
  }
  return values;
}

export function registerFidelity(
  program: Command,
  io: { out: (s: string) => void; err: (s: string) => void },
): void {
  program
    .command('fidelity')
    .description('train every family on its built-in samples with the defaults and check what each shows')
    .option('--quick', 'smaller samples (for CI)')
    .option('--check', 'exit with status 1 when a case misses its target')
    .option(
      '--seeds <list>',
      'comma-separated seeds (each varies the sample and the training)',
      '11,12,13,14,15',
    )
    .option('--family <list>', `only these families (${FAMILIES.join(', ')})`)
    .option('--sample <list>', 'only these samples (e.g. swiss-roll,sphere)')
    .option(
      '--set <path=value>',
      'train with an option set, e.g. train.epochs=400 (repeatable)',
      (v: string, acc: string[]) => [...acc, v],
      [] as string[],
    )
    .option('--json <file>', 'also write the rows as JSON')
    .option('--markdown <file>', 'also write the table as Markdown (docs/fidelity.md)')
    .option('--backend <name>', 'compute backend', 'wasm')
    .action(async (o: FidelityCliOptions) => {
      const seeds = o.seeds.split(',').map((s) => {
        const n = Number(s.trim());
        if (!Number.isInteger(n) || n < 0)
          throw new UserError('bad-option', `--seeds: expected whole numbers, got ${s}`);
        return n;
      });
      const families = o.family?.split(',').map((s) => s.trim());
      const samples = o.sample?.split(',').map((s) => `sample:${s.trim().replace(/^sample:/, '')}`);
      const cases = FIDELITY_CASES.filter(
        (c) => (!families || families.includes(c.family)) && (!samples || samples.includes(c.sample)),
      );
      // A family and a sample the table does not pair: measure what that family shows there.
      if (!cases.length && families && samples)
        for (const f of families) for (const smp of samples) cases.push(adHocCase(f as Family, smp));
      if (!cases.length) throw new UserError('bad-option', 'no fidelity case matches --family and --sample');
      const set = parseSet(o.set);
      tf.enableProdMode();
      await setupNodeBackend(o.backend as never);
      const rows = await runFidelity({
        seeds,
        quick: !!o.quick,
        cases,
        set,
        onRow: (r) => io.out(formatRow(r) + '\n'),
      });
      const failed = rows.filter((r) => !r.pass).length;
      io.out(`${rows.length - failed} of ${rows.length} pass${o.quick ? ' (quick sizes)' : ''}\n`);
      if (o.json) writeFileSync(o.json, JSON.stringify(rows, null, 2) + '\n');
      if (o.markdown) writeFileSync(o.markdown, fidelityMarkdown(rows));
      if (o.check && failed) process.exitCode = 1;
    });
}
