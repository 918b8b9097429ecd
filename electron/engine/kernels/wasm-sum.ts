/**
 * Sum over the leading axes for the WASM backend: the bias gradient of every dense layer,
 * Σ_batch dY ([batch, n] → [n]).
 *
 * tfjs-backend-wasm's Sum reduces only innermost axes, so for axis 0 it first transposes the whole
 * input (≈ 0.4 ms for 128 × 784, then ≈ 0.2 ms to sum). Summing rows into the output needs no
 * transpose and reads memory in order: out[j] = Σᵢ x[i·n + j], adding rows in index order as the
 * the columns of the transposed input are summed (float32; equal to the original within rounding).
 * Other axes, and empty inputs, go to the original.
 */
import { tf } from '../tf';
import { isWasmBackend } from './wasm-backend';

type Attrs = { axis?: number | number[]; keepDims?: boolean };

export function wasmSum(original: tf.KernelFunc): tf.KernelFunc {
  return (params) => {
    const { x } = params.inputs;
    const backend = params.backend;
    const { axis = [], keepDims = false } = (params.attrs ?? {}) as Attrs;
    if (!x || x.dtype !== 'float32' || !isWasmBackend(backend) || x.shape.length < 2) return original(params);
    const axes = tf.util.parseAxisParam(axis, x.shape).sort((a, b) => a - b);
    // Only a proper leading prefix [0, 1, …, p − 1] of the axes.
    const p = axes.length;
    if (p === 0 || p === x.shape.length || axes.some((a, i) => a !== i)) return original(params);
    const rows = tf.util.sizeFromShape(x.shape.slice(0, p));
    const n = tf.util.sizeFromShape(x.shape.slice(p));
    if (rows === 0 || n === 0) return original(params);
    const shape = keepDims ? [...x.shape.slice(0, p).map(() => 1), ...x.shape.slice(p)] : x.shape.slice(p);
    const out = backend.makeOutput(shape, 'float32');
    const src = backend.typedArrayFromHeap(x) as Float32Array;
    const dst = backend.typedArrayFromHeap(out) as Float32Array;
    dst.set(src.subarray(0, n));
    for (let i = 1; i < rows; i++) {
      const o = i * n;
      for (let j = 0; j < n; j++) dst[j] = dst[j]! + src[o + j]!;
    }
    return out;
  };
}
