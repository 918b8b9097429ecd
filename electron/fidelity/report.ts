/**
 * The fidelity report as a Markdown table (docs/fidelity.md): one line per case and figure, with
 * the value at each seed, the spread, how many seeds pass, and the median training time.
 */
import type { FidelityRow } from './run';

const fmt = (v: number | null) =>
  v === null || !Number.isFinite(v)
    ? '—'
    : Math.abs(v) >= 100
      ? v.toFixed(0)
      : Math.abs(v) < 1e-3 && v !== 0
        ? v.toExponential(1)
        : Number(v.toPrecision(3)).toString();

const median = (a: number[]) => {
  const s = [...a].sort((x, y) => x - y);
  return s.length
    ? s.length % 2
      ? s[(s.length - 1) / 2]!
      : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2
    : NaN;
};

export function fidelityMarkdown(rows: readonly FidelityRow[]): string {
  const cases = new Map<string, FidelityRow[]>();
  for (const r of rows) {
    const key = `${r.family} ${r.sample}`;
    cases.set(key, [...(cases.get(key) ?? []), r]);
  }
  const seeds = [...new Set(rows.map((r) => r.seed))];
  const out = [
    `| Family | Sample | Figure | Target | ${seeds.map((s) => `seed ${s}`).join(' | ')} | Median (range) | Pass | Epochs | Seconds |`,
    `|---|---|---|---|${seeds.map(() => '---|').join('')}---|---|---|---|`,
  ];
  for (const rs of cases.values()) {
    const first = rs[0]!;
    first.figures.forEach((f, i) => {
      const values = seeds.map((s) => rs.find((r) => r.seed === s)?.figures[i] ?? null);
      const nums = values.flatMap((v) => (v && v.applies && v.value !== null ? [v.value] : []));
      const applies = values.some((v) => v?.applies);
      const spread = nums.length
        ? `${fmt(median(nums))} (${fmt(Math.min(...nums))}–${fmt(Math.max(...nums))})`
        : '—';
      out.push(
        [
          '',
          first.family,
          first.sample.replace('sample:', '') + (first.set ? ` (${first.set})` : ''),
          f.name,
          applies ? `${f.op} ${f.target}` : 'n/a',
          ...values.map((v) => (v ? fmt(v.value) : '')),
          applies ? spread : 'n/a (no unique PCA subspace)',
          `${rs.filter((r) => r.figures[i]?.pass).length}/${rs.length}`,
          fmt(median(rs.map((r) => r.epochs))),
          fmt(median(rs.map((r) => r.seconds))),
          '',
        ]
          .join(' | ')
          .trim(),
      );
    });
  }
  return out.join('\n') + '\n';
}
