/**
 * One measurement: one model trained on one backend — one warm-up epoch, then `epochs` timed ones
 * (as torch_reference.py does) — with samples/s, ms per step, the loss, and memory: the process's
 * peak RSS (getrusage maxrss: run one cell per process for a clean figure), the peak of
 * tf.memory().numBytes seen at epoch ends and throttled batch ends, and the tensor count before and
 * after training (equal when nothing leaks).
 */
import v8 from 'node:v8';
import vm from 'node:vm';
import { tf } from '../engine/tf';
import { createAutoencoder } from '../engine/models/create';
import { train } from '../engine/train';
import {
  installKernelOverrides,
  installedKernelOverrides,
  uninstallKernelOverrides,
} from '../engine/kernels';
import { parseModelConfig, parseTrainOptions, resolveTrainOptions } from '../shared/model-config';
import { setupNodeBackend } from '../hosts/node/backends';
import type { BackendName } from '../engine/backend';
import { findModel } from './models';
import { createRawMlp } from './raw-mlp';

/** wasm-stock: the WASM backend with tfjs's own kernels and tf.train.adam (the "before"). */
export const BENCH_BACKENDS = ['wasm', 'wasm-stock', 'cpu', 'webgpu', 'tensorflow'] as const;
export type BenchBackend = (typeof BENCH_BACKENDS)[number];

export interface CellSpec {
  backend: BenchBackend;
  model: string;
  rows: number;
  epochs: number;
  batch: number;
  lr: number;
  seed: number;
}

export interface CellResult extends CellSpec {
  device?: string;
  /** The kernel overrides in force (engine/kernels). */
  overrides: string[];
  samplesPerSecond: number;
  /** Samples per second of this process's CPU time over the timed epochs (less sensitive to load). */
  samplesPerCpuSecond: number;
  msPerStep: number;
  warmupSeconds: number;
  lastLoss: number;
  peakRssMB: number;
  peakTensorMB: number;
  /** tf.memory().numTensors before the model was built and after it was disposed. */
  tensorsBefore: number;
  tensorsAfter: number;
  /** V8 heap in use (after a full GC) and RSS after the warm-up epoch and after the last one. */
  heapAfterWarmupMB: number;
  heapEndMB: number;
  rssAfterWarmupMB: number;
  rssEndMB: number;
}

const MB = 1 / (1024 * 1024);

/** A full garbage collection, so heap figures count live objects only (V8's gc(), exposed here). */
function collectGarbage(): void {
  v8.setFlagsFromString('--expose-gc');
  const gc = vm.runInNewContext('gc') as (() => void) | undefined;
  gc?.();
}

export async function runCell(spec: CellSpec): Promise<CellResult> {
  const model = findModel(spec.model);
  if (!model) throw new Error(`unknown model ${spec.model}`);
  const stock = spec.backend === 'wasm-stock';
  const backend: BackendName = spec.backend === 'wasm-stock' ? 'wasm' : spec.backend;
  const choice = await setupNodeBackend(backend);
  if (stock) uninstallKernelOverrides();
  else installKernelOverrides(backend);
  // Epoch boundaries in ms: [start, end of warm-up, end of epoch 1, …].
  const marks: number[] = [];
  // Process CPU time (µs) at the same boundaries.
  const cpu: number[] = [];
  const cpuNow = () => {
    const u = process.cpuUsage();
    return u.user + u.system;
  };
  let peakBytes = 0;
  const sample = () => {
    peakBytes = Math.max(peakBytes, tf.memory().numBytes);
  };
  // Heap and RSS at each epoch end: [after warm-up, …, after the last].
  const heap: number[] = [];
  const rss: number[] = [];
  const epochEnd = () => {
    // A full collection (milliseconds) only after the warm-up, before the clock restarts, and
    // after the last epoch, once the clock has stopped.
    const [first, last] = [marks.length === 1, marks.length === spec.epochs + 1];
    if (first) collectGarbage();
    marks.push(performance.now());
    cpu.push(cpuNow());
    if (last) collectGarbage();
    sample();
    const m = process.memoryUsage();
    heap.push(m.heapUsed * MB);
    rss.push(m.rss * MB);
  };
  const tensorsBefore = tf.memory().numTensors;
  const x = tf.randomUniform([spec.rows, model.dims], 0, 1, 'float32', spec.seed) as tf.Tensor2D;
  let lastLoss = NaN;
  try {
    if (!model.engine) {
      if (!model.torch) throw new Error(`model ${model.name} has neither an engine config nor a raw form`);
      const net = createRawMlp(model.torch, {
        batch: spec.batch,
        lr: spec.lr,
        seed: spec.seed,
        optimizer: stock ? 'tfjs' : 'fused',
      });
      try {
        marks.push(performance.now());
        cpu.push(cpuNow());
        for (let e = 0; e <= spec.epochs; e++) {
          lastLoss = await net.epoch(x);
          epochEnd();
        }
      } finally {
        net.dispose();
      }
    } else {
      const cfg = parseModelConfig(model.engine);
      const m = createAutoencoder(cfg, model.dims, { seed: spec.seed });
      const opts = resolveTrainOptions(
        parseTrainOptions({
          epochs: spec.epochs + 1,
          batchSize: spec.batch,
          lr: spec.lr,
          schedule: { kind: 'constant' },
          patience: 0,
          valSplit: 0,
          seed: spec.seed,
        }),
        cfg,
        spec.rows,
      );
      try {
        marks.push(performance.now());
        cpu.push(cpuNow());
        const r = await train(
          m,
          { train: x },
          opts,
          { onEpochEnd: epochEnd, onBatchEnd: sample },
          undefined,
          { throttleMs: 250 },
        );
        lastLoss = r.history.at(-1)?.loss ?? NaN;
      } finally {
        m.dispose();
      }
    }
  } finally {
    x.dispose();
  }
  const timedMs = marks.at(-1)! - marks[1]!;
  const samplesPerSecond = (spec.rows * spec.epochs) / (timedMs / 1000);
  const steps = Math.ceil(spec.rows / spec.batch) * spec.epochs;
  return {
    ...spec,
    ...(choice.device ? { device: choice.device } : {}),
    overrides: installedKernelOverrides(),
    samplesPerSecond,
    samplesPerCpuSecond: (spec.rows * spec.epochs) / ((cpu.at(-1)! - cpu[1]!) / 1e6),
    msPerStep: timedMs / steps,
    warmupSeconds: (marks[1]! - marks[0]!) / 1000,
    lastLoss,
    peakRssMB: process.resourceUsage().maxRSS * 1024 * MB,
    peakTensorMB: peakBytes * MB,
    tensorsBefore,
    tensorsAfter: tf.memory().numTensors,
    heapAfterWarmupMB: heap[0]!,
    heapEndMB: heap.at(-1)!,
    rssAfterWarmupMB: rss[0]!,
    rssEndMB: rss.at(-1)!,
  };
}
