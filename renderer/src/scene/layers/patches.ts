/**
 * Flat pieces of subspaces drawn in data space: tangent-plane patches (a small square c ± h·u ± h·v
 * at each chosen point, u, v an orthonormalised tangent basis; a segment c ± h·u for 1-D tangents)
 * and the PCA plane (the mean ± e₁·a₁ ± e₂·a₂, a line when there is one component). Corners are
 * built in data space and then projected, so a patch seen edge-on in the projection looks edge-on.
 */
import * as THREE from 'three';
import type { LineMaterial } from 'three/examples/jsm/lines/LineMaterial.js';
import type { LineSegments2 } from 'three/examples/jsm/lines/LineSegments2.js';
import type { Rgb } from '../colormap';
import type { SceneFrame } from '../frame';
import { PointCloud } from '../points';
import type { Projector } from '../projector';
import type { Stage } from '../stage';
import { fatMaterial, fatSegments, setFatColor } from './fat-lines';
import type { PlaneInput, TangentInput } from '../../shared/view-types';
import { color3, orthonormalRows } from './util';

/** Build the quads (or segments) of square pieces: each piece is a centre and m scaled directions. */
function pieces(
  centres: Float32Array,
  dirs: Float64Array[],
  m: number,
  d: number,
  projector: Projector,
  frame: SceneFrame,
): { fill: THREE.BufferGeometry | null; outline: Float32Array } {
  const p = dirs.length;
  const nCorners = m === 2 ? 4 : 2;
  const corners = new Float32Array(p * nCorners * d);
  const signs =
    m === 2
      ? [
          [-1, -1],
          [1, -1],
          [1, 1],
          [-1, 1],
        ]
      : [
          [-1, 0],
          [1, 0],
        ];
  for (let i = 0; i < p; i++) {
    const q = dirs[i]!;
    for (let c = 0; c < nCorners; c++) {
      const [su, sv] = signs[c]!;
      for (let t = 0; t < d; t++) {
        let v = centres[i * d + t]! + su! * q[t]!;
        if (m === 2) v += sv! * q[d + t]!;
        corners[(i * nCorners + c) * d + t] = v;
      }
    }
  }
  const scene = frame.toScene(projector.points(corners));
  if (m === 1) return { fill: null, outline: scene };
  const outline = new Float32Array(p * 8 * 3);
  const index: number[] = [];
  for (let i = 0; i < p; i++) {
    for (let c = 0; c < 4; c++) {
      outline.set(scene.subarray((i * 4 + c) * 3, (i * 4 + c) * 3 + 3), (i * 8 + 2 * c) * 3);
      const n = (c + 1) % 4;
      outline.set(scene.subarray((i * 4 + n) * 3, (i * 4 + n) * 3 + 3), (i * 8 + 2 * c + 1) * 3);
    }
    const b = i * 4;
    index.push(b, b + 1, b + 2, b, b + 2, b + 3);
  }
  const fill = new THREE.BufferGeometry();
  fill.setAttribute('position', new THREE.BufferAttribute(scene, 3));
  fill.setIndex(index);
  return { fill, outline };
}

export class PatchLayer {
  readonly group = new THREE.Group();
  private readonly fillMaterial = new THREE.MeshBasicMaterial({
    transparent: true,
    opacity: 0.35,
    side: THREE.DoubleSide,
    depthWrite: false,
  });
  /** Quad outlines are thin; 1-D pieces (tangent segments, the PCA line) need to be seen. */
  private readonly edgeMaterial: LineMaterial;
  private readonly stickMaterial: LineMaterial;
  private fill: THREE.Mesh | null = null;
  private outline: LineSegments2 | null = null;
  private readonly dots: PointCloud | null;
  private dotColor: Rgb = [237, 201, 72];
  count = 0;

  constructor(stage: Stage, withDots: boolean) {
    this.edgeMaterial = fatMaterial(stage, 1.5);
    this.stickMaterial = fatMaterial(stage, 2.5);
    this.dots = withDots ? new PointCloud(stage.pixelRatio) : null;
    if (this.dots) {
      this.dots.uniforms.uSize.value = 4;
      this.group.add(this.dots.points);
    }
  }

  setColor(rgb: Rgb, fillOpacity: number): void {
    this.fillMaterial.color = color3(rgb);
    this.fillMaterial.opacity = fillOpacity;
    setFatColor(this.edgeMaterial, rgb);
    setFatColor(this.stickMaterial, rgb);
    this.dotColor = rgb;
    this.paintDots();
  }

  /** Tangent patches at the given centres. */
  updateTangents(input: TangentInput | null, projector: Projector, frame: SceneFrame): void {
    this.clear();
    if (!input) return;
    const d = projector.d;
    const { m } = input;
    const p = Math.floor(input.centres.length / d);
    if (m < 1 || m > 2 || input.bases.length !== p * m * d)
      throw new RangeError(
        `DataView: tangents need centres [p, ${d}] and bases [p, m, ${d}] with m = 1 or 2`,
      );
    const h = input.size ?? 0.07 / frame.scale;
    const dirs: Float64Array[] = [];
    for (let i = 0; i < p; i++) {
      const q = orthonormalRows(input.bases, m, d, i * m * d);
      for (let t = 0; t < q.length; t++) q[t]! *= h;
      dirs.push(q);
    }
    this.build(pieces(input.centres, dirs, m, d, projector, frame));
    if (this.dots) {
      this.dots.setPositions(frame.toScene(projector.points(input.centres)), false);
      this.paintDots();
    }
    this.count = p;
  }

  /** The PCA plane (or line). */
  updatePlane(input: PlaneInput | null, projector: Projector, frame: SceneFrame): void {
    this.clear();
    if (!input) return;
    const d = projector.d;
    const m = Math.floor(input.axes.length / d);
    if ((m !== 1 && m !== 2) || input.mean.length !== d || input.extents.length < m)
      throw new RangeError(
        `DataView: the PCA plane needs mean [${d}], axes [m, ${d}] (m = 1 or 2), extents [m]`,
      );
    const q = orthonormalRows(input.axes, m, d);
    for (let a = 0; a < m; a++) for (let t = 0; t < d; t++) q[a * d + t]! *= input.extents[a] as number;
    this.build(pieces(Float32Array.from(input.mean), [q], m, d, projector, frame));
    this.count = 1;
  }

  private build(parts: { fill: THREE.BufferGeometry | null; outline: Float32Array }): void {
    if (parts.fill) {
      this.fill = new THREE.Mesh(parts.fill, this.fillMaterial);
      this.fill.frustumCulled = false;
      this.fill.renderOrder = 1;
      this.group.add(this.fill);
    }
    this.outline = fatSegments(parts.outline, parts.fill ? this.edgeMaterial : this.stickMaterial);
    this.outline.renderOrder = 2;
    this.group.add(this.outline);
  }

  private paintDots(): void {
    if (!this.dots) return;
    const c = new Uint8Array(this.dots.count * 3);
    for (let i = 0; i < this.dots.count; i++) c.set(this.dotColor, i * 3);
    this.dots.setColors(c);
  }

  private clear(): void {
    for (const o of [this.fill, this.outline]) {
      if (!o) continue;
      o.geometry.dispose();
      this.group.remove(o);
    }
    this.fill = null;
    this.outline = null;
    this.count = 0;
    this.dots?.setPositions(new Float32Array(0), false);
  }

  dispose(): void {
    this.clear();
    this.fillMaterial.dispose();
    this.edgeMaterial.dispose();
    this.stickMaterial.dispose();
    this.dots?.dispose();
  }
}
