/**
 * One Adam step for one variable as a single kernel, for the WASM and CPU backends.
 *
 * An Adam step written with tfjs ops costs ≈ 13 kernel calls per variable (each a full pass over
 * the tensor, most with a scalar upload); here one loop reads w, g, m, v once and writes w', m', v':
 *   m' = β₁·m + (1 − β₁)·g
 *   v' = β₂·v + (1 − β₂)·g²
 *   w' = w − s · m' / (√v' + e)
 * Both usual forms are this one with the bias corrections c₁ = 1 − β₁ᵗ, c₂ = 1 − β₂ᵗ folded in:
 *   tfjs-core's AdamOptimizer, w − lr·(m'/c₁)/(√(v'/c₂) + ε):  s = lr·√c₂/c₁, e = ε·√c₂
 *   Kingma & Ba (the engine's optim/optimizer.ts), w − lr·√c₂/c₁ · m'/(√v' + ε):  s = lr·√c₂/c₁, e = ε
 * Computed in double precision and stored as float32: within float32 rounding of the composite ops.
 *
 * Inputs: `w`, `g`, `m`, `v` (float32, one shape); attrs `beta1`, `beta2`, `stepSize` (s),
 * `epsilon` (e). Outputs: [w', m', v'] as new tensors (the inputs are never written).
 */
import { tf } from '../tf';
import { isWasmBackend, wasmMemoryOf } from './wasm-backend';
import { simdAdamFor } from './wasm-simd-adam';

export const ADAM_KERNEL = 'ManifoldExplorerAdam';

export interface AdamAttrs {
  beta1: number;
  beta2: number;
  /** s in w' = w − s·m'/(√v' + e) */
  stepSize: number;
  /** e in w' = w − s·m'/(√v' + e) */
  epsilon: number;
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
  const { beta1, beta2, stepSize, epsilon } = a;
  const k1 = 1 - beta1;
  const k2 = 1 - beta2;
  // One division and one square root per element: they bound this loop (≈ 3 ns an element).
  for (let i = 0; i < w2.length; i++) {
    const gi = g[i]!;
    const mi = beta1 * m[i]! + k1 * gi;
    const vi = beta2 * v[i]! + k2 * gi * gi;
    m2[i] = mi;
    v2[i] = vi;
    w2[i] = w[i]! - (stepSize * mi) / (Math.sqrt(vi) + epsilon);
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
  const [w2, m2, v2] = outs.map((o) => backend.typedArrayFromHeap(o) as Float32Array) as [
    Float32Array,
    Float32Array,
    Float32Array,
  ];
  const [W, G, M, V] = [w, g, m, v].map((t) => backend.typedArrayFromHeap(t) as Float32Array) as [
    Float32Array,
    Float32Array,
    Float32Array,
    Float32Array,
  ];
  const a = params.attrs as unknown as AdamAttrs;
  const memory = wasmMemoryOf(backend);
  const simd = memory ? simdAdamFor(memory) : null;
  let done = 0;
  if (simd) {
    // f32x4 lanes over the first ⌊n/4⌋·4 elements, in place in the heap (wasm-simd-adam.ts).
    done = w2.length & ~3;
    const at = (x: Float32Array) => x.byteOffset;
    simd(
      at(W),
      at(G),
      at(M),
      at(V),
      at(w2),
      at(m2),
      at(v2),
      done * 4,
      a.beta1,
      1 - a.beta1,
      a.beta2,
      1 - a.beta2,
      a.stepSize,
      a.epsilon,
    );
  }
  if (done < w2.length) {
    const tail = (x: Float32Array) => x.subarray(done);
    adamLoop(a, tail(W), tail(G), tail(M), tail(V), tail(w2), tail(m2), tail(v2));
  }
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

/**
 * [w', m', v'] for one Adam step (formula above): the fused kernel when the active backend has one
 * (registered on first use), else the same update with tfjs ops. Run it inside the caller's
 * tf.tidy; assign the results.
 */
export function adamUpdate(
  w: tf.Tensor,
  g: tf.Tensor,
  m: tf.Tensor,
  v: tf.Tensor,
  a: AdamAttrs,
): tf.Tensor[] {
  const backend = tf.getBackend();
  registerAdamKernel(backend); // idempotent: one registry look-up once registered
  if (hasAdamKernel(backend) && w.dtype === 'float32' && g.dtype === 'float32')
    return tf.engine().runKernel(ADAM_KERNEL, { w, g, m, v }, { ...a }) as tf.Tensor[];
  return adamUpdateOps(w, g, m, v, a);
}

/** The same update with tfjs ops (WebGPU, WebGL, tfjs-node). */
export function adamUpdateOps(
  w: tf.Tensor,
  g: tf.Tensor,
  m: tf.Tensor,
  v: tf.Tensor,
  a: AdamAttrs,
): tf.Tensor[] {
  const m2 = tf.add(tf.mul(m, a.beta1), tf.mul(g, 1 - a.beta1));
  const v2 = tf.add(tf.mul(v, a.beta2), tf.mul(tf.square(g), 1 - a.beta2));
  const step = tf.div(m2, tf.add(tf.sqrt(v2), a.epsilon));
  return [tf.sub(w, tf.mul(step, a.stepSize)), m2, v2];
}
