/**
 * Apply a model function to many rows in chunks (so a million rows never sit on the device at once)
 * and read the results back: the codes, the reconstructions, per-row figures.
 */
import { tf } from './tf';

export async function mapRows(
  data: Float32Array,
  rows: number,
  dims: number,
  fn: (x: tf.Tensor2D) => tf.Tensor,
  chunk = 4096,
): Promise<{ values: Float32Array; width: number }> {
  const parts: Float32Array[] = [];
  let width = 0;
  for (let start = 0; start < rows; start += chunk) {
    const size = Math.min(chunk, rows - start);
    const y = tf.tidy(() => {
      const x = tf.tensor2d(data.subarray(start * dims, (start + size) * dims), [size, dims]);
      return fn(x);
    });
    width = y.shape.length > 1 ? y.size / size : 1;
    parts.push((await y.data()) as Float32Array);
    y.dispose();
  }
  const values = new Float32Array(rows * width);
  let at = 0;
  for (const p of parts) {
    values.set(p, at);
    at += p.length;
  }
  return { values, width };
}
