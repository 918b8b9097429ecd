/**
 * The vector field r(x) − x as arrows: one InstancedMesh of a unit arrow (shaft + cone along +y),
 * each instance placed at its grid point, turned to the vector's drawn direction and scaled so the
 * arrows never swamp the plot: length = spacing · (0.3 + 0.65 · min(1, |v| / q95)) times the
 * projection's foreshortening, where spacing is the grid spacing and q95 the 95th percentile of
 * |v|. The true magnitude |v| (data units) is the colour (viridis), shown on the legend's bar.
 */
import * as THREE from 'three';
import { mergeGeometries } from 'three/examples/jsm/utils/BufferGeometryUtils.js';
import { viridis, viridisSpan } from '../colormap';
import type { SceneFrame } from '../frame';
import type { Projector } from '../projector';
import type { FieldInput } from '../../shared/view-types';
import { color3 } from './util';

function unitArrow(): THREE.BufferGeometry {
  const shaft = new THREE.CylinderGeometry(0.045, 0.045, 0.64, 8, 1, true);
  shaft.translate(0, 0.32, 0);
  const head = new THREE.ConeGeometry(0.15, 0.36, 12);
  head.translate(0, 0.82, 0);
  const merged = mergeGeometries([shaft, head]);
  shaft.dispose();
  head.dispose();
  if (!merged) throw new Error('arrow geometry: merge failed');
  return merged;
}

/** Median nearest-neighbour distance among (up to 256 sampled) origins, in data units. */
export function estimateSpacing(origins: Float32Array, d: number): number {
  const g = Math.floor(origins.length / d);
  if (g < 2) return 1;
  const step = Math.max(1, Math.floor(g / 256));
  const nearest: number[] = [];
  for (let i = 0; i < g; i += step) {
    let best = Infinity;
    for (let j = 0; j < g; j++) {
      if (j === i) continue;
      let s = 0;
      for (let t = 0; t < d; t++) s += (origins[i * d + t]! - origins[j * d + t]!) ** 2;
      if (s > 0 && s < best) best = s;
    }
    if (best < Infinity) nearest.push(Math.sqrt(best));
  }
  nearest.sort((a, b) => a - b);
  return nearest[Math.floor(nearest.length / 2)] ?? 1;
}

export class FieldLayer {
  readonly group = new THREE.Group();
  private mesh: THREE.InstancedMesh | null = null;
  private readonly geometry = unitArrow();
  private readonly material = new THREE.MeshLambertMaterial({ color: 0xffffff });
  /** Range of |v| for the legend. */
  range: [number, number] = [0, 0];
  /** Drawn arrow lengths and the grid spacing, in scene units (for tests and the legend). */
  lengths = new Float32Array(0);
  spacing = 0;
  /** The part of viridis in use (viridisSpan). */
  span: [number, number] = viridisSpan(true);

  update(input: FieldInput | null, projector: Projector, frame: SceneFrame): void {
    this.clear();
    if (!input) return;
    const d = projector.d;
    const g = Math.floor(input.origins.length / d);
    if (g === 0 || input.vectors.length !== g * d)
      throw new RangeError(`DataView: field needs origins and vectors of shape [g, ${d}]`);
    const tails = frame.toScene(projector.points(input.origins));
    const drawn = projector.vectors(input.vectors);
    const mags = new Float32Array(g);
    for (let i = 0; i < g; i++) {
      let s = 0;
      for (let t = 0; t < d; t++) s += input.vectors[i * d + t]! ** 2;
      mags[i] = Math.sqrt(s);
    }
    const sorted = Float32Array.from(mags).sort();
    const q95 = sorted[Math.min(g - 1, Math.floor(0.95 * g))]! || 1;
    this.range = [sorted[0]!, sorted[g - 1]!];
    const spacing = (input.spacing ?? estimateSpacing(input.origins, d)) * frame.scale;
    this.spacing = spacing;
    this.lengths = new Float32Array(g);
    const mesh = new THREE.InstancedMesh(this.geometry, this.material, g);
    const m = new THREE.Matrix4();
    const q = new THREE.Quaternion();
    const up = new THREE.Vector3(0, 1, 0);
    const dir = new THREE.Vector3();
    const pos = new THREE.Vector3();
    const scale = new THREE.Vector3();
    const lo = this.range[0];
    const span = this.range[1] - lo || 1;
    for (let i = 0; i < g; i++) {
      dir.set(drawn[i * 3]!, drawn[i * 3 + 1]!, drawn[i * 3 + 2]!);
      const shown = dir.length();
      const mag = mags[i]!;
      // Foreshortening: the fraction of the vector that survives the projection (1 when d ≤ 3).
      const fore = mag > 0 ? Math.min(1, shown / mag) : 0;
      const len = shown > 1e-12 ? spacing * (0.3 + 0.65 * Math.min(1, mag / q95)) * fore : 0;
      if (len > 0) q.setFromUnitVectors(up, dir.divideScalar(shown));
      this.lengths[i] = len;
      pos.set(tails[i * 3]!, tails[i * 3 + 1]!, tails[i * 3 + 2]!);
      scale.setScalar(len);
      m.compose(pos, q, scale);
      mesh.setMatrixAt(i, m);
      const t = this.span[0] + (this.span[1] - this.span[0]) * ((mag - lo) / span);
      mesh.setColorAt(i, color3(viridis(t)));
    }
    mesh.instanceMatrix.needsUpdate = true;
    if (mesh.instanceColor) mesh.instanceColor.needsUpdate = true;
    mesh.frustumCulled = false;
    this.mesh = mesh;
    this.group.add(mesh);
  }

  get count(): number {
    return this.mesh?.count ?? 0;
  }

  private clear(): void {
    if (!this.mesh) return;
    this.group.remove(this.mesh);
    this.mesh.dispose(); // the instance buffers; the shared arrow geometry stays
    this.mesh = null;
  }

  dispose(): void {
    this.clear();
    this.geometry.dispose();
    this.material.dispose();
  }
}
