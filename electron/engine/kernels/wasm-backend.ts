/**
 * The few members of tfjs-backend-wasm's BackendWasm that the kernel overrides use, checked at run
 * time so the overrides need no import of the backend's classes (the engine stays isomorphic and
 * the backend package stays optional).
 */
import { tf } from '../tf';

export type HeapArray = Float32Array | Int32Array | Uint8Array;

export interface WasmBackendLike {
  /** A new output buffer in the WASM heap (may grow the heap: take heap views after it). */
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  /** A view of a tensor's bytes in the WASM heap (valid until the heap grows). */
  typedArrayFromHeap(t: tf.TensorInfo): HeapArray;
  readSync(dataId: tf.DataId): tf.BackendValues;
  disposeData(dataId: tf.DataId, force?: boolean): boolean;
}

export function isWasmBackend(b: unknown): b is WasmBackendLike {
  if (typeof b !== 'object' || b === null) return false;
  const r = b as Record<string, unknown>;
  return (
    typeof r['makeOutput'] === 'function' &&
    typeof r['typedArrayFromHeap'] === 'function' &&
    typeof r['readSync'] === 'function' &&
    typeof r['disposeData'] === 'function'
  );
}

/** The WebAssembly.Memory behind the backend's heap (emscripten's Module.asm.memory), if visible. */
export function wasmMemoryOf(b: unknown): WebAssembly.Memory | undefined {
  const mod = (b as { wasm?: { asm?: Record<string, unknown>; wasmMemory?: unknown } } | null)?.wasm;
  const m = mod?.asm?.['memory'] ?? mod?.wasmMemory;
  return m instanceof WebAssembly.Memory ? m : undefined;
}

/** Replace a registered kernel's function, keeping its setup and dispose hooks. */
export function overrideKernel(
  name: string,
  backend: string,
  originals: Map<string, tf.KernelConfig>,
  make: (original: tf.KernelFunc) => tf.KernelFunc,
): void {
  const key = `${backend}/${name}`;
  if (originals.has(key)) return;
  const config = tf.getKernel(name, backend);
  if (!config) return; // that backend is not loaded: nothing to override.
  originals.set(key, config);
  tf.unregisterKernel(name, backend);
  tf.registerKernel({ ...config, kernelFunc: make(config.kernelFunc) });
}

/** Put back every kernel recorded in `originals`. */
export function restoreKernels(originals: Map<string, tf.KernelConfig>): void {
  for (const config of originals.values()) {
    tf.unregisterKernel(config.kernelName, config.backendName);
    tf.registerKernel(config);
  }
  originals.clear();
}
