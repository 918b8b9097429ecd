/**
 * What a Node host (the command line, the worker thread, browser mode's server) can run: WebGPU
 * through Dawn (the `webgpu` package: Vulkan, Metal, D3D12 — Mesa's lavapipe on GPU-less Linux),
 * tfjs-node when the user installed it, WASM (SIMD) and the plain-JS CPU backend.
 */
import { createRequire } from 'node:module';
import util from 'node:util';
import '@tensorflow/tfjs-backend-cpu';
import { selectBackend } from '../../engine/backend';
import { tf } from '../../engine/tf';
import { installKernelOverrides } from '../../engine/kernels';
import type { BackendChoice, BackendName, BackendPreference, BackendRegistrar } from '../../engine/backend';

// Not named `require`: the bundle already declares one (electron-vite's ESM shim).
const requireFromHere = createRequire(import.meta.url);

export const NODE_CANDIDATES: BackendName[] = ['tensorflow', 'webgpu', 'wasm', 'cpu'];

const once = <T>(f: () => Promise<T>): (() => Promise<T>) => {
  let p: Promise<T> | undefined;
  return () => (p ??= f());
};

const registerWebGpu: BackendRegistrar = once(async () => {
  const { create, globals } = (await import('webgpu')) as {
    create: (flags: string[]) => GPU;
    globals: Record<string, unknown>;
  };
  Object.assign(globalThis, globals);
  const nav = ((globalThis as { navigator?: object }).navigator ??= {}) as { gpu?: GPU };
  if (!nav.gpu) Object.defineProperty(nav, 'gpu', { value: create([]), configurable: true });
  const adapter = await nav.gpu!.requestAdapter();
  if (!adapter)
    throw new Error('WebGPU (Dawn): no adapter; on Linux install Mesa ≥ 25 vulkan drivers or a GPU driver');
  await import('@tensorflow/tfjs-backend-webgpu');
  const info = adapter.info;
  return {
    device: [info.vendor, info.architecture, info.description].filter(Boolean).join(' ') || 'WebGPU adapter',
  };
});

const registerTensorflow: BackendRegistrar = once(async () => {
  // tfjs-node 4.22 calls util.isNullOrUndefined, removed in Node 23.
  const u = util as unknown as Record<string, unknown>;
  u.isNullOrUndefined ??= (v: unknown) => v === null || v === undefined;
  const name = '@tensorflow/tfjs-node'; // optional: a variable keeps bundlers and tsc from requiring it
  try {
    requireFromHere.resolve(name);
  } catch {
    throw new Error('tfjs-node is not installed (npm install @tensorflow/tfjs-node)');
  }
  await import(/* @vite-ignore */ name);
  return { device: 'libtensorflow (CPU)' };
});

const registerWasm: BackendRegistrar = once(async () => {
  const wasm = await import('@tensorflow/tfjs-backend-wasm');
  // Transposed and batched products through XNNPACK, row gathers as copies (engine/kernels).
  installKernelOverrides('wasm');
  // tfjs loads its single-threaded WASM build in Node (WASM_HAS_MULTITHREAD_SUPPORT is false
  // there); its matrix products run on one thread in any build.
  return { device: `WASM SIMD ${wasm.version_wasm ?? ''}, one thread`.replace(/\s+,/, ',') };
});

const registerCpu: BackendRegistrar = async () => {
  // The CPU backend greets Node users with a banner on stderr (an ad for tfjs-node) at its first
  // tensor; the command line's stderr is for our messages only.
  const cpu = tf.findBackend('cpu') as { firstUse?: boolean } | null;
  if (cpu) cpu.firstUse = false;
  return { device: 'JavaScript CPU' };
};

export const NODE_REGISTRARS: Record<Exclude<BackendName, 'webgl'>, BackendRegistrar> = {
  webgpu: registerWebGpu,
  tensorflow: registerTensorflow,
  wasm: registerWasm,
  cpu: registerCpu,
};

export function setupNodeBackend(
  pref: BackendPreference,
  opts: { dims?: number; log?: (msg: string) => void } = {},
): Promise<BackendChoice> {
  if (pref === 'webgl') return Promise.reject(new Error('webgl is only available in a browser window'));
  return selectBackend(pref, {
    candidates: NODE_CANDIDATES,
    registrars: NODE_REGISTRARS,
    probe: { dims: opts.dims ?? 784, hidden: 256, batch: 128 },
    ...(opts.log ? { log: opts.log } : {}),
  });
}
