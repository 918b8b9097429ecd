/**
 * Identity (tf.clone, and every tensor the tape saves for the backward pass) for the WASM backend
 * as a shared buffer: tfjs-backend-wasm's Identity allocates and copies the whole tensor (24 copies
 * per step of a 4-layer MLP, activations included), where the CPU and WebGL backends only add a
 * reference. Tensors are immutable and no kernel writes its inputs, so sharing is safe; the buffer
 * is freed when its last reference is disposed, as for Reshape.
 */
import type { tf } from '../tf';

interface RefCounting {
  incRef(dataId: tf.DataId): void;
}

const refCounting = (b: unknown): b is RefCounting =>
  typeof (b as Record<string, unknown> | null)?.['incRef'] === 'function';

export function wasmIdentity(original: tf.KernelFunc): tf.KernelFunc {
  return (params) => {
    const { x } = params.inputs;
    if (!x || !refCounting(params.backend) || x.dtype === 'string') return original(params);
    params.backend.incRef(x.dataId);
    return { dataId: x.dataId, shape: [...x.shape], dtype: x.dtype };
  };
}
