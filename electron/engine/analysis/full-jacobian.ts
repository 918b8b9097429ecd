/**
 * Exact Jacobians of a batched tensor function at many points, for analysis (not taped for
 * training; see jacobian.ts for the training-time version). One vector-Jacobian product over a
 * replicated batch gives every row at once: tile each point `out` times, take the VJP with the
 * identity as cotangent, and row (i, j) of the result is ∂f_j/∂x at point i. Chunked so the tiled
 * batch stays bounded.
 */
import { tf } from '../tf';

export type BatchFn = (x: tf.Tensor2D) => tf.Tensor2D;

/**
 * J[i, j, c] = ∂f(x_i)_j / ∂x_c for the n points (rows of `x`, n × din): Float32Array n × dout × din.
 * `maxRows` bounds the tiled batch (n_chunk · dout rows per pass).
 */
export async function fullJacobian(
  f: BatchFn,
  x: Float32Array,
  n: number,
  din: number,
  dout: number,
  maxRows = 16384,
): Promise<Float32Array> {
  const out = new Float32Array(n * dout * din);
  const per = Math.max(1, Math.floor(maxRows / dout));
  for (let start = 0; start < n; start += per) {
    const m = Math.min(per, n - start);
    const block = tf.tidy(() => {
      const pts = tf.tensor2d(x.subarray(start * din, (start + m) * din), [m, din]);
      // [m·dout, din]: each point repeated dout times, consecutive.
      const tiled = tf.reshape(tf.tile(tf.expandDims(pts, 1), [1, dout, 1]), [m * dout, din]) as tf.Tensor2D;
      // Cotangent: row (i, j) is e_j.
      const eye = tf.tile(tf.eye(dout), [m, 1]) as tf.Tensor2D;
      return tf.grad((z: tf.Tensor) => f(z as tf.Tensor2D))(tiled, eye);
    });
    out.set(await block.data(), start * dout * din);
    block.dispose();
  }
  return out;
}

/** Apply f to the rows of `x` in chunks; returns Float32Array n × dout. */
export async function applyBatched(
  f: BatchFn,
  x: Float32Array,
  n: number,
  din: number,
  dout: number,
  chunk = 4096,
): Promise<Float32Array> {
  const out = new Float32Array(n * dout);
  for (let start = 0; start < n; start += chunk) {
    const m = Math.min(chunk, n - start);
    const y = tf.tidy(() => f(tf.tensor2d(x.subarray(start * din, (start + m) * din), [m, din])));
    out.set(await y.data(), start * dout);
    y.dispose();
  }
  return out;
}
