/**
 * Synthetic data for the gallery's views: a seeded swiss roll with its codes, decoded mesh,
 * tangents, a vector field and denoising trajectories; a noisy circle in 2-D; the roll embedded in
 * 10-D (the charts' data are in chart-samples.ts). Everything is drawn from the engine's seeded
 * generator (electron/engine/random.ts), so screenshots compare run to run.
 */
import { createRng } from '../../../electron/engine/random';
import { pcaBasis } from '../scene/view-pca';

/** The roll: t ∈ [1.5π, 4.5π] around, s ∈ [0, 1] across; about 2.8 wide and 1.4 high. */
function roll(t: number, s: number, out: Float32Array, o: number): void {
  out[o] = (t * Math.cos(t)) / 10;
  out[o + 1] = (s - 0.5) * 1.4;
  out[o + 2] = (t * Math.sin(t)) / 10;
}

const T0 = 1.5 * Math.PI;
const T1 = 4.5 * Math.PI;

export interface ManifoldScene {
  d: number;
  data: Float32Array;
  recon: Float32Array;
  labels: Int32Array;
  labelNames: string[];
  curve: Float32Array | null;
  surface: { positions: Float32Array; rows: number; cols: number } | null;
  tangents: { centres: Float32Array; bases: Float32Array; m: number };
  field: { origins: Float32Array; vectors: Float32Array; spacing: number };
  trajectories: { points: Float32Array; steps: number };
  pca: { mean: Float64Array; axes: Float64Array; extents: number[] };
  projection: { mean: Float64Array; components: Float64Array } | null;
}

export interface CodeSet {
  codes: Float32Array;
  k: number;
  labels: Int32Array;
  error: Float32Array;
  sparsity: Float32Array;
  buckets: Uint32Array;
}

const SEGMENTS = ['inner', 'second', 'third', 'fourth', 'fifth', 'outer'];

/** Swiss-roll parameters (t, s) for n points. */
function rollParams(n: number, seed: number): { t: Float32Array; s: Float32Array } {
  const u = createRng(seed);
  const t = new Float32Array(n);
  const s = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    // Uniform in arc length (≈ t²), so the outer turns are not sparse.
    t[i] = Math.sqrt(T0 * T0 + u.next() * (T1 * T1 - T0 * T0));
    s[i] = u.next();
  }
  return { t, s };
}

function segmentOf(t: number): number {
  return Math.min(5, Math.floor(((t - T0) / (T1 - T0)) * 6));
}

/** Codes of the roll: k = 1 (t), 2 (t, s), 3 (t, s, a small third unit) or k > 3 (a random linear map of (t, s) plus noise). */
export function swissCodes(n: number, k: number, seed = 7): CodeSet {
  const { t, s } = rollParams(n, seed);
  const g = createRng(seed + 1);
  const mix = Array.from({ length: k * 2 }, () => g.normal());
  const codes = new Float32Array(n * k);
  const labels = new Int32Array(n);
  const error = new Float32Array(n);
  const sparsity = new Float32Array(n);
  const buckets = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    const a = ((t[i]! - T0) / (T1 - T0)) * 2 - 1;
    const b = s[i]! * 2 - 1;
    labels[i] = segmentOf(t[i]!);
    if (k === 1) codes[i] = a;
    else if (k === 2) {
      codes[i * 2] = a;
      codes[i * 2 + 1] = b;
    } else if (k === 3) {
      codes[i * 3] = a;
      codes[i * 3 + 1] = b;
      codes[i * 3 + 2] = 0.25 * Math.sin(3 * a) * b + 0.03 * g.normal();
    } else {
      for (let j = 0; j < k; j++)
        codes[i * k + j] = mix[j * 2]! * a + mix[j * 2 + 1]! * b + 0.05 * g.normal();
    }
    error[i] = Math.abs(0.02 + 0.05 * a * a + 0.01 * g.normal());
    let l1 = 0;
    for (let j = 0; j < k; j++) l1 += Math.abs(codes[i * k + j]!);
    sparsity[i] = l1 / k;
    let bits = 0;
    for (let j = 0; j < Math.min(k, 8); j++) if (codes[i * k + j]! > 0) bits |= 1 << j;
    buckets[i] = k >= 2 ? bits | ((Math.floor((a + 1) * 2) & 3) << 8) : bits;
  }
  return { codes, k, labels, error, sparsity, buckets };
}

/** A training snapshot: codes that start as noise and settle onto `target` as progress goes 0 → 1. */
export function streamedCodes(target: Float32Array, progress: number, seed: number): Float32Array {
  const g = createRng(seed);
  const out = new Float32Array(target.length);
  const p = Math.min(1, Math.max(0, progress));
  for (let i = 0; i < target.length; i++) out[i] = target[i]! * p + (1 - p) * 0.6 * g.normal();
  return out;
}

/** Nearest of `ref` ([m, 3]) to (x, y, z): index. */
function nearest(ref: Float32Array, x: number, y: number, z: number): number {
  let best = 0;
  let bd = Infinity;
  for (let j = 0; j < ref.length; j += 3) {
    const d = (ref[j]! - x) ** 2 + (ref[j + 1]! - y) ** 2 + (ref[j + 2]! - z) ** 2;
    if (d < bd) {
      bd = d;
      best = j / 3;
    }
  }
  return best;
}

function pcaPlane(data: Float32Array, n: number, d: number, m: number): ManifoldScene['pca'] {
  const b = pcaBasis(data, n, d, m);
  return { mean: b.mean, axes: b.components, extents: Array.from(b.variances, (v) => 2 * Math.sqrt(v)) };
}

/** The swiss roll in 3-D with every layer. */
export function swissScene(n: number, seed = 11): ManifoldScene {
  const { t, s } = rollParams(n, seed);
  const g = createRng(seed + 5);
  const data = new Float32Array(n * 3);
  const recon = new Float32Array(n * 3);
  const labels = new Int32Array(n);
  const clean = new Float32Array(3);
  for (let i = 0; i < n; i++) {
    roll(t[i]!, s[i]!, clean, 0);
    for (let c = 0; c < 3; c++) {
      data[i * 3 + c] = clean[c]! + 0.045 * g.normal();
      recon[i * 3 + c] = clean[c]! + 0.012 * g.normal();
    }
    labels[i] = segmentOf(t[i]!);
  }
  // Decoded surface: 14 rows across × 48 columns around.
  const rows = 14;
  const cols = 48;
  const positions = new Float32Array(rows * cols * 3);
  for (let r = 0; r < rows; r++)
    for (let c = 0; c < cols; c++)
      roll(T0 + ((T1 - T0) * c) / (cols - 1), r / (rows - 1), positions, (r * cols + c) * 3);
  // Tangent planes at 18 points: ∂/∂t = (cos t − t sin t, 0, sin t + t cos t)/10, ∂/∂s = (0, 1.4, 0).
  const p = 18;
  const centres = new Float32Array(p * 3);
  const bases = new Float32Array(p * 2 * 3);
  const u = createRng(seed + 9);
  for (let i = 0; i < p; i++) {
    const tt = T0 + (T1 - T0) * ((i + 0.5) / p);
    roll(tt, 0.2 + 0.6 * u.next(), centres, i * 3);
    bases.set([(Math.cos(tt) - tt * Math.sin(tt)) / 10, 0, (Math.sin(tt) + tt * Math.cos(tt)) / 10], i * 6);
    bases.set([0, 1.4, 0], i * 6 + 3);
  }
  // Vector field on a 7 × 5 × 7 grid: r(x) − x = 0.6 (nearest point of the roll − x).
  const dense = new Float32Array(4000 * 3);
  for (let i = 0; i < 4000; i++)
    roll(T0 + ((T1 - T0) * (i % 200)) / 199, Math.floor(i / 200) / 19, dense, i * 3);
  const gx = 7;
  const gy = 5;
  const gz = 7;
  const lo = [-1.45, -0.9, -1.45];
  const hi = [1.45, 0.9, 1.45];
  const origins = new Float32Array(gx * gy * gz * 3);
  const vectors = new Float32Array(gx * gy * gz * 3);
  let a = 0;
  for (let ix = 0; ix < gx; ix++)
    for (let iy = 0; iy < gy; iy++)
      for (let iz = 0; iz < gz; iz++) {
        const x = lo[0]! + ((hi[0]! - lo[0]!) * ix) / (gx - 1);
        const y = lo[1]! + ((hi[1]! - lo[1]!) * iy) / (gy - 1);
        const z = lo[2]! + ((hi[2]! - lo[2]!) * iz) / (gz - 1);
        const j = nearest(dense, x, y, z);
        origins.set([x, y, z], a * 3);
        vectors.set(
          [0.6 * (dense[j * 3]! - x), 0.6 * (dense[j * 3 + 1]! - y), 0.6 * (dense[j * 3 + 2]! - z)],
          a * 3,
        );
        a++;
      }
  const trajectories = walk(dense, 12, 18, seed + 3, [lo, hi]);
  return {
    d: 3,
    data,
    recon,
    labels,
    labelNames: SEGMENTS,
    curve: null,
    surface: { positions, rows, cols },
    tangents: { centres, bases, m: 2 },
    field: { origins, vectors, spacing: (hi[0]! - lo[0]!) / (gx - 1) },
    trajectories,
    pca: pcaPlane(data, n, 3, 2),
    projection: null,
  };
}

/** Denoising walks x ← x + 0.3 (nearest(x) − x) + a little noise, from random starts in the box. */
function walk(
  ref: Float32Array,
  count: number,
  steps: number,
  seed: number,
  box: [number[], number[]],
): ManifoldScene['trajectories'] {
  const u = createRng(seed);
  const points = new Float32Array(count * steps * 3);
  for (let a = 0; a < count; a++) {
    const x = box[0].map((l, c) => l + (box[1][c]! - l) * u.next());
    for (let st = 0; st < steps; st++) {
      points.set(x, (a * steps + st) * 3);
      const j = nearest(ref, x[0]!, x[1]!, x[2]!);
      for (let c = 0; c < 3; c++) x[c] = x[c]! + 0.3 * (ref[j * 3 + c]! - x[c]!) + 0.01 * u.normal();
    }
  }
  return { points, steps };
}

/** A noisy unit circle in 2-D (k = 1): the decoded curve, 1-D tangents, a field pulling onto the circle. */
export function circleScene(n: number, seed = 5): ManifoldScene {
  const u = createRng(seed);
  const data = new Float32Array(n * 2);
  const recon = new Float32Array(n * 2);
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const th = 2 * Math.PI * u.next();
    const r = 1 + 0.09 * u.normal();
    data.set([r * Math.cos(th), r * Math.sin(th)], i * 2);
    const rr = 1 + 0.015 * u.normal();
    recon.set([rr * Math.cos(th), rr * Math.sin(th)], i * 2);
    labels[i] = Math.floor(((th + Math.PI / 4) / (2 * Math.PI)) * 4) % 4;
  }
  const curve = new Float32Array(201 * 2);
  for (let i = 0; i <= 200; i++)
    curve.set([Math.cos((2 * Math.PI * i) / 200), Math.sin((2 * Math.PI * i) / 200)], i * 2);
  const p = 16;
  const centres = new Float32Array(p * 2);
  const bases = new Float32Array(p * 2);
  for (let i = 0; i < p; i++) {
    const th = (2 * Math.PI * i) / p;
    centres.set([Math.cos(th), Math.sin(th)], i * 2);
    bases.set([-Math.sin(th), Math.cos(th)], i * 2);
  }
  const side = 19;
  const origins = new Float32Array(side * side * 2);
  const vectors = new Float32Array(side * side * 2);
  for (let iy = 0; iy < side; iy++)
    for (let ix = 0; ix < side; ix++) {
      const x = -1.8 + (3.6 * ix) / (side - 1);
      const y = -1.8 + (3.6 * iy) / (side - 1);
      const r = Math.hypot(x, y) || 1e-9;
      origins.set([x, y], (iy * side + ix) * 2);
      vectors.set([0.5 * (x / r - x), 0.5 * (y / r - y)], (iy * side + ix) * 2);
    }
  const count = 10;
  const steps = 16;
  const points = new Float32Array(count * steps * 2);
  for (let a = 0; a < count; a++) {
    const th = (2 * Math.PI * a) / count + 0.3;
    const r0 = a % 2 === 0 ? 1.7 : 0.15;
    let x = r0 * Math.cos(th);
    let y = r0 * Math.sin(th);
    for (let st = 0; st < steps; st++) {
      points.set([x, y], (a * steps + st) * 2);
      const r = Math.hypot(x, y) || 1e-9;
      x += 0.3 * (x / r - x);
      y += 0.3 * (y / r - y);
    }
  }
  return {
    d: 2,
    data,
    recon,
    labels,
    labelNames: ['east', 'north', 'west', 'south'],
    curve,
    surface: null,
    tangents: { centres, bases, m: 1 },
    field: { origins, vectors, spacing: 3.6 / (side - 1) },
    trajectories: { points, steps },
    pca: pcaPlane(data, n, 2, 1),
    projection: null,
  };
}

/** The swiss roll embedded in 10-D by a random orthonormal map, plus noise; with its 3-D PCA projection. */
export function highDimScene(n: number, seed = 13): ManifoldScene {
  const d = 10;
  const base = swissScene(n, seed);
  const g = createRng(seed + 21);
  // Q: [3, d] with orthonormal rows (Gram–Schmidt of Gaussian rows).
  const q = new Float64Array(3 * d);
  for (let r = 0; r < 3; r++) {
    for (let c = 0; c < d; c++) q[r * d + c] = g.normal();
    for (let p = 0; p < r; p++) {
      let dot = 0;
      for (let c = 0; c < d; c++) dot += q[r * d + c]! * q[p * d + c]!;
      for (let c = 0; c < d; c++) q[r * d + c]! -= dot * q[p * d + c]!;
    }
    let norm = 0;
    for (let c = 0; c < d; c++) norm += q[r * d + c]! ** 2;
    for (let c = 0; c < d; c++) q[r * d + c]! /= Math.sqrt(norm);
  }
  const lift = (x: Float32Array, noise: number, linear = false): Float32Array => {
    const m = x.length / 3;
    const out = new Float32Array(m * d);
    for (let i = 0; i < m; i++)
      for (let c = 0; c < d; c++) {
        let v = 0;
        for (let r = 0; r < 3; r++) v += x[i * 3 + r]! * q[r * d + c]!;
        out[i * d + c] = v + (linear ? 0 : noise * g.normal());
      }
    return out;
  };
  const data = lift(base.data, 0.03);
  const pca = pcaBasis(data, n, d, 3);
  return {
    ...base,
    d,
    data,
    recon: lift(base.recon, 0.005),
    surface: base.surface && { ...base.surface, positions: lift(base.surface.positions, 0, true) },
    tangents: {
      centres: lift(base.tangents.centres, 0, true),
      bases: lift(base.tangents.bases, 0, true),
      m: 2,
    },
    field: {
      origins: lift(base.field.origins, 0, true),
      vectors: lift(base.field.vectors, 0, true),
      spacing: base.field.spacing,
    },
    trajectories: { points: lift(base.trajectories.points, 0, true), steps: base.trajectories.steps },
    pca: pcaPlane(data, n, d, 2),
    projection: { mean: pca.mean, components: pca.components },
  };
}
