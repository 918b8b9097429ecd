/**
 * What a Chromium window can run: WebGPU (the GPU path), WASM with SIMD — multi-threaded when the
 * page is cross-origin isolated — and the plain CPU backend. `auto` calibrates them (engine/backend.ts).
 */
import '@tensorflow/tfjs-backend-cpu';
import { selectBackend } from '../../../electron/engine/backend';
import type {
  BackendChoice,
  BackendName,
  BackendPreference,
  BackendRegistrar,
} from '../../../electron/engine/backend';
import { installKernelOverrides } from '../../../electron/engine/kernels';
import wasmPlain from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreaded from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';

const once = <T>(f: () => Promise<T>) => {
  let p: Promise<T> | undefined;
  return () => (p ??= f());
};

const registrars: Partial<Record<BackendName, BackendRegistrar>> = {
  webgpu: once(async () => {
    const gpu = (navigator as Navigator & { gpu?: GPU }).gpu;
    if (!gpu) throw new Error('this window has no WebGPU');
    const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
    if (!adapter) throw new Error('WebGPU: no adapter');
    await import('@tensorflow/tfjs-backend-webgpu');
    const info =
      (adapter as GPUAdapter & { info?: { vendor?: string; architecture?: string; description?: string } })
        .info ?? {};
    return {
      device:
        [info.vendor, info.architecture, info.description].filter(Boolean).join(' ') || 'WebGPU adapter',
    };
  }),
  wasm: once(async () => {
    const wasm = await import('@tensorflow/tfjs-backend-wasm');
    wasm.setWasmPaths({
      'tfjs-backend-wasm.wasm': wasmPlain,
      'tfjs-backend-wasm-simd.wasm': wasmSimd,
      'tfjs-backend-wasm-threaded-simd.wasm': wasmThreaded,
    });
    installKernelOverrides('wasm');
    const threads = self.crossOriginIsolated ? navigator.hardwareConcurrency : 1;
    return { device: `WASM SIMD, ${threads} thread${threads === 1 ? '' : 's'}` };
  }),
  cpu: async () => ({ device: 'JavaScript CPU' }),
};

export function setupBrowserBackend(pref: BackendPreference, dims?: number): Promise<BackendChoice> {
  if (pref === 'tensorflow')
    return Promise.reject(new Error('tfjs-node runs in the utility process, not in a window'));
  if (pref === 'webgl') return Promise.reject(new Error('WebGL is not bundled; use webgpu or wasm'));
  return selectBackend(pref, {
    candidates: ['webgpu', 'wasm', 'cpu'],
    registrars,
    probe: { dims: dims ?? 784, hidden: 256, batch: 128 },
  });
}
