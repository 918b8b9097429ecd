/**
 * The benchmark: every (backend, model) cell `repeats` times, each tfjs run followed by the
 * PyTorch reference on the same work, so both see the same machine load; the ratio is taken per
 * repeat and reported as its median and spread. Each cell runs in a child process (clean peak RSS,
 * no state carried from one backend to the next) unless `inProcess`.
 */
import { spawn } from 'node:child_process';
import os from 'node:os';
import { BENCH_MODELS, findModel, type TorchShape } from './models';
import { runCell, type BenchBackend, type CellResult, type CellSpec } from './cell';
import { runTorch, type TorchReference, type TorchRun } from './torch';

export interface BenchOptions {
  backends: BenchBackend[];
  models: string[];
  rows: number;
  epochs: number;
  batch: number;
  repeats: number;
  /** Rows and epochs for the slow backends (cpu, webgpu on a software rasteriser). */
  slowRows: number;
  slowEpochs: number;
  lr: number;
  seed: number;
  torch: TorchReference[];
  /** Why there is no PyTorch figure, when there is none. */
  torchUnavailable?: string;
  inProcess: boolean;
  /** How to start a child: [node, script, ...args before `bench --cell`]. */
  childCommand?: string[];
  log?: (line: string) => void;
}

export interface Spread {
  median: number;
  min: number;
  max: number;
  n: number;
}

export interface BenchRow {
  backend: BenchBackend;
  model: string;
  rows: number;
  epochs: number;
  device?: string;
  error?: string;
  runs: CellResult[];
  samplesPerSecond?: Spread;
  msPerStep?: Spread;
  peakRssMB?: number;
  peakTensorMB?: number;
  tensorsLeaked?: number;
  /** V8 heap and RSS growth from the end of the warm-up epoch to the end of the last (MB, max over runs). */
  heapGrowthMB?: number;
  rssGrowthMB?: number;
  samplesPerCpuSecond?: Spread;
  /** Per PyTorch reference (by label): its samples/s and tfjs ÷ torch per repeat, by wall-clock
   *  time and by CPU time. */
  torch: { label: string; samplesPerSecond: Spread; ratio: Spread; cpuRatio: Spread }[];
}

export interface BenchReport {
  date: string;
  machine: { cpus: number; cpuModel: string; memoryGB: number; node: string; platform: string };
  options: Omit<BenchOptions, 'torch' | 'log' | 'childCommand'> & { torch: Omit<TorchReference, 'env'>[] };
  rows: BenchRow[];
  notes: string[];
}

export function spread(xs: number[]): Spread {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  const median = s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
  return { median, min: s[0]!, max: s[s.length - 1]!, n: s.length };
}

/** Backends that get --slow-rows and --slow-epochs: JS CPU, WebGPU on a software rasteriser, and
 *  tfjs's stock WASM kernels (the "before"). */
const SLOW: readonly BenchBackend[] = ['cpu', 'webgpu', 'wasm-stock'];

function runChild(cmd: string[], spec: CellSpec): Promise<CellResult> {
  return new Promise((resolve, reject) => {
    const [node, ...args] = cmd;
    const child = spawn(node!, [...args, 'bench', '--cell', JSON.stringify(spec)], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      const line = out.trim().split('\n').pop() ?? '';
      if (code === 0 && line.startsWith('{')) resolve(JSON.parse(line) as CellResult);
      else reject(new Error(err.trim().split('\n').pop() || `exit ${code}`));
    });
  });
}

export async function runBench(o: BenchOptions): Promise<BenchReport> {
  const log = o.log ?? (() => {});
  const rows: BenchRow[] = [];
  // torch runs by (reference, shape, rows, epochs): repeat r of every cell with that work shares
  // run r, so a model benchmarked on several backends does not rerun PyTorch for each.
  const torchRuns = new Map<string, TorchRun[]>();
  const torchRun = async (ref: TorchReference, shape: TorchShape, n: number, epochs: number, r: number) => {
    const key = JSON.stringify([ref.label, ref.env, shape, n, epochs]);
    const list = torchRuns.get(key) ?? [];
    torchRuns.set(key, list);
    if (!list[r]) {
      log(`  ${ref.label}: ${shape.dims}-${shape.hidden.join('-')}-${shape.latent}, ${n} rows, run ${r + 1}`);
      list[r] = await runTorch(ref, shape, { rows: n, epochs, batch: o.batch, lr: o.lr });
    }
    return list[r]!;
  };

  for (const backend of o.backends) {
    // A backend this host cannot start (tfjs-node not installed, no WebGPU adapter) gets one row.
    let unavailable: string | undefined;
    for (const name of o.models) {
      const model = findModel(name);
      if (!model) continue;
      if (unavailable) break;
      const slow = SLOW.includes(backend);
      const spec: CellSpec = {
        backend,
        model: name,
        rows: Math.max(
          o.batch,
          Math.round((slow ? Math.min(o.rows, o.slowRows) : o.rows) * (model.rowsScale ?? 1)),
        ),
        epochs: slow ? Math.min(o.epochs, o.slowEpochs) : o.epochs,
        batch: o.batch,
        lr: o.lr,
        seed: o.seed,
      };
      const row: BenchRow = {
        backend,
        model: name,
        rows: spec.rows,
        epochs: spec.epochs,
        runs: [],
        torch: [],
      };
      rows.push(row);
      const torchSps = new Map<string, number[]>();
      const ratios = new Map<string, number[]>();
      const cpuRatios = new Map<string, number[]>();
      const push = (m: Map<string, number[]>, k: string, x: number) => m.set(k, [...(m.get(k) ?? []), x]);
      for (let r = 0; r < o.repeats; r++) {
        log(`${backend} ${name}: run ${r + 1}/${o.repeats} (${spec.rows} rows × ${spec.epochs} epochs)`);
        let cell: CellResult;
        try {
          cell = o.inProcess || !o.childCommand ? await runCell(spec) : await runChild(o.childCommand, spec);
        } catch (e) {
          row.error = e instanceof Error ? e.message : String(e);
          log(`  failed: ${row.error}`);
          if (/not installed|not available|no adapter/i.test(row.error)) {
            unavailable = row.error;
            row.model = '(all)';
          }
          break;
        }
        row.runs.push(cell);
        if (cell.device) row.device = cell.device;
        log(`  ${cell.samplesPerSecond.toFixed(0)} samples/s, ${cell.msPerStep.toFixed(2)} ms/step`);
        if (!model.torch) continue;
        for (const ref of o.torch) {
          try {
            const t = await torchRun(ref, model.torch, spec.rows, spec.epochs, r);
            push(torchSps, ref.label, t.samplesPerSecond);
            push(ratios, ref.label, cell.samplesPerSecond / t.samplesPerSecond);
            push(cpuRatios, ref.label, cell.samplesPerCpuSecond / t.samplesPerCpuSecond);
          } catch (e) {
            log(`  ${ref.label} failed: ${e instanceof Error ? e.message : String(e)}`);
          }
        }
      }
      if (row.runs.length) {
        row.samplesPerSecond = spread(row.runs.map((c) => c.samplesPerSecond));
        row.samplesPerCpuSecond = spread(row.runs.map((c) => c.samplesPerCpuSecond));
        row.msPerStep = spread(row.runs.map((c) => c.msPerStep));
        row.peakRssMB = Math.max(...row.runs.map((c) => c.peakRssMB));
        row.peakTensorMB = Math.max(...row.runs.map((c) => c.peakTensorMB));
        row.tensorsLeaked = Math.max(...row.runs.map((c) => c.tensorsAfter - c.tensorsBefore));
        row.heapGrowthMB = Math.max(...row.runs.map((c) => c.heapEndMB - c.heapAfterWarmupMB));
        row.rssGrowthMB = Math.max(...row.runs.map((c) => c.rssEndMB - c.rssAfterWarmupMB));
      }
      for (const [label, sps] of torchSps)
        row.torch.push({
          label,
          samplesPerSecond: spread(sps),
          ratio: spread(ratios.get(label)!),
          cpuRatio: spread(cpuRatios.get(label)!),
        });
    }
  }

  const notes: string[] = [];
  if (o.torchUnavailable) notes.push(`no PyTorch reference: ${o.torchUnavailable}`);
  notes.push(
    'wasm runs one thread in Node: tfjs loads its single-threaded WASM build there, and its matrix products run without the thread pool in any build.',
  );
  const { torch, log: _log, childCommand: _cmd, ...rest } = o;
  void _log;
  void _cmd;
  return {
    date: new Date().toISOString(),
    machine: {
      cpus: os.cpus().length,
      cpuModel: os.cpus()[0]?.model ?? 'unknown',
      memoryGB: Math.round(os.totalmem() / 2 ** 30),
      node: process.version,
      platform: `${os.platform()} ${os.arch()}`,
    },
    options: { ...rest, torch: torch.map(({ env: _env, ...t }) => (void _env, t)) },
    rows,
    notes,
  };
}

export const ALL_MODELS = BENCH_MODELS.map((m) => m.name);
