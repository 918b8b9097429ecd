/**
 * The synthetic manifolds behind `sample:NAME`: each is a parametrisation φ: U ⊂ ℝᵐ → ℝᵈ with its
 * Jacobian and its unit tangent basis in closed form, and the distribution of the intrinsic
 * coordinates the generator draws from. Isomorphic: no Node or DOM imports (the browser mode
 * generates samples too).
 *
 * A point of the dataset is x = φ(c) + σ·ε, ε ~ N(0, I_d); the ground truth (coordinates, tangents)
 * is that of the generating point φ(c) on the manifold.
 */
import type { Rng } from '../../engine/random';

export interface Manifold {
  /** Ambient dimension d. */
  dims: number;
  /** Intrinsic dimension m. */
  intrinsicDims: number;
  /** Names of the intrinsic coordinates, in order. */
  coordinateNames: string[];
  /** Draw intrinsic coordinates c (length m) from the sampling distribution. */
  draw(rng: Rng): number[];
  /** φ(c): the point on the manifold, length d. */
  embed(c: readonly number[]): number[];
  /** ∂φ/∂cᵢ for each i: m rows of length d (not normalised). */
  jacobian(c: readonly number[]): number[][];
  /** An orthonormal basis of the tangent space at φ(c): m rows of length d. */
  tangent(c: readonly number[]): number[][];
}

const TAU = 2 * Math.PI;

function unit(v: number[]): number[] {
  const n = Math.hypot(...v);
  return v.map((x) => x / n);
}

/** Swiss roll (as scikit-learn's make_swiss_roll): t ∈ [1.5π, 4.5π], h ∈ [0, 21]; φ = (t cos t, h, t sin t). */
const swissRoll: Manifold = {
  dims: 3,
  intrinsicDims: 2,
  coordinateNames: ['t', 'height'],
  draw: (rng) => [1.5 * Math.PI * (1 + 2 * rng.next()), 21 * rng.next()],
  embed: ([t, h]) => [t! * Math.cos(t!), h!, t! * Math.sin(t!)],
  jacobian: ([t]) => [
    [Math.cos(t!) - t! * Math.sin(t!), 0, Math.sin(t!) + t! * Math.cos(t!)],
    [0, 1, 0],
  ],
  // The two columns of the Jacobian are orthogonal: normalising each gives the basis.
  tangent: (c) => swissRoll.jacobian(c).map(unit),
};

/** S-curve (as scikit-learn's make_s_curve): t ∈ [−1.5π, 1.5π], y ∈ [0, 2]; φ = (sin t, y, sgn(t)(cos t − 1)). */
const sCurve: Manifold = {
  dims: 3,
  intrinsicDims: 2,
  coordinateNames: ['t', 'y'],
  draw: (rng) => [3 * Math.PI * (rng.next() - 0.5), 2 * rng.next()],
  embed: ([t, y]) => [Math.sin(t!), y!, Math.sign(t!) * (Math.cos(t!) - 1)],
  // d/dt sgn(t)(cos t − 1) = −sgn(t) sin t (continuous at 0); |∂φ/∂t| = 1 already.
  jacobian: ([t]) => [
    [Math.cos(t!), 0, -Math.sign(t!) * Math.sin(t!)],
    [0, 1, 0],
  ],
  tangent: (c) => sCurve.jacobian(c).map(unit),
};

/**
 * Unit sphere S², uniform: polar angle θ = arccos(1 − 2u), azimuth φ = 2πv;
 * φ(θ, φ) = (sin θ cos φ, sin θ sin φ, cos θ).
 */
const sphere: Manifold = {
  dims: 3,
  intrinsicDims: 2,
  coordinateNames: ['polar', 'azimuth'],
  draw: (rng) => [Math.acos(1 - 2 * rng.next()), TAU * rng.next()],
  embed: ([th, ph]) => [Math.sin(th!) * Math.cos(ph!), Math.sin(th!) * Math.sin(ph!), Math.cos(th!)],
  jacobian: ([th, ph]) => [
    [Math.cos(th!) * Math.cos(ph!), Math.cos(th!) * Math.sin(ph!), -Math.sin(th!)],
    [-Math.sin(th!) * Math.sin(ph!), Math.sin(th!) * Math.cos(ph!), 0],
  ],
  // ∂φ/∂φ = sin θ · (−sin φ, cos φ, 0): its direction stays defined at the poles, where sin θ = 0.
  tangent: ([th, ph]) => [
    [Math.cos(th!) * Math.cos(ph!), Math.cos(th!) * Math.sin(ph!), -Math.sin(th!)],
    [-Math.sin(ph!), Math.cos(ph!), 0],
  ],
};

export const TORUS_R = 2;
export const TORUS_r = 0.7;

/**
 * Ring torus, uniform in area: φ(u, v) = ((R + r cos v) cos u, (R + r cos v) sin u, r sin v). The
 * area element is r(R + r cos v) du dv, so v is drawn by rejection with acceptance (R + r cos v)/(R + r).
 */
const torus: Manifold = {
  dims: 3,
  intrinsicDims: 2,
  coordinateNames: ['u', 'v'],
  draw: (rng) => {
    const u = TAU * rng.next();
    for (;;) {
      const v = TAU * rng.next();
      if (rng.next() * (TORUS_R + TORUS_r) <= TORUS_R + TORUS_r * Math.cos(v)) return [u, v];
    }
  },
  embed: ([u, v]) => {
    const w = TORUS_R + TORUS_r * Math.cos(v!);
    return [w * Math.cos(u!), w * Math.sin(u!), TORUS_r * Math.sin(v!)];
  },
  jacobian: ([u, v]) => {
    const w = TORUS_R + TORUS_r * Math.cos(v!);
    return [
      [-w * Math.sin(u!), w * Math.cos(u!), 0],
      [
        -TORUS_r * Math.sin(v!) * Math.cos(u!),
        -TORUS_r * Math.sin(v!) * Math.sin(u!),
        TORUS_r * Math.cos(v!),
      ],
    ];
  },
  tangent: ([u, v]) => [
    [-Math.sin(u!), Math.cos(u!), 0],
    [-Math.sin(v!) * Math.cos(u!), -Math.sin(v!) * Math.sin(u!), Math.cos(v!)],
  ],
};

export const HELIX_PITCH = 0.25;

/** Helix, two turns: t ∈ [0, 4π]; φ(t) = (cos t, sin t, c t), c = 0.25. */
const helix: Manifold = {
  dims: 3,
  intrinsicDims: 1,
  coordinateNames: ['t'],
  draw: (rng) => [2 * TAU * rng.next()],
  embed: ([t]) => [Math.cos(t!), Math.sin(t!), HELIX_PITCH * t!],
  jacobian: ([t]) => [[-Math.sin(t!), Math.cos(t!), HELIX_PITCH]],
  tangent: (c) => helix.jacobian(c).map(unit),
};

/** Archimedean spiral: θ ∈ [π/2, 4π]; φ(θ) = (θ cos θ, θ sin θ) / 2π (radius up to 2). */
const spiral: Manifold = {
  dims: 2,
  intrinsicDims: 1,
  coordinateNames: ['theta'],
  draw: (rng) => [Math.PI / 2 + 3.5 * Math.PI * rng.next()],
  embed: ([th]) => [(th! * Math.cos(th!)) / TAU, (th! * Math.sin(th!)) / TAU],
  jacobian: ([th]) => [
    [(Math.cos(th!) - th! * Math.sin(th!)) / TAU, (Math.sin(th!) + th! * Math.cos(th!)) / TAU],
  ],
  tangent: (c) => spiral.jacobian(c).map(unit),
};

export const MANIFOLDS: Readonly<Record<string, Manifold>> = {
  'swiss-roll': swissRoll,
  's-curve': sCurve,
  sphere,
  torus,
  helix,
  spiral,
};
