/**
 * One Adam step for one variable as a single kernel, for the WASM and CPU backends.
 *
 * tfjs's AdamOptimizer spends ≈ 13 kernel calls per variable (each a full pass over the tensor and
 * a scalar upload); here one loop reads w, g, m, v once and writes w', m', v':
 *   m' = β₁·m + (1 − β₁)·g
 *   v' = β₂·v + (1 − β₂)·g²
 *   w' = w − lr · (m' / c₁) / (√(v' / c₂) + ε),   c₁ = 1 − β₁ᵗ, c₂ = 1 − β₂ᵗ
 * tfjs-core's adam_optimizer.ts, rearranged (below) and within float32 rounding of it.
 *
 * Inputs: `w`, `g`, `m`, `v` (float32, one shape); attrs `lr`, `beta1`, `beta2`, `epsilon`, `c1`,
 * `c2`. Outputs: [w', m', v'] as new tensors (the inputs are never written).
 */
import { tf } from '../tf';
import { isWasmBackend } from './wasm-backend';

export const ADAM_KERNEL = 'ManifoldExplorerAdam';

export interface AdamAttrs {
  lr: number;
  beta1: number;
  beta2: number;
  epsilon: number;
  /** 1 − β₁ᵗ */
  c1: number;
  /** 1 − β₂ᵗ */
  c2: number;
}

function adamLoop(
  a: AdamAttrs,
  w: Float32Array,
  g: Float32Array,
  m: Float32Array,
  v: Float32Array,
  w2: Float32Array,
  m2: Float32Array,
  v2: Float32Array,
): void {
  const { beta1, beta2, epsilon } = a;
  const k1 = 1 - beta1;
  const k2 = 1 - beta2;
  // (m'/c₁)/(√(v'/c₂) + ε) = (s₁·m')/(s₂·√v' + ε) with s₁ = lr/c₁, s₂ = 1/√c₂: one division and one
  // square root per element instead of three and one (they bound this loop: ≈ 3 ns an element).
  const s1 = a.lr / a.c1;
  const s2 = 1 / Math.sqrt(a.c2);
  for (let i = 0; i < w2.length; i++) {
    const gi = g[i]!;
    // Double precision inside, float32 stored: within float32 rounding of the composite ops.
    const mi = beta1 * m[i]! + k1 * gi;
    const vi = beta2 * v[i]! + k2 * gi * gi;
    m2[i] = mi;
    v2[i] = vi;
    w2[i] = w[i]! - (s1 * mi) / (Math.sqrt(vi) * s2 + epsilon);
  }
}

interface Named {
  w: tf.TensorInfo;
  g: tf.TensorInfo;
  m: tf.TensorInfo;
  v: tf.TensorInfo;
}

function inputsOf(params: Parameters<tf.KernelFunc>[0]): Named {
  const { w, g, m, v } = params.inputs;
  if (!w || !g || !m || !v) throw new Error(`${ADAM_KERNEL}: expected inputs w, g, m, v`);
  for (const t of [g, m, v])
    if (t.shape.join() !== w.shape.join() || t.dtype !== 'float32' || w.dtype !== 'float32')
      throw new Error(
        `${ADAM_KERNEL}: w, g, m, v must be float32 of one shape (got ${w.shape} and ${t.shape})`,
      );
  return { w, g, m, v };
}

const wasmAdam: tf.KernelFunc = (params) => {
  const { w, g, m, v } = inputsOf(params);
  const backend = params.backend;
  if (!isWasmBackend(backend)) throw new Error(`${ADAM_KERNEL}: not a WASM backend`);
  const outs = [0, 1, 2].map(() => backend.makeOutput(w.shape, 'float32'));
  // Heap views only after every allocation (an allocation may grow the heap).
  const [w2, m2, v2] = outs.map((o) => backend.typedArrayFromHeap(o) as Float32Array);
  const view = (t: tf.TensorInfo) => backend.typedArrayFromHeap(t) as Float32Array;
  adamLoop(params.attrs as unknown as AdamAttrs, view(w), view(g), view(m), view(v), w2!, m2!, v2!);
  return outs;
};

interface JsBackendLike {
  readSync(dataId: tf.DataId): tf.BackendValues;
  makeTensorInfo(shape: number[], dtype: tf.DataType, values?: tf.BackendValues): tf.TensorInfo;
}

function isJsBackend(b: unknown): b is JsBackendLike {
  const r = b as Record<string, unknown> | null;
  return typeof r?.['readSync'] === 'function' && typeof r['makeTensorInfo'] === 'function';
}

const cpuAdam: tf.KernelFunc = (params) => {
  const { w, g, m, v } = inputsOf(params);
  const backend = params.backend;
  if (!isJsBackend(backend)) throw new Error(`${ADAM_KERNEL}: not the CPU backend`);
  const n = tf.util.sizeFromShape(w.shape);
  const [w2, m2, v2] = [new Float32Array(n), new Float32Array(n), new Float32Array(n)];
  const read = (t: tf.TensorInfo) => backend.readSync(t.dataId) as Float32Array;
  adamLoop(params.attrs as unknown as AdamAttrs, read(w), read(g), read(m), read(v), w2, m2, v2);
  return [w2, m2, v2].map((values) => backend.makeTensorInfo(w.shape, 'float32', values));
};

const IMPLEMENTATIONS: Record<string, tf.KernelFunc> = { wasm: wasmAdam, cpu: cpuAdam };

/** Register the kernel for the backends that have a loop for it (idempotent). */
export function registerAdamKernel(backend?: string): void {
  for (const [name, kernelFunc] of Object.entries(IMPLEMENTATIONS)) {
    if (backend !== undefined && backend !== name) continue;
    if (!tf.getKernel(ADAM_KERNEL, name))
      tf.registerKernel({ kernelName: ADAM_KERNEL, backendName: name, kernelFunc });
  }
}

export function hasAdamKernel(backend: string): boolean {
  return tf.getKernel(ADAM_KERNEL, backend) !== undefined;
}
