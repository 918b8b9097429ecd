/**
 * Row gather for the WASM backend: tf.gather(x, indices) along axis 0, the way a training loop
 * takes a minibatch out of the dataset tensor.
 *
 * tfjs-backend-wasm's GatherV2 computes every output element's source address through generic
 * strides (≈ 30 ns an element: ≈ 3 ms for a 128 × 784 batch, as long as the forward pass of a
 * 784-256 layer). Along axis 0 each index selects one contiguous row, so the gather is `n` copies
 * of `sliceSize` floats inside the WASM heap. Other axes and batchDims go to the original kernel.
 */
import { tf } from '../tf';
import { isWasmBackend } from './wasm-backend';

type Attrs = { axis?: number; batchDims?: number };

export function wasmGather(original: tf.KernelFunc): tf.KernelFunc {
  return (params) => {
    const { x, indices } = params.inputs;
    const { axis = 0, batchDims = 0 } = (params.attrs ?? {}) as Attrs;
    const backend = params.backend;
    if (!x || !indices || !isWasmBackend(backend) || batchDims !== 0 || x.shape.length === 0)
      return original(params);
    if (tf.util.parseAxisParam(axis, x.shape)[0] !== 0 || x.dtype === 'string') return original(params);
    const rows = x.shape[0]!;
    const idx = backend.readSync(indices.dataId);
    if (!(idx instanceof Int32Array || idx instanceof Float32Array)) return original(params);
    for (let i = 0; i < idx.length; i++) {
      const r = idx[i]!;
      // The original kernel's check and message.
      if (!(r >= 0 && r <= rows - 1))
        throw new Error(`GatherV2: the index value ${r} is not in [0, ${rows - 1}]`);
    }
    const slice = tf.util.sizeFromShape(x.shape.slice(1));
    // [...indices.shape, ...x.shape[1:]]
    const out = backend.makeOutput([...indices.shape, ...x.shape.slice(1)], x.dtype);
    // Views after makeOutput: allocating may grow the heap and detach earlier ones.
    const src = backend.typedArrayFromHeap(x);
    const dst = backend.typedArrayFromHeap(out);
    for (let i = 0; i < idx.length; i++) {
      const r = idx[i]!;
      dst.set(src.subarray(r * slice, (r + 1) * slice), i * slice);
    }
    return out;
  };
}
