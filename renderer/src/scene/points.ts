/**
 * One point cloud = one `THREE.Points` over one `BufferGeometry`:
 *   position [n, 3] float32  — where the points are going (scene units)
 *   aFrom    [n, 3] float32  — where they were; the shader mixes the two by `uMix`, so a streamed
 *                              snapshot glides into place with no per-frame CPU work
 *   aColor   [n, 3] uint8    — sRGB bytes, normalised; written out as they are
 * A second `Points` shares the geometry with an id-writing material for GPU picking (picking.ts).
 */
import * as THREE from 'three';
import { ScreenGrid } from './grid-index';
import type { Stage } from './stage';

const VERTEX = /* glsl */ `
in vec3 aFrom;
in vec3 aColor;
uniform float uMix;
uniform float uSize;
uniform float uPixelRatio;
out vec3 vColor;
void main() {
  vec3 p = mix(aFrom, position, uMix);
  gl_Position = projectionMatrix * modelViewMatrix * vec4(p, 1.0);
  gl_PointSize = uSize * uPixelRatio;
  vColor = aColor;
}`;

const FRAGMENT = /* glsl */ `
out highp vec4 fragColor;
in vec3 vColor;
uniform float uRim;
void main() {
  vec2 c = gl_PointCoord * 2.0 - 1.0;
  float r = length(c);
  // Analytic antialiasing: the disc fades out over its last pixel (fwidth(r) ≈ one pixel in r
  // units). Multisampling cannot do this: a discarded fragment drops all its samples.
  float aa = max(fwidth(r), 1e-3);
  float alpha = 1.0 - smoothstep(1.0 - aa, 1.0, r);
  if (alpha < 0.02) discard;
  // A darker rim separates overlapping discs.
  float rim = smoothstep(0.55, 1.0, r) * uRim;
  fragColor = vec4(vColor * (1.0 - 0.3 * rim), alpha);
}`;

// The id pass: point i writes i + 1 as 24 bits of RGB (0 = nothing under the cursor).
const PICK_VERTEX = /* glsl */ `
uniform float uMix;
uniform float uSize;
uniform float uPickSize;
in vec3 aFrom;
flat out vec3 vId;
void main() {
  vec3 p = mix(aFrom, position, uMix);
  gl_Position = projectionMatrix * modelViewMatrix * vec4(p, 1.0);
  gl_PointSize = max(uSize, uPickSize);
  int id = gl_VertexID + 1;
  vId = vec3(float(id & 255), float((id >> 8) & 255), float((id >> 16) & 255)) / 255.0;
}`;

const PICK_FRAGMENT = /* glsl */ `
out highp vec4 fragColor;
flat in vec3 vId;
void main() {
  vec2 c = gl_PointCoord * 2.0 - 1.0;
  if (dot(c, c) > 1.0) discard;
  fragColor = vec4(vId, 1.0);
}`;

/** Default point size in CSS pixels: large for a few points, small for a million. */
export function autoPointSize(n: number): number {
  if (n <= 2_000) return 5;
  if (n <= 20_000) return 4.5;
  if (n <= 200_000) return 3;
  return 2;
}

export class PointCloud {
  geometry = new THREE.BufferGeometry();
  readonly points: THREE.Points;
  readonly pickPoints: THREE.Points;
  readonly uniforms: {
    uMix: { value: number };
    uSize: { value: number };
    uPixelRatio: { value: number };
    uRim: { value: number };
    uPickSize: { value: number };
  };
  private readonly material: THREE.ShaderMaterial;
  private readonly pickMaterial: THREE.ShaderMaterial;
  count = 0;
  private readonly grid = new ScreenGrid();
  private positionsVersion = 0;
  private gridKey = '';
  private readonly viewProjection = new THREE.Matrix4();

  constructor(pixelRatio: { value: number }) {
    this.uniforms = {
      uMix: { value: 1 },
      uSize: { value: 4 },
      uPixelRatio: pixelRatio,
      uRim: { value: 1 },
      uPickSize: { value: 9 },
    };
    this.material = new THREE.ShaderMaterial({
      glslVersion: THREE.GLSL3,
      vertexShader: VERTEX,
      fragmentShader: FRAGMENT,
      uniforms: this.uniforms,
      // Only the one-pixel edge is translucent; depth is still written, so no sorting is needed.
      transparent: true,
      depthWrite: true,
    });
    this.pickMaterial = new THREE.ShaderMaterial({
      glslVersion: THREE.GLSL3,
      vertexShader: PICK_VERTEX,
      fragmentShader: PICK_FRAGMENT,
      uniforms: this.uniforms,
    });
    this.points = new THREE.Points(this.geometry, this.material);
    this.pickPoints = new THREE.Points(this.geometry, this.pickMaterial);
    // Bounds of a streaming cloud go stale; culling a whole cloud saves nothing anyway.
    this.points.frustumCulled = false;
    this.pickPoints.frustumCulled = false;
  }

  /**
   * Show `positions` ([n, 3] scene units). With `tween` and the same n, the points glide from
   * where they are drawn now: aFrom := current mix, position := new, uMix := 0 (the caller
   * animates uMix to 1). Otherwise the geometry is rebuilt.
   */
  setPositions(positions: Float32Array, tween: boolean): void {
    this.positionsVersion++;
    const n = positions.length / 3;
    const pos = this.geometry.getAttribute('position') as THREE.BufferAttribute | undefined;
    const from = this.geometry.getAttribute('aFrom') as THREE.BufferAttribute | undefined;
    if (pos && from && n === this.count) {
      const p = pos.array as Float32Array;
      const f = from.array as Float32Array;
      const t = this.uniforms.uMix.value;
      if (tween) {
        if (t >= 1) f.set(p);
        else for (let i = 0; i < p.length; i++) f[i] = f[i]! + (p[i]! - f[i]!) * t;
        this.uniforms.uMix.value = 0;
      } else {
        f.set(positions);
        this.uniforms.uMix.value = 1;
      }
      p.set(positions);
      pos.needsUpdate = true;
      from.needsUpdate = true;
      return;
    }
    this.rebuild(n);
    (this.geometry.getAttribute('position').array as Float32Array).set(positions);
    (this.geometry.getAttribute('aFrom').array as Float32Array).set(positions);
    this.uniforms.uMix.value = 1;
  }

  /** [n, 3] sRGB bytes; n must match the positions. */
  setColors(colors: Uint8Array): void {
    const attr = this.geometry.getAttribute('aColor') as THREE.BufferAttribute | undefined;
    if (!attr || colors.length !== this.count * 3) return;
    (attr.array as Uint8Array).set(colors);
    attr.needsUpdate = true;
  }

  /** Where point i is drawn now (scene units), into `out`. */
  positionOf(i: number, out = new THREE.Vector3()): THREE.Vector3 {
    const pos = this.geometry.getAttribute('position');
    const from = this.geometry.getAttribute('aFrom');
    const t = this.uniforms.uMix.value;
    return out.set(
      from.getX(i) + (pos.getX(i) - from.getX(i)) * t,
      from.getY(i) + (pos.getY(i) - from.getY(i)) * t,
      from.getZ(i) + (pos.getZ(i) - from.getZ(i)) * t,
    );
  }

  /** Where point i is drawn, in CSS pixels from the canvas's corner (null when out of range or behind the camera). */
  screenPosition(stage: Stage, i: number): { x: number; y: number } | null {
    if (i < 0 || i >= this.count) return null;
    const v = this.positionOf(i).project(stage.camera);
    if (v.z > 1 || v.z < -1) return null;
    return { x: ((v.x + 1) / 2) * stage.width, y: ((1 - v.y) / 2) * stage.height };
  }

  /**
   * The point under CSS pixel (x, y) by the screen-space grid (grid-index.ts), rebuilt first if the
   * camera, the view or the positions changed since the last query. Null when none is within the
   * pick radius (half the larger of the point size and 9 px).
   */
  pickScreen(stage: Stage, x: number, y: number): number | null {
    if (this.count === 0) return null;
    const mix = this.uniforms.uMix.value;
    const key = `${stage.viewVersion}:${this.positionsVersion}:${mix}:${stage.width}x${stage.height}`;
    if (key !== this.gridKey) {
      stage.camera.updateMatrixWorld();
      this.viewProjection.multiplyMatrices(stage.camera.projectionMatrix, stage.camera.matrixWorldInverse);
      const pos = this.geometry.getAttribute('position').array as Float32Array;
      const from = this.geometry.getAttribute('aFrom').array as Float32Array;
      this.grid.build(pos, from, mix, this.viewProjection, stage.width, stage.height);
      this.gridKey = key;
    }
    return this.grid.query(x, y, Math.max(this.uniforms.uSize.value, this.uniforms.uPickSize.value) / 2);
  }

  /** Milliseconds the last grid build took. */
  get gridBuildMs(): number {
    return this.grid.buildMs;
  }

  set visible(v: boolean) {
    this.points.visible = v;
    this.pickPoints.visible = v;
  }

  get visible(): boolean {
    return this.points.visible;
  }

  private rebuild(n: number): void {
    // A new size gets a new geometry: replacing attributes in place would leak the old GL buffers.
    this.geometry.dispose();
    this.geometry = new THREE.BufferGeometry();
    const pos = new THREE.BufferAttribute(new Float32Array(n * 3), 3);
    const from = new THREE.BufferAttribute(new Float32Array(n * 3), 3);
    const color = new THREE.BufferAttribute(new Uint8Array(n * 3).fill(160), 3, true);
    pos.setUsage(THREE.DynamicDrawUsage);
    from.setUsage(THREE.DynamicDrawUsage);
    this.geometry.setAttribute('position', pos);
    this.geometry.setAttribute('aFrom', from);
    this.geometry.setAttribute('aColor', color);
    this.points.geometry = this.geometry;
    this.pickPoints.geometry = this.geometry;
    this.count = n;
  }

  dispose(): void {
    this.geometry.dispose();
    this.material.dispose();
    this.pickMaterial.dispose();
  }
}

const RING_VERTEX = /* glsl */ `
uniform float uSize;
uniform float uPixelRatio;
void main() {
  gl_Position = projectionMatrix * modelViewMatrix * vec4(position, 1.0);
  gl_PointSize = uSize * uPixelRatio;
}`;

const RING_FRAGMENT = /* glsl */ `
out highp vec4 fragColor;
uniform vec3 uColor;
uniform vec3 uHalo;
void main() {
  float r = length(gl_PointCoord * 2.0 - 1.0);
  if (r > 1.0 || r < 0.5) discard;
  // An accent ring with a dark (or light) halo on both edges reads on any point colour.
  float edge = step(r, 0.62) + step(0.86, r);
  fragColor = vec4(mix(uColor, uHalo, edge), 1.0);
}`;

/** A ring drawn on top of everything around one point (the selection). */
export class RingMarker {
  readonly object: THREE.Points;
  private readonly geometry = new THREE.BufferGeometry();
  private readonly material: THREE.ShaderMaterial;
  readonly uniforms: {
    uSize: { value: number };
    uPixelRatio: { value: number };
    uColor: { value: THREE.Vector3 };
    uHalo: { value: THREE.Vector3 };
  };

  constructor(pixelRatio: { value: number }) {
    this.uniforms = {
      uSize: { value: 18 },
      uPixelRatio: pixelRatio,
      uColor: { value: new THREE.Vector3(1, 1, 1) },
      uHalo: { value: new THREE.Vector3(0, 0, 0) },
    };
    this.geometry.setAttribute('position', new THREE.BufferAttribute(new Float32Array(3), 3));
    this.material = new THREE.ShaderMaterial({
      glslVersion: THREE.GLSL3,
      vertexShader: RING_VERTEX,
      fragmentShader: RING_FRAGMENT,
      uniforms: this.uniforms,
      depthTest: false,
      depthWrite: false,
      transparent: true, // drawn after the (translucent-edged) clouds
    });
    this.object = new THREE.Points(this.geometry, this.material);
    this.object.renderOrder = 10;
    this.object.frustumCulled = false;
    this.object.visible = false;
  }

  /** Colours as sRGB bytes. */
  setColors(ring: readonly number[], halo: readonly number[]): void {
    this.uniforms.uColor.value.set(ring[0]! / 255, ring[1]! / 255, ring[2]! / 255);
    this.uniforms.uHalo.value.set(halo[0]! / 255, halo[1]! / 255, halo[2]! / 255);
  }

  show(at: THREE.Vector3 | null): void {
    this.object.visible = at !== null;
    if (!at) return;
    const attr = this.geometry.getAttribute('position') as THREE.BufferAttribute;
    attr.setXYZ(0, at.x, at.y, at.z);
    attr.needsUpdate = true;
  }

  dispose(): void {
    this.geometry.dispose();
    this.material.dispose();
  }
}
