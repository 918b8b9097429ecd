/**
 * Progress streaming's share of training time: the same training run (a) by `runTraining` in this
 * process and (b) through the app as browser mode runs it — the app core, the engine in a Node
 * worker thread, progress throttled to ~10 Hz, code snapshots and checkpoints, every event encoded
 * as a socket frame (shared/wire.ts). The pairs alternate, so machine load hits both alike.
 */
import { createAppCore } from '../app/core';
import { nodeWorkerHost } from '../hosts/node-worker/handle';
import { setupNodeBackend } from '../hosts/node/backends';
import { loadDataset } from '../data/load';
import { runTraining } from '../engine/run';
import { encodeFrame } from '../shared/wire';
import { spread } from './run';
import { calls, type EventMessage } from '../shared/contract';
import type { ModelConfigInput } from '../shared/model-config';

export interface StreamingBenchOptions {
  /** The built engine worker (out/main/engine-worker.js). */
  worker: string;
  rows: number;
  epochs: number;
  pairs: number;
  family: NonNullable<ModelConfigInput['family']>;
  log: (line: string) => void;
}

export interface StreamingPair {
  hostedMs: number;
  directMs: number;
  progress: number;
  snapshots: number;
  frameBytes: number;
}

export interface StreamingReport {
  rows: number;
  epochs: number;
  family: string;
  pairs: StreamingPair[];
  medianHostedMs: number;
  medianDirectMs: number;
  /** Median over pairs of hosted / direct. */
  medianRatio: number;
}

export async function benchStreaming(o: StreamingBenchOptions): Promise<StreamingReport> {
  const config: ModelConfigInput = { family: o.family, latent: 2 };
  const train = { epochs: o.epochs, batchSize: 64, seed: 1, backend: 'wasm' as const };
  const core = createAppCore({
    host: 'browser',
    version: 'bench',
    hostFactory: () => nodeWorkerHost(o.worker),
    backend: 'wasm',
  });
  const counts = { progress: 0, snapshots: 0, bytes: 0 };
  let finished: ((state: string) => void) | null = null;
  const unsubscribe = core.subscribe((m: EventMessage) => {
    counts.bytes += encodeFrame(m).byteLength; // what the socket would carry
    if (m.event === 'progress') counts.progress++;
    if (m.event === 'snapshot') counts.snapshots++;
    if (m.event === 'job' && ['done', 'failed', 'cancelled', 'interrupted'].includes(m.payload.state))
      finished?.(m.payload.state);
  });
  try {
    const h = core.handlers;
    const sample = await h.openSample!({ name: 'swiss-roll', rows: o.rows, seed: 1 });
    const ds = await loadDataset(`sample:swiss-roll?rows=${o.rows}&seed=1`);
    await setupNodeBackend('wasm');

    const hosted = async (): Promise<number> => {
      const done = new Promise<string>((resolve) => (finished = resolve));
      const t0 = performance.now();
      await h.startTraining!(calls.startTraining.input.parse({ datasetId: sample.id, config, train }));
      const state = await done;
      if (state !== 'done') throw new Error(`the hosted run ended ${state}`);
      return performance.now() - t0;
    };
    const direct = async (): Promise<number> => {
      const t0 = performance.now();
      const r = await runTraining({ dataset: ds, config, train });
      const ms = performance.now() - t0;
      r.model.dispose();
      return ms;
    };

    await hosted(); // warm-up: starts the worker, compiles its kernels
    await direct();
    const pairs: StreamingPair[] = [];
    for (let i = 0; i < o.pairs; i++) {
      counts.progress = counts.snapshots = counts.bytes = 0;
      const hostedMs = await hosted();
      const pair = {
        hostedMs,
        progress: counts.progress,
        snapshots: counts.snapshots,
        frameBytes: counts.bytes,
      };
      const directMs = await direct();
      pairs.push({ ...pair, directMs });
      o.log(
        `pair ${i + 1}: hosted ${hostedMs.toFixed(0)} ms (${pair.progress} progress events, ${pair.snapshots} ` +
          `snapshots, ${(pair.frameBytes / 1024).toFixed(0)} KiB of frames), direct ${directMs.toFixed(0)} ms`,
      );
    }
    return {
      rows: o.rows,
      epochs: o.epochs,
      family: o.family,
      pairs,
      medianHostedMs: spread(pairs.map((p) => p.hostedMs)).median,
      medianDirectMs: spread(pairs.map((p) => p.directMs)).median,
      medianRatio: spread(pairs.map((p) => p.hostedMs / p.directMs)).median,
    };
  } finally {
    unsubscribe();
    await core.close();
  }
}

export function formatStreaming(r: StreamingReport): string {
  const ratio = spread(r.pairs.map((p) => p.hostedMs / p.directMs));
  return (
    `progress streaming (${r.family}, swiss roll ${r.rows} rows × ${r.epochs} epochs, WASM, ${r.pairs.length} pairs):\n` +
    `  through the app and the engine worker: median ${r.medianHostedMs.toFixed(0)} ms\n` +
    `  runTraining in this process:           median ${r.medianDirectMs.toFixed(0)} ms\n` +
    `  hosted / direct: median ${r.medianRatio.toFixed(3)} (${ratio.min.toFixed(3)}–${ratio.max.toFixed(3)})\n`
  );
}
