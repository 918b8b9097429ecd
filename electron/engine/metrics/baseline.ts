/**
 * The PCA baseline at the model's code size (docs/theory.md, "PCA and principal angles"): fitted exactly on the training rows
 * (normalised units). Large data get their covariance from the device (XᵀX in float32 chunks) and
 * only the d × d eigendecomposition runs in JavaScript; very wide data (d > 2048) are skipped.
 */
import { tf } from '../tf';
import { fitPca, pcaFromCovariance, type Pca } from '../analysis/pca';

export const PCA_MAX_DIMS = 2048;

export async function fitPcaBaseline(
  x: Float32Array,
  rows: number,
  dims: number,
  k: number,
): Promise<Pca | null> {
  if (dims > PCA_MAX_DIMS || rows < 2) return null;
  if (rows * dims * dims <= 2e8 || dims > rows) return fitPca(x, rows, dims, k);
  const mean = new Float64Array(dims);
  for (let r = 0; r < rows; r++) for (let c = 0; c < dims; c++) mean[c]! += x[r * dims + c]!;
  for (let c = 0; c < dims; c++) mean[c]! /= rows;
  const mu = tf.tensor1d(Float32Array.from(mean));
  let acc: tf.Tensor2D = tf.zeros([dims, dims]);
  const chunk = 4096;
  for (let start = 0; start < rows; start += chunk) {
    const size = Math.min(chunk, rows - start);
    const next = tf.tidy(() => {
      const xc = tf.sub(tf.tensor2d(x.subarray(start * dims, (start + size) * dims), [size, dims]), mu);
      return tf.add(acc, tf.matMul(xc, xc, true, false)) as tf.Tensor2D;
    });
    acc.dispose();
    acc = next;
  }
  const cov = Float64Array.from(await acc.data(), (v) => v / rows);
  tf.dispose([acc, mu]);
  return pcaFromCovariance(mean, cov, dims, k);
}
