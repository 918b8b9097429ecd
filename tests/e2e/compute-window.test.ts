/**
 * The desktop app's GPU path, tested where it runs: the compute page (renderer/compute.html) in
 * Chromium, cross-origin isolated, driven over a MessagePort exactly as main drives the hidden
 * compute window. WASM (multi-threaded when isolated) and, with --enable-unsafe-webgpu, WebGPU.
 */
import { join } from 'node:path';
import { ROOT } from '../helpers/cli';
import { launchBrowser } from '../helpers/browser';
import { startServer } from '../../electron/hosts/serve/server';

type Reply = { type: string; [k: string]: unknown };

async function trainInComputePage(backend: 'wasm' | 'webgpu' | 'cpu'): Promise<Reply[]> {
  const server = await startServer({ root: join(ROOT, 'out/renderer'), handlers: {}, log: () => {} });
  const browser = await launchBrowser({ webgpu: backend === 'webgpu' });
  try {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(`console ${m.type()}: ${m.text().slice(0, 300)}`);
    });
    await page.goto(`${server.origin}/compute.html`);
    const messages = await page.evaluate(async (backend) => {
      const { port1, port2 } = new MessageChannel();
      window.postMessage('explorer:engine-port', window.location.origin, [port2]);
      const got: { type: string; [k: string]: unknown }[] = [];
      const done = new Promise<void>((resolve) => {
        port1.onmessage = (e: MessageEvent) => {
          const m = e.data as {
            type: string;
            codes?: Float32Array;
            result?: { codes: Float32Array; history: unknown[] };
          };
          got.push(
            m.type === 'done'
              ? { type: 'done', rows: m.result!.codes.length / 2, epochs: m.result!.history.length }
              : {
                  type: m.type,
                  ...(m.type === 'ready' || m.type === 'failed' || m.type === 'fatal' ? m : {}),
                },
          );
          if (m.type === 'done' || m.type === 'failed' || m.type === 'fatal') resolve();
        };
      });
      port1.postMessage({ type: 'init', backend });
      const rows = 300;
      const data = new Float32Array(rows * 3);
      for (let i = 0; i < rows; i++) {
        const t = 1.5 * Math.PI * (1 + (2 * i) / rows);
        data.set([t * Math.cos(t), (i % 10) / 2, t * Math.sin(t)], i * 3);
      }
      port1.postMessage({
        type: 'start',
        jobId: 'j1',
        runId: 'r1',
        dataset: { name: 'roll', source: 'test', sha256: '-', rows, dims: 3, data },
        // WebGPU on a software rasteriser compiles a shader per new kernel shape: keep it small there.
        config:
          backend === 'webgpu'
            ? { family: 'undercomplete', latent: 2 }
            : { family: 'contractive', latent: 2, hidden: [16] },
        train: {
          epochs: backend === 'webgpu' ? 2 : 5,
          batchSize: backend === 'webgpu' ? 150 : 50,
          valSplit: 0,
          backend,
        },
        snapshotMs: 0,
        checkpointMs: null,
      });
      await done;
      return { got, isolated: self.crossOriginIsolated };
    }, backend);
    expect(errors).toEqual([]);
    expect(messages.isolated).toBe(true);
    return messages.got;
  } finally {
    await browser.close();
    await server.close();
  }
}

test('the compute page trains on WASM (cross-origin isolated, threads available)', async () => {
  const got = await trainInComputePage('wasm');
  expect(got[0]).toMatchObject({
    type: 'ready',
    backend: { backend: 'wasm', device: expect.stringMatching(/WASM SIMD, \d+ thread/) },
  });
  expect(got.at(-1)).toEqual({ type: 'done', rows: 300, epochs: 5 });
  expect(got.filter((m) => m.type === 'progress').length).toBeGreaterThanOrEqual(5);
});

test('the compute page trains on WebGPU when Chromium exposes it', async () => {
  const got = await trainInComputePage('webgpu');
  const first = got[0]!;
  // Headless Chromium here has WebGPU on SwiftShader/lavapipe; if a build lacks it, the page says so.
  if (first.type === 'fatal') expect(String(first.message)).toMatch(/WebGPU/);
  else {
    expect(first).toMatchObject({ type: 'ready', backend: { backend: 'webgpu' } });
    expect(got.at(-1)).toEqual({ type: 'done', rows: 300, epochs: 2 });
  }
});
