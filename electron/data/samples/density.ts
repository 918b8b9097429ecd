/**
 * Samples whose density is known in closed form, with log p and the score ∇ₓ log p at arbitrary
 * points (for the score-field analysis on a grid). Isomorphic.
 */

/**
 * Gaussian mixture in 2-D: K equal-weight isotropic components N(μ_k, σ² I), centres on the circle
 * of radius 2 at angles 2πk/K.
 *   log p(x) = logsumexp_k(−|x − μ_k|² / 2σ²) − log K − log(2πσ²)
 *   ∇ log p(x) = Σ_k r_k(x) (μ_k − x) / σ²,  r_k = softmax_k(−|x − μ_k|² / 2σ²)
 */
export const MIXTURE_RADIUS = 2;

export function mixtureCentres(k: number): number[][] {
  return Array.from({ length: k }, (_, i) => [
    MIXTURE_RADIUS * Math.cos((2 * Math.PI * i) / k),
    MIXTURE_RADIUS * Math.sin((2 * Math.PI * i) / k),
  ]);
}

/** Log-weights −|x − μ_k|²/2σ² of each component at one point, into `out` (length K). */
function mixtureLogits(
  x0: number,
  x1: number,
  centres: number[][],
  sigma: number,
  out: Float64Array,
): number {
  let max = -Infinity;
  for (let k = 0; k < centres.length; k++) {
    const d0 = x0 - centres[k]![0]!;
    const d1 = x1 - centres[k]![1]!;
    const l = -(d0 * d0 + d1 * d1) / (2 * sigma * sigma);
    out[k] = l;
    if (l > max) max = l;
  }
  return max;
}

/** log p at each point of `points` (n × 2). */
export function mixtureLogDensity(
  points: Float32Array | Float64Array,
  k: number,
  sigma: number,
): Float64Array {
  const centres = mixtureCentres(k);
  const n = points.length / 2;
  const out = new Float64Array(n);
  const logits = new Float64Array(k);
  for (let i = 0; i < n; i++) {
    const max = mixtureLogits(points[2 * i]!, points[2 * i + 1]!, centres, sigma, logits);
    let s = 0;
    for (let j = 0; j < k; j++) s += Math.exp(logits[j]! - max);
    out[i] = max + Math.log(s) - Math.log(k) - Math.log(2 * Math.PI * sigma * sigma);
  }
  return out;
}

/** ∇ log p at each point (n × 2). */
export function mixtureScore(points: Float32Array | Float64Array, k: number, sigma: number): Float32Array {
  const centres = mixtureCentres(k);
  const n = points.length / 2;
  const out = new Float32Array(points.length);
  const logits = new Float64Array(k);
  for (let i = 0; i < n; i++) {
    const x0 = points[2 * i]!;
    const x1 = points[2 * i + 1]!;
    const max = mixtureLogits(x0, x1, centres, sigma, logits);
    let s = 0;
    let g0 = 0;
    let g1 = 0;
    for (let j = 0; j < k; j++) {
      const r = Math.exp(logits[j]! - max);
      s += r;
      g0 += r * (centres[j]![0]! - x0);
      g1 += r * (centres[j]![1]! - x1);
    }
    out[2 * i] = g0 / s / (sigma * sigma);
    out[2 * i + 1] = g1 / s / (sigma * sigma);
  }
  return out;
}

/**
 * Uniform on the unit sphere S² ⊂ ℝ³ convolved with N(0, σ² I). With r = |x| and a = r/σ²,
 *   p(x) ∝ exp(−(r² + 1)/2σ²) · sinh(a)/a
 * (integrate exp(x·u/σ²) over the sphere), so with the Langevin function L(a) = coth a − 1/a,
 *   ∇ log p(x) = x · (L(a)/a · 1/σ² − 1) / σ².
 * L(a)/a → 1/3 as a → 0, where its series 1/3 − a²/45 is used.
 */
function langevinOverA(a: number): number {
  if (a < 1e-3) return 1 / 3 - (a * a) / 45;
  // coth a = 1 + 2/(e^{2a} − 1), stable for large a.
  const coth = 1 + 2 / Math.expm1(2 * a);
  return (coth - 1 / a) / a;
}

/** log p up to its normalising constant: −(r² + 1)/2σ² + log(sinh a / a). */
export function noisySphereLogDensity(points: Float32Array | Float64Array, sigma: number): Float64Array {
  const n = points.length / 3;
  const out = new Float64Array(n);
  const s2 = sigma * sigma;
  for (let i = 0; i < n; i++) {
    const r = Math.hypot(points[3 * i]!, points[3 * i + 1]!, points[3 * i + 2]!);
    const a = r / s2;
    // log(sinh a / a) = a + log1p(−e^{−2a}) − log 2 − log a; series a²/6 near 0.
    const logSinhOverA =
      a < 1e-4 ? (a * a) / 6 : a + Math.log1p(-Math.exp(-2 * a)) - Math.log(2) - Math.log(a);
    out[i] = -(r * r + 1) / (2 * s2) + logSinhOverA;
  }
  return out;
}

export function noisySphereScore(points: Float32Array | Float64Array, sigma: number): Float32Array {
  const n = points.length / 3;
  const out = new Float32Array(points.length);
  const s2 = sigma * sigma;
  for (let i = 0; i < n; i++) {
    const r = Math.hypot(points[3 * i]!, points[3 * i + 1]!, points[3 * i + 2]!);
    const f = (langevinOverA(r / s2) / s2 - 1) / s2;
    for (let j = 0; j < 3; j++) out[3 * i + j] = points[3 * i + j]! * f;
  }
  return out;
}
