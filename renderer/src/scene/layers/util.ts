/** Small helpers shared by the data-space layers. */
import * as THREE from 'three';
import type { Rgb } from '../colormap';

/** A three.js colour from sRGB bytes (three works in linear space and converts on output). */
export function color3(rgb: Rgb): THREE.Color {
  return new THREE.Color().setRGB(rgb[0] / 255, rgb[1] / 255, rgb[2] / 255, THREE.SRGBColorSpace);
}

export function segments(positions: Float32Array, material: THREE.Material): THREE.LineSegments {
  const g = new THREE.BufferGeometry();
  g.setAttribute('position', new THREE.BufferAttribute(positions, 3));
  const l = new THREE.LineSegments(g, material);
  l.frustumCulled = false;
  return l;
}

/**
 * Orthonormalise the m rows of `basis` ([m, d]) by Gram–Schmidt; rows that are (nearly) dependent
 * come out zero.
 */
export function orthonormalRows(basis: ArrayLike<number>, m: number, d: number, offset = 0): Float64Array {
  const q = new Float64Array(m * d);
  for (let a = 0; a < m; a++) {
    for (let t = 0; t < d; t++) q[a * d + t] = basis[offset + a * d + t] as number;
    for (let b = 0; b < a; b++) {
      let dot = 0;
      for (let t = 0; t < d; t++) dot += q[a * d + t]! * q[b * d + t]!;
      for (let t = 0; t < d; t++) q[a * d + t]! -= dot * q[b * d + t]!;
    }
    let norm = 0;
    for (let t = 0; t < d; t++) norm += q[a * d + t]! ** 2;
    norm = Math.sqrt(norm);
    for (let t = 0; t < d; t++) q[a * d + t] = norm > 1e-12 ? q[a * d + t]! / norm : 0;
  }
  return q;
}
