/**
 * Float64 reference implementations for the engine tests: a dense stack's forward pass and its
 * exact Jacobian by the chain rule (J_l = diag(σ'(z_l))·W_lᵀ·J_{l−1}), computed from the model's
 * weights in plain JavaScript, so float32 tfjs results can be checked against something exact.
 */
import type { Activation } from '../../../electron/shared/model-config';
import type { DenseLayer } from '../../../electron/engine/models/stack';

export interface RefLayer {
  /** [in][out] */
  w: number[][];
  b: number[];
  activation: Activation;
}

export function refLayers(layers: readonly DenseLayer[]): RefLayer[] {
  return layers.map((l) => {
    const data = l.w.dataSync();
    const [r, c] = l.w.shape as [number, number];
    const w = l.transposeW
      ? Array.from({ length: c }, (_, i) => Array.from({ length: r }, (_, j) => data[j * c + i]!))
      : Array.from({ length: r }, (_, i) => Array.from({ length: c }, (_, j) => data[i * c + j]!));
    return { w, b: Array.from(l.b.dataSync()), activation: l.activation };
  });
}

export function act(a: Activation, z: number): number {
  switch (a) {
    case 'relu':
      return z > 0 ? z : 0;
    case 'tanh':
      return Math.tanh(z);
    case 'sigmoid':
      return 1 / (1 + Math.exp(-z));
    case 'elu':
      return z > 0 ? z : Math.expm1(z);
    case 'linear':
      return z;
  }
}

export function actDeriv(a: Activation, z: number): number {
  switch (a) {
    case 'relu':
      return z > 0 ? 1 : 0;
    case 'tanh':
      return 1 - Math.tanh(z) ** 2;
    case 'sigmoid': {
      const s = 1 / (1 + Math.exp(-z));
      return s * (1 - s);
    }
    case 'elu':
      return z > 0 ? 1 : Math.exp(z);
    case 'linear':
      return 1;
  }
}

function affine(l: RefLayer, h: number[]): number[] {
  return l.b.map((b, j) => h.reduce((s, v, i) => s + v * l.w[i]![j]!, b));
}

export function refForward(layers: readonly RefLayer[], x: number[]): number[] {
  return layers.reduce((h, l) => affine(l, h).map((z) => act(l.activation, z)), x);
}

/** J = ∂f/∂x, k × d, exact in float64. */
export function refJacobian(layers: readonly RefLayer[], x: number[]): number[][] {
  let h = x;
  // J starts as the identity, d × d (rows: current units).
  let J: number[][] = x.map((_, i) => x.map((__, j) => (i === j ? 1 : 0)));
  for (const l of layers) {
    const z = affine(l, h);
    const next: number[][] = z.map((zj, j) => {
      const dj = actDeriv(l.activation, zj);
      return x.map((_, c) => dj * J.reduce((s, row, i) => s + l.w[i]![j]! * row[c]!, 0));
    });
    h = z.map((zj) => act(l.activation, zj));
    J = next;
  }
  return J;
}

/** Central finite-difference Jacobian of f at x (float64), k × d. */
export function fdJacobian(f: (x: number[]) => number[], x: number[], h = 1e-6): number[][] {
  const cols = x.map((_, c) => {
    const xp = [...x];
    const xm = [...x];
    xp[c]! += h;
    xm[c]! -= h;
    const fp = f(xp);
    const fm = f(xm);
    return fp.map((v, j) => (v - fm[j]!) / (2 * h));
  });
  return cols[0]!.map((_, j) => cols.map((col) => col[j]!));
}

export const frobSq = (J: number[][]) => J.reduce((s, row) => s + row.reduce((a, v) => a + v * v, 0), 0);

export function relErr(a: number, b: number): number {
  return Math.abs(a - b) / Math.max(Math.abs(b), 1e-12);
}
