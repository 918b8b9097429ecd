/**
 * `npm run memory-report`: the training memory estimate (electron/engine/memory-estimate.ts) next to
 * what the built command line really uses — its peak RSS (getrusage maxrss, one process per run) —
 * for a few models on the wasm and cpu backends. Measures, asserts nothing; README "Memory" quotes
 * it. `--quick` runs the two smallest.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { estimateTrainingMemory, type EstimateBackend } from '../electron/engine/memory-estimate';
import {
  parseModelConfig,
  parseTrainOptions,
  resolveTrainOptions,
  validationCount,
} from '../electron/shared/model-config';
import type { ModelConfigInput, TrainOptionsInput } from '../electron/shared/model-config';

interface Case {
  name: string;
  data: string;
  rows: number;
  dims: number;
  args: string[];
  config: ModelConfigInput;
  train: TrainOptionsInput;
}

const roll = (rows: number) => ({ data: `sample:swiss-roll?rows=${rows}`, rows, dims: 3 });
const digits = { data: 'sample:digits', rows: 5000, dims: 784 };
const CASES: Case[] = [
  {
    name: 'small (3-64-2)',
    ...roll(2000),
    args: [],
    config: { family: 'undercomplete' },
    train: { epochs: 5 },
  },
  {
    name: '784-256-32',
    ...digits,
    args: ['--hidden', '256', '--latent', '32', '--batch-size', '128', '--epochs', '2'],
    config: { family: 'undercomplete', hidden: [256], latent: 32 },
    train: { batchSize: 128, epochs: 2 },
  },
  {
    name: 'wide hidden (3-4096-4096-2)',
    ...roll(1024),
    args: ['--hidden', '4096,4096', '--batch-size', '256', '--epochs', '1'],
    config: { family: 'undercomplete', hidden: [4096, 4096] },
    train: { batchSize: 256, epochs: 1 },
  },
  {
    name: 'contractive (784-256-16)',
    ...digits,
    args: ['--hidden', '256', '--latent', '16', '--batch-size', '128', '--epochs', '1'],
    config: { family: 'contractive', hidden: [256], latent: 16 },
    train: { batchSize: 128, epochs: 1 },
  },
  {
    name: 'vae (784-256-8)',
    ...digits,
    args: ['--hidden', '256', '--latent', '8', '--batch-size', '128', '--epochs', '1'],
    config: { family: 'vae', hidden: [256], latent: 8 },
    train: { batchSize: 128, epochs: 1 },
  },
];

const MiB = 1024 ** 2;
const root = new URL('..', import.meta.url).pathname;
const quick = process.argv.includes('--quick');
const backends: EstimateBackend[] = ['wasm', 'cpu'];
const tmp = mkdtempSync(join(tmpdir(), 'memory-report-'));
// Preloaded into the command line's process: its peak RSS on stderr as it exits.
const hook = join(tmp, 'maxrss.cjs');
writeFileSync(
  hook,
  "process.on('exit', () => require('fs').writeSync(2, `\\nMAXRSS ${process.resourceUsage().maxRSS * 1024}\\n`));\n",
);

const rows: string[][] = [
  ['model', 'backend', 'estimate (MiB)', 'peak RSS (MiB)', 'RSS / estimate', 'estimated peak'],
];
try {
  for (const c of quick ? CASES.slice(0, 2) : CASES)
    for (const backend of backends) {
      const config = parseModelConfig(c.config);
      const t = parseTrainOptions(c.train);
      const train = resolveTrainOptions(t, config, c.rows - validationCount(c.rows, t.valSplit));
      const est = estimateTrainingMemory({ config, train, rows: c.rows, dims: c.dims, backend });
      const family = c.config.family ?? 'undercomplete';
      const out = join(tmp, `${rows.length}`);
      const r = spawnSync(
        process.execPath,
        [
          '-r',
          hook,
          join(root, 'bin/manifold-explorer.js'),
          'train',
          '--data',
          c.data,
          '--model',
          family,
          ...c.args,
          '--backend',
          backend,
          '--out',
          out,
          '-q',
        ],
        { encoding: 'utf8', env: { ...process.env, MANIFOLD_EXPLORER_RAW_STDERR: '1' } },
      );
      const rss = Number(/MAXRSS (\d+)/.exec(r.stderr)?.[1] ?? NaN);
      if (r.status !== 0)
        process.stderr.write(`${c.name} on ${backend}: ${r.stderr.trim().split('\n')[0]}\n`);
      rows.push([
        c.name,
        backend,
        (est.bytes / MiB).toFixed(0),
        (rss / MiB).toFixed(0),
        (rss / est.bytes).toFixed(2),
        est.peak.phase,
      ]);
    }
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
for (const r of rows) console.log(r.map((v, i) => v.padEnd(widths[i]!)).join('  '));
