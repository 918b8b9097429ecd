import type { Command } from 'commander';
import { SAMPLES } from '../../data/samples/registry';

/** `manifold-explorer datasets`: the built-in samples, as a table or as JSON. */
export function registerDatasets(program: Command, out: (s: string) => void): void {
  program
    .command('datasets')
    .description('list the built-in samples (use them as --data sample:NAME)')
    .option('--json', 'print JSON instead of a table')
    .action((opts: { json?: boolean }) => {
      if (opts.json) {
        out(JSON.stringify(SAMPLES, null, 2) + '\n');
        return;
      }
      const rows = SAMPLES.map((s) => {
        const truth = Object.entries(s.truth)
          .filter(([, v]) => v)
          .map(([k]) => k)
          .join(', ');
        return [
          `sample:${s.name}`,
          `${s.dims}`,
          s.intrinsicDims ? `${s.intrinsicDims}` : '-',
          `${s.defaultRows}`,
          truth || (s.real ? 'labels' : '-'),
          s.description,
        ];
      });
      const head = ['NAME', 'DIMS', 'MANIFOLD', 'ROWS', 'GROUND TRUTH', 'DESCRIPTION'];
      const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
      const line = (r: string[]) => r.map((c, i) => (i < r.length - 1 ? c.padEnd(widths[i]!) : c)).join('  ');
      out([line(head), ...rows.map(line)].join('\n') + '\n');
    });
}
