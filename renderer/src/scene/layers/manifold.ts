/**
 * The decoded manifold: for k = 1 a curve (the decoder applied to a line of codes, in order), for
 * k = 2 a surface (the decoder over a rows × cols grid of codes) drawn as a lit, semi-transparent
 * triangle mesh, its grid lines, or both.
 */
import * as THREE from 'three';
import type { LineMaterial } from 'three/examples/jsm/lines/LineMaterial.js';
import type { LineSegments2 } from 'three/examples/jsm/lines/LineSegments2.js';
import type { Rgb } from '../colormap';
import type { Stage } from '../stage';
import { fatMaterial, fatSegments, polylineToSegments, setFatColor } from './fat-lines';
import type { SceneFrame } from '../frame';
import type { Projector } from '../projector';
import type { SurfaceInput, SurfaceStyle } from '../../shared/view-types';
import { color3 } from './util';

export class ManifoldLayer {
  readonly group = new THREE.Group();
  private readonly surfaceMaterial = new THREE.MeshLambertMaterial({
    transparent: true,
    opacity: 0.5,
    side: THREE.DoubleSide,
    depthWrite: false,
  });
  private readonly wireMaterial = new THREE.LineBasicMaterial({ transparent: true, opacity: 0.55 });
  private readonly curveMaterial: LineMaterial;
  private mesh: THREE.Mesh | null = null;
  private wire: THREE.LineSegments | null = null;
  private curve: LineSegments2 | null = null;
  kind: 'curve' | 'surface' | null = null;

  constructor(stage: Stage) {
    this.curveMaterial = fatMaterial(stage, 3);
  }

  setColor(rgb: Rgb): void {
    const c = color3(rgb);
    this.surfaceMaterial.color = c;
    this.wireMaterial.color = c.clone();
    setFatColor(this.curveMaterial, rgb);
  }

  setStyle(style: SurfaceStyle): void {
    if (this.mesh) this.mesh.visible = style !== 'wireframe';
    if (this.wire) {
      this.wire.visible = style !== 'solid';
      this.wireMaterial.opacity = style === 'wireframe' ? 0.9 : 0.45;
    }
  }

  /** [m, d] points along the decoded curve, in order. */
  updateCurve(points: Float32Array | null, projector: Projector, frame: SceneFrame): void {
    this.clear();
    if (!points || points.length < 2 * projector.d) return;
    this.curve = fatSegments(polylineToSegments(frame.toScene(projector.points(points))), this.curveMaterial);
    this.curve.renderOrder = 1;
    this.group.add(this.curve);
    this.kind = 'curve';
  }

  updateSurface(
    input: SurfaceInput | null,
    projector: Projector,
    frame: SceneFrame,
    style: SurfaceStyle,
  ): void {
    this.clear();
    if (!input) return;
    const { rows, cols } = input;
    if (rows < 2 || cols < 2 || input.positions.length !== rows * cols * projector.d)
      throw new RangeError(
        `DataView: surface needs positions [rows · cols, ${projector.d}] with rows, cols ≥ 2`,
      );
    const pos = frame.toScene(projector.points(input.positions));
    const index: number[] = [];
    for (let r = 0; r < rows - 1; r++)
      for (let c = 0; c < cols - 1; c++) {
        const a = r * cols + c;
        index.push(a, a + 1, a + cols, a + 1, a + cols + 1, a + cols);
      }
    const g = new THREE.BufferGeometry();
    g.setAttribute('position', new THREE.BufferAttribute(pos, 3));
    g.setIndex(index);
    g.computeVertexNormals();
    this.mesh = new THREE.Mesh(g, this.surfaceMaterial);
    this.mesh.frustumCulled = false;
    this.mesh.renderOrder = 1;
    // Grid lines, thinned to at most ~24 per direction so a fine grid does not turn into a blot.
    const every = (n: number): number => Math.max(1, Math.ceil((n - 1) / 24));
    const lines: number[] = [];
    const at = (r: number, c: number): number[] => {
      const i = (r * cols + c) * 3;
      return [pos[i]!, pos[i + 1]!, pos[i + 2]!];
    };
    for (let r = 0; r < rows; r += every(rows))
      for (let c = 0; c < cols - 1; c++) lines.push(...at(r, c), ...at(r, c + 1));
    for (let c = 0; c < cols; c += every(cols))
      for (let r = 0; r < rows - 1; r++) lines.push(...at(r, c), ...at(r + 1, c));
    const wg = new THREE.BufferGeometry();
    wg.setAttribute('position', new THREE.Float32BufferAttribute(lines, 3));
    this.wire = new THREE.LineSegments(wg, this.wireMaterial);
    this.wire.frustumCulled = false;
    this.group.add(this.mesh, this.wire);
    this.kind = 'surface';
    this.setStyle(style);
  }

  private clear(): void {
    for (const o of [this.mesh, this.wire, this.curve]) {
      if (!o) continue;
      o.geometry.dispose();
      this.group.remove(o);
    }
    this.mesh = null;
    this.wire = null;
    this.curve = null;
    this.kind = null;
  }

  dispose(): void {
    this.clear();
    this.surfaceMaterial.dispose();
    this.wireMaterial.dispose();
    this.curveMaterial.dispose();
  }
}
