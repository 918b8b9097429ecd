/** Reference densities drawn over histograms. */

export interface Density {
  label: string;
  fn: (x: number) => number;
}

/**
 * The sparse autoencoder's Laplace prior p(h) = (λ/2) e^{−λ|h|} (docs/theory.md, "Sparse"): the L1 penalty
 * λ Σ|h_i| is −log p(h) up to a constant.
 */
export function laplaceDensity(lambda: number): Density {
  return { label: `Laplace prior, λ = ${lambda}`, fn: (x) => (lambda / 2) * Math.exp(-lambda * Math.abs(x)) };
}

/**
 * Histogram of the finite values over [lo, hi] in `bins` equal bins, as densities
 * (count / (n · width)) so that a probability density can be drawn on the same axis.
 */
export function histogram(
  values: ArrayLike<number>,
  bins: number,
  lo: number,
  hi: number,
): { edges: Float64Array; density: Float64Array; counts: Uint32Array; n: number } {
  const counts = new Uint32Array(bins);
  const width = (hi - lo) / bins || 1;
  let n = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    if (!Number.isFinite(v) || v < lo || v > hi) continue;
    counts[Math.min(bins - 1, Math.floor((v - lo) / width))]!++;
    n++;
  }
  const edges = new Float64Array(bins + 1);
  for (let b = 0; b <= bins; b++) edges[b] = lo + b * width;
  const density = new Float64Array(bins);
  for (let b = 0; b < bins; b++) density[b] = n > 0 ? counts[b]! / (n * width) : 0;
  return { edges, density, counts, n };
}
