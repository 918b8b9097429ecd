/** Shared test helpers for the engine: backend set-up and small seeded datasets. */
import '@tensorflow/tfjs-backend-cpu';
import { tf } from '../../../electron/engine/tf';
import { createRng } from '../../../electron/engine/random';
import type { Dataset } from '../../../electron/shared/dataset';

/**
 * The exactness tests run on the cpu backend. ENGINE_TEST_BACKEND=wasm|webgpu runs them on another
 * backend as the hosts set it up (kernel overrides included), to check those against the same
 * finite differences.
 */
export async function useCpu(): Promise<void> {
  const other = process.env.ENGINE_TEST_BACKEND;
  if (other === 'wasm' || other === 'webgpu' || other === 'cpu') {
    const { setupNodeBackend } = await import('../../../electron/hosts/node/backends');
    await setupNodeBackend(other);
    return;
  }
  await tf.setBackend('cpu');
  await tf.ready();
}

export async function useWasm(): Promise<void> {
  await import('@tensorflow/tfjs-backend-wasm');
  await tf.setBackend('wasm');
  await tf.ready();
}

/**
 * n points in R^d near a k-dimensional subspace: latent coordinates with standard deviations
 * `scales` along random orthonormal directions, plus isotropic noise of std `noise` (a clear
 * spectral gap between the k-th and (k+1)-th eigenvalues when noise ≪ min scale).
 */
export function lowRankData(n: number, d: number, scales: number[], noise: number, seed = 1): Float32Array {
  const rng = createRng(seed);
  const k = scales.length;
  const dirs: number[][] = [];
  for (let j = 0; j < k; j++) {
    const v = Array.from({ length: d }, () => rng.normal());
    for (const q of dirs) {
      const dot = v.reduce((s, x, i) => s + x * q[i]!, 0);
      for (let i = 0; i < d; i++) v[i]! -= dot * q[i]!;
    }
    const nrm = Math.hypot(...v);
    dirs.push(v.map((x) => x / nrm));
  }
  const out = new Float32Array(n * d);
  for (let r = 0; r < n; r++) {
    const z = scales.map((s) => s * rng.normal());
    for (let c = 0; c < d; c++) {
      let x = noise * rng.normal() + 0.3 * c;
      for (let j = 0; j < k; j++) x += z[j]! * dirs[j]![c]!;
      out[r * d + c] = x;
    }
  }
  return out;
}

export function randomMatrix(rows: number, cols: number, seed: number, scale = 1): Float32Array {
  const rng = createRng(seed);
  return Float32Array.from({ length: rows * cols }, () => rng.normal() * scale);
}

/** A Dataset around a matrix, as a loader would return it. */
export function datasetOf(
  data: Float32Array,
  rows: number,
  dims: number,
  extra: Partial<Dataset> = {},
): Dataset {
  return { name: 'test', source: 'test', sha256: '0'.repeat(64), rows, dims, data, ...extra };
}
