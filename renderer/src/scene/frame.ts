/**
 * Data units ↔ scene units. Every view maps its (projected) 3-D data coordinates into a scene
 * about two units across, centred on the origin, with ONE scale for all axes (so shapes keep
 * their true proportions); the axes' tick labels stay in data units.
 */
import * as THREE from 'three';

export type Vec3 = [number, number, number];

export interface Bounds {
  min: Vec3;
  max: Vec3;
}

/** Bounds of the finite rows of `pos` ([n, 3]); an empty or non-finite cloud gives the unit cube. */
export function boundsOf(pos: Float32Array, into?: Bounds): Bounds {
  const min: Vec3 = into ? into.min : [Infinity, Infinity, Infinity];
  const max: Vec3 = into ? into.max : [-Infinity, -Infinity, -Infinity];
  for (let i = 0; i < pos.length; i += 3) {
    const x = pos[i]!;
    const y = pos[i + 1]!;
    const z = pos[i + 2]!;
    if (!(Number.isFinite(x) && Number.isFinite(y) && Number.isFinite(z))) continue;
    if (x < min[0]) min[0] = x;
    if (x > max[0]) max[0] = x;
    if (y < min[1]) min[1] = y;
    if (y > max[1]) max[1] = y;
    if (z < min[2]) min[2] = z;
    if (z > max[2]) max[2] = z;
  }
  if (!(min[0] <= max[0])) return { min: [-1, -1, -1], max: [1, 1, 1] };
  return { min, max };
}

export function unionBounds(a: Bounds, b: Bounds): Bounds {
  return {
    min: [Math.min(a.min[0], b.min[0]), Math.min(a.min[1], b.min[1]), Math.min(a.min[2], b.min[2])],
    max: [Math.max(a.max[0], b.max[0]), Math.max(a.max[1], b.max[1]), Math.max(a.max[2], b.max[2])],
  };
}

/** True when `inner` lies inside `outer` grown by `slack` × its size on every side. */
export function boundsWithin(inner: Bounds, outer: Bounds, slack = 0.25): boolean {
  for (let j = 0; j < 3; j++) {
    const pad = (outer.max[j]! - outer.min[j]!) * slack;
    if (inner.min[j]! < outer.min[j]! - pad || inner.max[j]! > outer.max[j]! + pad) return false;
  }
  return true;
}

export class SceneFrame {
  /** scene = (data − center) · scale */
  constructor(
    readonly center: Vec3,
    readonly scale: number,
    readonly bounds: Bounds,
  ) {}

  /** The largest extent of `bounds` maps to two scene units. */
  static fit(bounds: Bounds): SceneFrame {
    const size = [0, 1, 2].map((j) => bounds.max[j]! - bounds.min[j]!);
    const biggest = Math.max(...size);
    const scale = biggest > 0 && Number.isFinite(biggest) ? 2 / biggest : 1;
    const center = [0, 1, 2].map((j) => (bounds.max[j]! + bounds.min[j]!) / 2) as Vec3;
    return new SceneFrame(center, scale, bounds);
  }

  /** [n, 3] data → [n, 3] scene, into `out`. */
  toScene(pos: Float32Array, out = new Float32Array(pos.length)): Float32Array {
    const [cx, cy, cz] = this.center;
    const s = this.scale;
    for (let i = 0; i < pos.length; i += 3) {
      out[i] = (pos[i]! - cx) * s;
      out[i + 1] = (pos[i + 1]! - cy) * s;
      out[i + 2] = (pos[i + 2]! - cz) * s;
    }
    return out;
  }

  point(x: number, y: number, z: number, out = new THREE.Vector3()): THREE.Vector3 {
    return out.set(
      (x - this.center[0]) * this.scale,
      (y - this.center[1]) * this.scale,
      (z - this.center[2]) * this.scale,
    );
  }

  /** Scene-space box of the data bounds, for the camera fit. */
  sceneBox(): { min: THREE.Vector3; max: THREE.Vector3 } {
    const { min, max } = this.bounds;
    return { min: this.point(min[0], min[1], min[2]), max: this.point(max[0], max[1], max[2]) };
  }
}
