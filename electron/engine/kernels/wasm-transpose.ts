/**
 * Matrix transpose for the WASM backend: a permutation that swaps the last two axes (every
 * transposed matMul operand of a backward pass, and the Sum kernel's pre-transpose) as a
 * cache-blocked copy on the heap. tfjs-backend-wasm's Transpose addresses every element through
 * generic strides; 32 × 32 tiles (4 KB in, 4 KB out) keep both sides in L1 and run ≈ 2× faster
 * here. Any other permutation goes to the original kernel.
 */
import { tf } from '../tf';
import { isWasmBackend } from './wasm-backend';

const TILE = 32;

/** dst[b][j][i] = src[b][i][j] for `batch` matrices of rows × cols. */
export function transposeBlocked(
  src: Float32Array | Int32Array,
  dst: Float32Array | Int32Array,
  batch: number,
  rows: number,
  cols: number,
): void {
  const size = rows * cols;
  for (let b = 0; b < batch; b++) {
    const o = b * size;
    for (let i0 = 0; i0 < rows; i0 += TILE) {
      const i1 = Math.min(i0 + TILE, rows);
      for (let j0 = 0; j0 < cols; j0 += TILE) {
        const j1 = Math.min(j0 + TILE, cols);
        for (let i = i0; i < i1; i++) {
          const s = o + i * cols;
          for (let j = j0; j < j1; j++) dst[o + j * rows + i] = src[s + j]!;
        }
      }
    }
  }
}

export function wasmTranspose(original: tf.KernelFunc): tf.KernelFunc {
  return (params) => {
    const { x } = params.inputs;
    const backend = params.backend;
    const perm = ((params.attrs ?? {}) as { perm?: number[] }).perm;
    if (!x || !perm || !isWasmBackend(backend) || (x.dtype !== 'float32' && x.dtype !== 'int32'))
      return original(params);
    const r = x.shape.length;
    const swapsLastTwo =
      r >= 2 &&
      perm.length === r &&
      perm[r - 2] === r - 1 &&
      perm[r - 1] === r - 2 &&
      perm.slice(0, -2).every((p, i) => p === i);
    if (!swapsLastTwo) return original(params);
    const rows = x.shape[r - 2]!;
    const cols = x.shape[r - 1]!;
    const batch = tf.util.sizeFromShape(x.shape.slice(0, -2));
    const out = backend.makeOutput([...x.shape.slice(0, -2), cols, rows], x.dtype);
    // Views after makeOutput (it may grow the heap).
    const src = backend.typedArrayFromHeap(x) as Float32Array | Int32Array;
    const dst = backend.typedArrayFromHeap(out) as Float32Array | Int32Array;
    transposeBlocked(src, dst, batch, rows, cols);
    return out;
  };
}
