/**
 * Faster matrix products for the WASM backend (tfjs-backend-wasm 4.x).
 *
 * Its BatchMatMul and _FusedMatMul kernels hand a product to XNNPACK only when neither operand is
 * transposed and there is a single batch (tfjs-backend-wasm/src/cc/batch_mat_mul_impl.cc); every
 * other case runs a scalar blocked triple loop at ≈ 2 GFLOP/s instead of ≈ 30. A dense layer's
 * backward pass is exactly those cases: dX = dY·Wᵀ (transposeB) and dW = Xᵀ·dY (transposeA).
 *
 * These wrappers keep the original kernels and only reshape the call so that it reaches XNNPACK:
 *  - a transposed operand is transposed explicitly first (the WASM Transpose kernel, O(size) —
 *    cheap next to the O(m·n·k) product);
 *  - a batched product whose right operand is shared by every batch ([1, k, n] or [k, n]) is one
 *    2-D product: [B, m, k]·[k, n] = reshape([B·m, k]·[k, n]).
 * What remains batched on both sides still takes the slow path (it is correct, only slower).
 */
import { tf } from '../tf';

type KernelParams = Parameters<tf.KernelFunc>[0];
type Attrs = { transposeA?: boolean; transposeB?: boolean } & Record<string, unknown>;

function kernel(name: string): tf.KernelFunc {
  const k = tf.getKernel(name, 'wasm');
  if (!k) throw new Error(`wasm kernel ${name} is not registered`);
  return k.kernelFunc;
}

function asInfo(r: tf.TensorInfo | tf.TensorInfo[]): tf.TensorInfo {
  if (Array.isArray(r)) throw new Error('expected one output');
  return r;
}

/** Swap the last two axes of `x` through the backend's own Transpose kernel: a new buffer. */
function transposeLast2(x: tf.TensorInfo, backend: KernelParams['backend']): tf.TensorInfo {
  const r = x.shape.length;
  const perm = [...Array(r).keys()];
  perm[r - 2] = r - 1;
  perm[r - 1] = r - 2;
  return asInfo(kernel('Transpose')({ inputs: { x }, backend, attrs: { perm } }));
}

function reshapeInfo(x: tf.TensorInfo, shape: number[], backend: KernelParams['backend']): tf.TensorInfo {
  return asInfo(kernel('Reshape')({ inputs: { x }, backend, attrs: { shape } }));
}

function disposeInfo(x: tf.TensorInfo, backend: KernelParams['backend']): void {
  (backend as tf.KernelBackend).disposeData(x.dataId);
}

const batchOf = (t: tf.TensorInfo): number => t.shape.slice(0, -2).reduce((p, d) => p * d, 1);

/**
 * The wrapper: make both operands untransposed, fold a shared right operand's batch away, then
 * call the original kernel. Temporaries are kernel-internal TensorInfos, freed here.
 */
export function wasmMatMul(original: tf.KernelFunc): tf.KernelFunc {
  return (params: KernelParams) => {
    const { backend } = params;
    const attrs = (params.attrs ?? {}) as Attrs;
    let a = params.inputs['a'];
    let b = params.inputs['b'];
    if (!a || !b || a.dtype !== 'float32' || b.dtype !== 'float32') return original(params);
    // XNNPACK reads a fused bias as one value per output column; leave any other bias to the original.
    const bias = params.inputs['bias'];
    const n0 = attrs.transposeB ? b.shape[b.shape.length - 2] : b.shape[b.shape.length - 1];
    if (bias && tf.util.sizeFromShape(bias.shape) !== n0) return original(params);
    const temps: tf.TensorInfo[] = [];
    try {
      if (attrs.transposeA) temps.push((a = transposeLast2(a, backend)));
      if (attrs.transposeB) temps.push((b = transposeLast2(b, backend)));
      // a: [..., m, k], b: [..., k, n] now.
      const m = a.shape[a.shape.length - 2]!;
      const k = a.shape[a.shape.length - 1]!;
      const n = b.shape[b.shape.length - 1]!;
      const outBatch = tf.broadcast_util.assertAndGetBroadcastShape(
        a.shape.slice(0, -2),
        b.shape.slice(0, -2),
      );
      const fold = batchOf(a) > 1 && batchOf(b) === 1;
      if (fold) {
        temps.push((a = reshapeInfo(a, [1, batchOf(a) * m, k], backend)));
        temps.push((b = reshapeInfo(b, [1, k, n], backend)));
      }
      const out = asInfo(
        original({
          ...params,
          inputs: { ...params.inputs, a, b },
          attrs: { ...attrs, transposeA: false, transposeB: false },
        }),
      );
      if (!fold) return out;
      // [1, B·m, n] → [..., m, n]; Reshape shares the buffer, so the unreshaped one is freed.
      const shaped = reshapeInfo(out, [...outBatch, m, n], backend);
      disposeInfo(out, backend);
      return shaped;
    } finally {
      for (const t of temps) disposeInfo(t, backend);
    }
  };
}
