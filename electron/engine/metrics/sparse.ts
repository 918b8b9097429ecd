/**
 * The sparse family's figures (docs/theory.md, "Sparse"): mean |h|, the fraction of near-zero codes, each
 * unit's activation frequency, and the Laplace-prior reading: with p(h_i) = (λ/2)e^{−λ|h_i|},
 * −log p(h) = λΣ|h_i| − k log(λ/2); the maximum-likelihood Laplace rate for the codes is
 * λ̂ = 1 / mean|h|; the histogram of h against the Laplace density (λ/2)e^{−λ|h|}.
 */
export interface SparsityFigures {
  meanAbsCode: number;
  /** |h_i| < epsilon. */
  fractionNearZero: number;
  epsilon: number;
  /** Per code unit: the fraction of rows where |h_i| ≥ ε. */
  unitActivity: number[];
}

export interface LaplaceReading {
  lambda: number;
  /** The Laplace rate that best fits the codes (maximum likelihood): 1 / mean|h|. */
  fittedLambda: number;
  /** Mean over rows of −log p(h) = λΣ|h_i| − k log(λ/2). */
  meanNegLogPrior: number;
  histogram: { edges: number[]; density: number[]; laplaceDensity: number[] };
}

export function sparsityFigures(
  codes: Float32Array,
  rows: number,
  k: number,
  epsilon = 1e-3,
): SparsityFigures {
  let abs = 0;
  let near = 0;
  const active = new Float64Array(k);
  for (let r = 0; r < rows; r++)
    for (let j = 0; j < k; j++) {
      const a = Math.abs(codes[r * k + j]!);
      abs += a;
      if (a < epsilon) near++;
      else active[j]!++;
    }
  const n = Math.max(1, rows * k);
  return {
    meanAbsCode: abs / n,
    fractionNearZero: near / n,
    epsilon,
    unitActivity: Array.from(active, (a) => a / Math.max(1, rows)),
  };
}

export function laplaceReading(
  codes: Float32Array,
  rows: number,
  k: number,
  lambda: number,
  bins = 41,
): LaplaceReading {
  let abs = 0;
  let maxAbs = 0;
  for (let i = 0; i < rows * k; i++) {
    const a = Math.abs(codes[i]!);
    abs += a;
    if (a > maxAbs) maxAbs = a;
  }
  const meanAbs = abs / Math.max(1, rows * k);
  const lim = maxAbs > 0 ? maxAbs : 1;
  const width = (2 * lim) / bins;
  const edges = Array.from({ length: bins + 1 }, (_, i) => -lim + i * width);
  const counts = new Float64Array(bins);
  for (let i = 0; i < rows * k; i++) counts[Math.min(bins - 1, Math.floor((codes[i]! + lim) / width))]!++;
  const total = Math.max(1, rows * k);
  const lam = lambda > 0 ? lambda : 1 / Math.max(meanAbs, 1e-12);
  return {
    lambda,
    fittedLambda: 1 / Math.max(meanAbs, 1e-12),
    meanNegLogPrior: lam * meanAbs * k - k * Math.log(lam / 2),
    histogram: {
      edges,
      density: Array.from(counts, (c) => c / (total * width)),
      laplaceDensity: edges.slice(0, -1).map((e) => (lam / 2) * Math.exp(-lam * Math.abs(e + width / 2))),
    },
  };
}
