import type { Command } from 'commander';
import { addDataOptions, loadOptionsFrom, type DataCliOptions } from '../../data/cli-options';
import { loadDataset } from '../../data/load';
import { SAMPLES } from '../../data/samples/registry';
import type { Dataset } from '../../shared/dataset';

/**
 * `manifold-explorer datasets`: the built-in samples, as a table or as JSON;
 * `datasets inspect PATH|sample:NAME`: load a dataset as `train --data` would and describe it (a
 * cheap way to validate a file: bad input exits 2 with the place of the problem).
 */
export function registerDatasets(
  program: Command,
  out: (s: string) => void,
  err: (s: string) => void = () => {},
): void {
  const cmd = program
    .command('datasets')
    .description('list the built-in samples (use them as --data sample:NAME), or inspect a dataset')
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
      out(
        [line(head), ...rows.map(line)].join('\n') +
          '\n\nOptions: sample:NAME?rows=N&noise=S&seed=K (gaussian-mixture also components=K).\n',
      );
    });
  addDataOptions(
    cmd
      .command('inspect')
      .description(
        'load a dataset (file, image folder or sample:NAME) and print its shape, labels and sha256',
      )
      .argument('<data>', 'a file, a folder of images, or sample:NAME?rows=…&noise=…&seed=…')
      .option('--json', 'print JSON instead of text'),
  ).action(async (data: string, opts: DataCliOptions, self: Command) => {
    // `--json` after `inspect` may be parsed by `datasets` itself: read it with the parent's options.
    const json = (self.optsWithGlobals() as { json?: boolean }).json;
    const t0 = performance.now();
    const ds = await loadDataset(data, loadOptionsFrom(opts));
    const seconds = (performance.now() - t0) / 1000;
    for (const w of ds.warnings ?? []) err(`warning: ${w}\n`);
    out(json ? JSON.stringify(describe(ds, seconds), null, 2) + '\n' : formatDescription(ds, seconds));
  });
}

export function describe(ds: Dataset, seconds: number) {
  const counts = ds.labels && ds.labelNames ? ds.labelNames.map(() => 0) : undefined;
  if (counts) for (const l of ds.labels!) counts[l]!++;
  let min = Infinity;
  let max = -Infinity;
  for (const v of ds.data) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return {
    name: ds.name,
    source: ds.source,
    rows: ds.rows,
    dims: ds.dims,
    sha256: ds.sha256,
    min,
    max,
    featureNames: ds.featureNames,
    categorical: ds.categorical,
    image: ds.image,
    labels:
      counts && ds.labelNames ? Object.fromEntries(ds.labelNames.map((n, i) => [n, counts[i]!])) : undefined,
    truth: ds.truth
      ? {
          intrinsicDims: ds.truth.intrinsicDims,
          coordinates: !!ds.truth.coordinates,
          tangents: !!ds.truth.tangents,
          score: !!ds.truth.score,
        }
      : undefined,
    warnings: ds.warnings,
    seconds: Number(seconds.toFixed(3)),
  };
}

function formatDescription(ds: Dataset, seconds: number): string {
  const d = describe(ds, seconds);
  const lines = [
    `source    ${d.source}`,
    `rows      ${d.rows}`,
    `dims      ${d.dims}${d.image ? ` (images ${d.image.width}×${d.image.height}×${d.image.channels})` : ''}`,
    `range     ${+d.min.toPrecision(6)} … ${+d.max.toPrecision(6)}`,
    `sha256    ${d.sha256}`,
  ];
  if (d.featureNames)
    lines.push(
      `features  ${d.featureNames.length > 12 ? `${d.featureNames.slice(0, 12).join(', ')}, …` : d.featureNames.join(', ')}`,
    );
  for (const g of d.categorical ?? [])
    lines.push(
      `one-hot   ${g.name}: ${g.levels.join(', ')} (columns ${g.start}–${g.start + g.levels.length - 1})`,
    );
  if (d.labels)
    lines.push(
      `labels    ${Object.keys(d.labels).length} classes: ${Object.entries(d.labels)
        .slice(0, 20)
        .map(([n, c]) => `${n} (${c})`)
        .join(', ')}`,
    );
  if (d.truth)
    lines.push(
      `truth     intrinsic dimension ${d.truth.intrinsicDims}; ${['coordinates', 'tangents', 'score'].filter((k) => d.truth![k as 'score']).join(', ') || 'none'}`,
    );
  lines.push(`loaded in ${d.seconds.toFixed(3)} s`);
  return lines.join('\n') + '\n';
}
