/**
 * The PyTorch reference (scripts/torch_reference.py) run beside the tfjs figures, with
 * Debian's python3-torch when it is installed. Which BLAS torch loaded is reported with it: Debian
 * links torch to libblas.so.3, the netlib reference BLAS unless an optimised one (OpenBLAS, BLIS)
 * is installed, and that alone changes its speed several-fold.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { TorchShape } from './models';

export interface TorchReference {
  label: string;
  python: string;
  script: string;
  /** Extra environment (LD_LIBRARY_PATH for another BLAS). */
  env: Record<string, string>;
  version?: string;
  /** The BLAS library torch mapped, from /proc/self/maps. */
  blas?: string;
}

export interface TorchRun {
  samplesPerSecond: number;
  seconds: number;
  /** Samples per second of the process's CPU time over the same epochs (less sensitive to load). */
  samplesPerCpuSecond: number;
  cpuSeconds: number;
  lastLoss: number;
}

/**
 * Runs the reference unchanged, with time.perf_counter wrapped to also note time.process_time()
 * at each call: the script calls it before and after its timed epochs, so the difference is the
 * CPU time of exactly what it timed. One more JSON line follows the script's own.
 */
const WRAPPER = [
  'import json, runpy, sys, time',
  'marks = []',
  '_wall = time.perf_counter',
  'def _pc():',
  '    marks.append(time.process_time())',
  '    return _wall()',
  'time.perf_counter = _pc',
  'sys.argv = sys.argv[1:]',
  'runpy.run_path(sys.argv[0], run_name="__main__")',
  'print(json.dumps({"cpu_seconds": marks[-1] - marks[0]}))',
].join('\n');

function run(cmd: string, args: string[], env: Record<string, string>, timeoutMs: number): Promise<string> {
  return new Promise((done, fail) => {
    execFile(
      cmd,
      args,
      { env: { ...process.env, ...env }, timeout: timeoutMs, maxBuffer: 1 << 20 },
      (err, stdout, stderr) =>
        err ? fail(new Error(`${err.message.split('\n')[0]} ${stderr}`.trim())) : done(stdout),
    );
  });
}

const PROBE = [
  'import torch',
  'maps = open("/proc/self/maps").read().split("\\n")',
  'libs = sorted({l.split()[-1] for l in maps if "blas" in l.lower() and l.split()[-1].startswith("/")})',
  'print(torch.__version__); print(";".join(libs))',
].join('\n');

/**
 * A usable reference, or the reason there is none. `blasDir` puts another libblas.so.3 first
 * (e.g. an unpacked libopenblas0-pthread's …/openblas-pthread).
 */
export async function findTorch(opts: {
  python: string;
  script: string;
  blasDir?: string;
}): Promise<TorchReference | { error: string }> {
  if (!existsSync(opts.script)) return { error: `no PyTorch reference script at ${opts.script}` };
  if (opts.blasDir && !existsSync(resolve(opts.blasDir, 'libblas.so.3')))
    return { error: `no libblas.so.3 in ${opts.blasDir}` };
  const env: Record<string, string> = { OMP_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1' };
  if (opts.blasDir)
    env['LD_LIBRARY_PATH'] = [opts.blasDir, process.env['LD_LIBRARY_PATH']].filter(Boolean).join(':');
  try {
    const [version = '?', libs = ''] = (await run(opts.python, ['-c', PROBE], env, 60_000))
      .trim()
      .split('\n');
    const blas = libs.split(';').filter(Boolean).join(', ') || 'unknown';
    const kind = /openblas/i.test(blas)
      ? 'OpenBLAS'
      : /blis/i.test(blas)
        ? 'BLIS'
        : /mkl/i.test(blas)
          ? 'MKL'
          : 'reference BLAS';
    return {
      label: `pytorch ${version} (${kind})`,
      python: opts.python,
      script: opts.script,
      env,
      version,
      blas,
    };
  } catch (e) {
    return {
      error: `PyTorch is not usable with ${opts.python}: ${e instanceof Error ? e.message : String(e)}`,
    };
  }
}

export async function runTorch(
  ref: TorchReference,
  shape: TorchShape,
  w: { rows: number; epochs: number; batch: number; lr: number },
): Promise<TorchRun> {
  const args = [
    ref.script,
    ...['--dims', `${shape.dims}`, '--hidden', shape.hidden.join(','), '--latent', `${shape.latent}`],
    ...['--rows', `${w.rows}`, '--epochs', `${w.epochs}`, '--batch', `${w.batch}`, '--lr', `${w.lr}`],
    ...['--threads', '1'],
  ];
  const out = await run(ref.python, ['-c', WRAPPER, ...args], ref.env, 30 * 60_000);
  const lines = out.trim().split('\n');
  const r = JSON.parse(lines.at(-2) ?? '') as {
    samples_per_second: number;
    seconds: number;
    last_loss: number;
  };
  const { cpu_seconds: cpu } = JSON.parse(lines.at(-1) ?? '') as { cpu_seconds: number };
  return {
    samplesPerSecond: r.samples_per_second,
    seconds: r.seconds,
    samplesPerCpuSecond: (w.rows * w.epochs) / cpu,
    cpuSeconds: cpu,
    lastLoss: r.last_loss,
  };
}
