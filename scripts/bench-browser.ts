/**
 * The desktop app's compute path, measured where it runs: the compute page (renderer/compute.html)
 * in Debian's Chromium, driven over a MessagePort as Electron's main process drives the hidden
 * compute window. Trains the bench's engine models on WASM cross-origin isolated (threaded build,
 * one thread per core), WASM with the isolation headers stripped (the one-thread build), and WebGPU
 * (Chromium's own; SwiftShader on a machine without a GPU). Prints samples/s per cell.
 *
 *   npm run bench:browser [-- --models engine-mlp,manifold3d --rows 4096 --epochs 3 --json]
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { launchBrowser } from '../tests/helpers/browser';
import { startServer } from '../electron/hosts/serve/server';
import { BENCH_MODELS } from '../electron/bench/models';
import type { ModelConfigInput } from '../electron/shared/model-config';

const ROOT = join(import.meta.dirname, '..');

interface Cell {
  host: string;
  model: string;
  device: string;
  isolated: boolean;
  samplesPerSecond: number;
  msPerStep: number;
  error?: string;
}

const { values } = parseArgs({
  options: {
    models: { type: 'string', default: 'engine-mlp,manifold3d' },
    hosts: { type: 'string', default: 'wasm-isolated,wasm-plain,webgpu' },
    rows: { type: 'string', default: '4096' },
    epochs: { type: 'string', default: '3' },
    json: { type: 'boolean', default: false },
    /** Write a Chrome DevTools CPU profile of each cell's run to this folder. */
    profile: { type: 'string' },
  },
});

const HOSTS: Record<string, { backend: 'wasm' | 'webgpu'; isolated: boolean }> = {
  'wasm-isolated': { backend: 'wasm', isolated: true },
  'wasm-plain': { backend: 'wasm', isolated: false },
  webgpu: { backend: 'webgpu', isolated: true },
};

async function measure(hostName: string, modelName: string, rows: number, epochs: number): Promise<Cell> {
  const host = HOSTS[hostName];
  const model = BENCH_MODELS.find((m) => m.name === modelName && m.engine);
  if (!host) throw new Error(`unknown host ${hostName} (${Object.keys(HOSTS).join(', ')})`);
  if (!model) throw new Error(`unknown engine model ${modelName}`);
  const n = Math.max(256, Math.round(rows * (model.rowsScale ?? 1)));
  const server = await startServer({ root: join(ROOT, 'out/renderer'), handlers: {}, log: () => {} });
  const browser = await launchBrowser({ webgpu: host.backend === 'webgpu' });
  try {
    const page = await browser.newPage();
    if (!host.isolated) {
      // The same page without COOP/COEP: no SharedArrayBuffer, so tfjs loads its one-thread build.
      await page.route('**/*', async (route) => {
        const response = await route.fetch();
        const headers = { ...response.headers() };
        delete headers['cross-origin-opener-policy'];
        delete headers['cross-origin-embedder-policy'];
        await route.fulfill({ response, headers });
      });
    }
    // tsx (esbuild, keepNames) wraps named functions in `__name(...)`, which the page lacks.
    await page.addInitScript('globalThis.__name = (f) => f');
    await page.goto(`${server.origin}/compute.html`);
    const batch = 128;
    const cdp = values.profile ? await page.context().newCDPSession(page) : null;
    if (cdp) {
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.start');
    }
    const cell = await page.evaluate(
      async ({ backend, config, dims, n, epochs, batch, hostName, modelName }) => {
        const { port1, port2 } = new MessageChannel();
        window.postMessage('explorer:engine-port', window.location.origin, [port2]);
        let device = '';
        const epochEnds: number[] = [];
        const result = new Promise<string | null>((resolve) => {
          port1.onmessage = (e: MessageEvent) => {
            const m = e.data as { type: string; [k: string]: unknown };
            if (m.type === 'ready') device = (m.backend as { device: string }).device;
            if (m.type === 'progress') {
              // A progress message carries `history` once, when its epoch ends.
              // The engine's own clock: messages reach this page only when the engine yields, and
              // the run's closing metrics hold the last one back.
              const p = m.progress as { history?: unknown; elapsedSeconds: number };
              if (p.history) epochEnds.push(p.elapsedSeconds);
            }
            if (m.type === 'done') resolve(null);
            if (m.type === 'failed' || m.type === 'fatal') resolve(String(m.message));
          };
        });
        port1.postMessage({ type: 'init', backend, dims });
        // Pixel-like data in [0, 1] with some structure (a few prototypes plus noise).
        const data = new Float32Array(n * dims);
        let s = 12345;
        const rnd = () => (s = (s * 1103515245 + 12345) >>> 0) / 2 ** 32;
        for (let i = 0; i < n; i++)
          for (let j = 0; j < dims; j++)
            data[i * dims + j] = Math.min(1, Math.max(0, (((i % 7) * 31 + j) % 97) / 97 + 0.1 * rnd()));
        const t0 = performance.now();
        port1.postMessage({
          type: 'start',
          jobId: 'bench',
          runId: 'bench',
          dataset: { name: 'bench', source: 'bench', sha256: '-', rows: n, dims, data },
          config,
          train: { epochs, batchSize: batch, valSplit: 0, backend, normalize: 'none' },
          snapshotMs: 0,
          checkpointMs: null,
        });
        const error = await result;
        const t1 = performance.now();
        // Time from the end of the first epoch (warm-up: kernel compilation, first allocations) to
        // the end of the last: training only, not the run's closing metrics (PCA baseline, …).
        const timed = epochEnds.length >= 2;
        const timedEpochs = timed ? epochEnds.length - 1 : epochs;
        const seconds = timed ? epochEnds.at(-1)! - epochEnds[0]! : (t1 - t0) / 1000;
        const steps = timedEpochs * Math.ceil(n / batch);
        return {
          host: hostName,
          model: modelName,
          device,
          isolated: self.crossOriginIsolated,
          samplesPerSecond: (timedEpochs * n) / seconds,
          msPerStep: (seconds * 1000) / steps,
          ...(error ? { error } : {}),
        };
      },
      {
        backend: host.backend,
        config: model.engine as ModelConfigInput,
        dims: model.dims,
        n,
        epochs,
        batch,
        hostName,
        modelName,
      },
    );
    if (cdp && values.profile) {
      const { profile } = await cdp.send('Profiler.stop');
      mkdirSync(values.profile, { recursive: true });
      writeFileSync(join(values.profile, `${hostName}-${modelName}.cpuprofile`), JSON.stringify(profile));
    }
    return cell;
  } finally {
    await browser.close();
    await server.close();
  }
}

const cells: Cell[] = [];
for (const model of values.models.split(',')) {
  for (const host of values.hosts.split(',')) {
    const cell = await measure(host, model, Number(values.rows), Number(values.epochs)).catch(
      (e: unknown): Cell => ({
        host,
        model,
        device: '',
        isolated: false,
        samplesPerSecond: NaN,
        msPerStep: NaN,
        error: (e instanceof Error ? e.message : String(e)).split('\n')[0]!,
      }),
    );
    cells.push(cell);
    if (!values.json)
      console.log(
        `${host.padEnd(14)} ${model.padEnd(12)} ${cell.error ? `failed: ${cell.error}` : `${Math.round(cell.samplesPerSecond).toLocaleString('en').padStart(8)} samples/s  ${cell.msPerStep.toFixed(1).padStart(7)} ms/step`}  (${cell.device}; isolated ${cell.isolated})`,
      );
  }
}
if (values.json) console.log(JSON.stringify(cells, null, 2));
