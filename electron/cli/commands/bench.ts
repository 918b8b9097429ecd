import { existsSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Option, type Command } from 'commander';
import { UserError } from '../../shared/errors';
import { BENCH_BACKENDS, runCell, type BenchBackend, type CellSpec } from '../../bench/cell';
import { ALL_MODELS, runBench } from '../../bench/run';
import { formatReport } from '../../bench/format';
import { findTorch, type TorchReference } from '../../bench/torch';
import { benchStreaming, formatStreaming } from '../../bench/streaming';
import { FAMILIES } from '../../shared/model-config';

interface BenchCliOptions {
  backends: string;
  models: string;
  rows: string;
  epochs: string;
  batch: string;
  repeats: string;
  slowRows: string;
  slowEpochs: string;
  torch: boolean;
  torchBlas?: string;
  python: string;
  torchScript?: string;
  quick?: boolean;
  inProcess?: boolean;
  json?: boolean;
  out?: string;
  cell?: string;
  streaming?: boolean;
  pairs: string;
  family: string;
}

function positive(name: string, v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1)
    throw new UserError('bad-option', `--${name}: expected a whole number ≥ 1, got '${v}'`);
  return n;
}

function list<T extends string>(name: string, v: string, allowed: readonly T[]): T[] {
  const items = v
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const i of items)
    if (!allowed.includes(i as T))
      throw new UserError('bad-option', `--${name}: unknown '${i}', expected some of ${allowed.join(', ')}`);
  return items as T[];
}

/** The repository root: bin/manifold-explorer.js is its direct child. */
function repoRoot(): string {
  const bin = process.argv[1] ?? '';
  return /manifold-explorer(\.js)?$/.test(bin) ? resolve(dirname(bin), '..') : process.cwd();
}

/** `manifold-explorer bench`: training throughput per backend and model, beside PyTorch. */
export function registerBench(program: Command, out: (s: string) => void, err: (s: string) => void): void {
  program
    .command('bench')
    .description(
      'measure training speed and memory per backend and model, with the PyTorch reference beside it',
    )
    .option(
      '--backends <list>',
      `comma-separated: ${BENCH_BACKENDS.join(', ')}`,
      'wasm,wasm-stock,cpu,webgpu,tensorflow',
    )
    .option('--models <list>', `comma-separated: ${ALL_MODELS.join(', ')}`, ALL_MODELS.join(','))
    .option('--rows <n>', 'training rows (random uniform in [0, 1])', '8192')
    .option('--epochs <n>', 'timed epochs after one warm-up epoch', '2')
    .option('--batch <n>', 'rows per step', '128')
    .option(
      '--repeats <n>',
      'runs per cell (each followed by PyTorch); the median and spread are reported',
      '3',
    )
    .option('--slow-rows <n>', 'rows for cpu, webgpu (a software rasteriser here) and wasm-stock', '1024')
    .option('--slow-epochs <n>', 'timed epochs for cpu, webgpu and wasm-stock', '1')
    .option('--no-torch', 'skip the PyTorch reference')
    .option(
      '--torch-blas <dir>',
      'also run PyTorch with the libblas.so.3 in <dir> (e.g. an unpacked OpenBLAS)',
    )
    .option('--python <path>', "Python with Debian's python3-torch", '/usr/bin/python3')
    .option(
      '--torch-script <path>',
      'the reference script (default scripts/torch_reference.py in the repository)',
    )
    .option('--quick', 'wasm and the mlp only, 2048 rows, one timed epoch, one run (under a minute)')
    .option('--in-process', 'run every cell in this process (peak RSS is then the whole run’s)')
    .option('--json', 'print the JSON report instead of the table')
    .option('--out <file>', 'also write the JSON report to <file>')
    .option(
      '--streaming',
      "instead: progress streaming's share of training time (through the app and engine worker vs direct)",
    )
    .option('--pairs <n>', 'with --streaming: hosted/direct pairs', '5')
    .option('--family <name>', 'with --streaming: the model family (on the swiss roll)', 'contractive')
    .addOption(new Option('--cell <json>', 'internal: run one cell, print its JSON').hideHelp())
    .action(async (o: BenchCliOptions, cmd: Command) => {
      if (o.cell) {
        out(JSON.stringify(await runCell(JSON.parse(o.cell) as CellSpec)) + '\n');
        return;
      }
      if (o.streaming) {
        const worker = join(dirname(fileURLToPath(import.meta.url)), 'engine-worker.js');
        if (!existsSync(worker))
          throw new UserError('not-built', 'the app is not built; run `npm run build` first');
        const family = list('family', o.family, FAMILIES)[0] ?? 'contractive';
        const given = (name: string) => cmd.getOptionValueSource(name) !== 'default';
        const report = await benchStreaming({
          worker,
          rows: given('rows') ? positive('rows', o.rows) : 8000,
          epochs: given('epochs') ? positive('epochs', o.epochs) : 20,
          pairs: positive('pairs', o.pairs),
          family,
          log: (line) => err(line + '\n'),
        });
        const json = JSON.stringify(report, null, 2) + '\n';
        if (o.out) writeFileSync(o.out, json);
        out(o.json ? json : formatStreaming(report));
        return;
      }
      const quick = o.quick === true;
      const backends = quick ? (['wasm'] as BenchBackend[]) : list('backends', o.backends, BENCH_BACKENDS);
      const models = quick ? ['mlp'] : list('models', o.models, ALL_MODELS);
      const torch: TorchReference[] = [];
      let torchUnavailable: string | undefined;
      if (o.torch) {
        const script = o.torchScript ?? resolve(repoRoot(), 'scripts/torch_reference.py');
        for (const blasDir of [undefined, o.torchBlas]) {
          if (blasDir === undefined && torch.length) continue;
          const ref = await findTorch({ python: o.python, script, ...(blasDir ? { blasDir } : {}) });
          if ('error' in ref) torchUnavailable = ref.error;
          else torch.push(ref);
        }
      } else torchUnavailable = 'skipped (--no-torch)';
      const bin = process.argv[1];
      const report = await runBench({
        backends,
        models,
        rows: quick ? 2048 : positive('rows', o.rows),
        epochs: quick ? 1 : positive('epochs', o.epochs),
        batch: positive('batch', o.batch),
        repeats: quick ? 1 : positive('repeats', o.repeats),
        slowRows: positive('slow-rows', o.slowRows),
        slowEpochs: positive('slow-epochs', o.slowEpochs),
        lr: 1e-3,
        seed: 0,
        torch,
        ...(torchUnavailable ? { torchUnavailable } : {}),
        inProcess: o.inProcess === true || !bin || !existsSync(bin),
        ...(bin ? { childCommand: [process.execPath, bin] } : {}),
        log: (line) => err(line + '\n'),
      });
      const json = JSON.stringify(report, null, 2) + '\n';
      if (o.out) writeFileSync(o.out, json);
      out(o.json ? json : formatReport(report));
    });
}
