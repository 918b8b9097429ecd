/**
 * Denoising trajectories x_{t+1} = x_t + α (r(x_t) − x_t): polylines from each start to its end,
 * revealed over ~2 s by a moving head (`play`). The finished segments are one fat-line object
 * ordered step by step (step 0 of every path, then step 1 …), so revealing the first j steps of all
 * paths is `instanceCount = t · j`; a second object holds each path's partial segment up to its
 * head. An animation frame rewrites t segments and t head positions, nothing else.
 */
import * as THREE from 'three';
import type { LineMaterial } from 'three/examples/jsm/lines/LineMaterial.js';
import type { LineSegments2 } from 'three/examples/jsm/lines/LineSegments2.js';
import type { LineSegmentsGeometry } from 'three/examples/jsm/lines/LineSegmentsGeometry.js';
import type { Rgb } from '../colormap';
import type { SceneFrame } from '../frame';
import { PointCloud } from '../points';
import type { Projector } from '../projector';
import type { Stage } from '../stage';
import { mixRgb } from '../theme';
import type { TrajectoryInput } from '../../shared/view-types';
import { fatMaterial, fatSegments, writeColors, writeSegments } from './fat-lines';

export const PLAY_MS = 2000;

export class TrajectoryLayer {
  readonly group = new THREE.Group();
  private done: LineSegments2 | null = null;
  private partial: LineSegments2 | null = null;
  private readonly material: LineMaterial;
  private readonly heads: PointCloud;
  private readonly starts: PointCloud;
  private path: Float32Array = new Float32Array(0); // [t, s, 3] scene units
  private t = 0;
  private s = 0;
  private stop: (() => void) | null = null;
  /** True while the heads are walking. */
  playing = false;
  private palette: { line: Rgb; head: Rgb; start: Rgb; bg: Rgb } = {
    line: [225, 87, 89],
    head: [255, 255, 255],
    start: [160, 160, 160],
    bg: [20, 20, 20],
  };

  constructor(private readonly stage: Stage) {
    this.material = fatMaterial(stage, 2.2, { vertexColors: true });
    this.heads = new PointCloud(stage.pixelRatio);
    this.heads.uniforms.uSize.value = 9;
    this.starts = new PointCloud(stage.pixelRatio);
    this.starts.uniforms.uSize.value = 5;
    this.group.add(this.starts.points, this.heads.points);
    this.group.renderOrder = 3;
  }

  /** Line, head and start-marker colours, and the background the line fades from (sRGB bytes). */
  setColors(line: Rgb, head: Rgb, start: Rgb, bg: Rgb): void {
    this.palette = { line, head, start, bg };
    this.applyColors();
  }

  /** Linear-RGB colour of the line at fraction f of the way: faint at the start, full at the end. */
  private colorAt(f: number, out: Float32Array, o: number): void {
    const c = new THREE.Color().setRGB(
      ...(mixRgb(this.palette.line, this.palette.bg, 0.5 + 0.5 * f).map((v) => v / 255) as [
        number,
        number,
        number,
      ]),
      THREE.SRGBColorSpace,
    );
    out[o] = c.r;
    out[o + 1] = c.g;
    out[o + 2] = c.b;
  }

  private applyColors(): void {
    const fill = (cloud: PointCloud, c: Rgb): void => {
      const arr = new Uint8Array(cloud.count * 3);
      for (let i = 0; i < cloud.count; i++) arr.set(c, i * 3);
      cloud.setColors(arr);
    };
    fill(this.heads, this.palette.head);
    fill(this.starts, this.palette.start);
    const { t, s } = this;
    if (this.done && t > 0) {
      const colors = new Float32Array(t * (s - 1) * 6);
      for (let j = 0; j < s - 1; j++)
        for (let a = 0; a < t; a++) {
          const o = (j * t + a) * 6;
          this.colorAt(j / (s - 1), colors, o);
          this.colorAt((j + 1) / (s - 1), colors, o + 3);
        }
      writeColors(this.done.geometry as LineSegmentsGeometry, colors);
    }
    this.seek(this.progress);
  }

  private progress = 1;

  update(input: TrajectoryInput | null, projector: Projector, frame: SceneFrame): void {
    this.halt();
    for (const o of [this.done, this.partial]) {
      if (!o) continue;
      o.geometry.dispose();
      this.group.remove(o);
    }
    this.done = null;
    this.partial = null;
    this.t = 0;
    if (!input || input.steps < 2) {
      this.heads.setPositions(new Float32Array(0), false);
      this.starts.setPositions(new Float32Array(0), false);
      return;
    }
    const d = projector.d;
    const s = input.steps;
    const t = Math.floor(input.points.length / (s * d));
    if (t === 0 || t * s * d !== input.points.length)
      throw new RangeError(`DataView: trajectories need [t, ${s}, ${d}] values, got ${input.points.length}`);
    this.t = t;
    this.s = s;
    this.path = frame.toScene(projector.points(input.points));
    // Step-major: segment (j, j+1) of path a sits at index j · t + a.
    const pos = new Float32Array(t * (s - 1) * 6);
    for (let j = 0; j < s - 1; j++)
      for (let a = 0; a < t; a++)
        pos.set(this.path.subarray((a * s + j) * 3, (a * s + j) * 3 + 6), (j * t + a) * 6);
    this.done = fatSegments(pos, this.material, new Float32Array(pos.length));
    this.partial = fatSegments(new Float32Array(t * 6), this.material, new Float32Array(t * 6));
    this.done.renderOrder = 3;
    this.partial.renderOrder = 3;
    this.group.add(this.done, this.partial);
    const starts = new Float32Array(t * 3);
    for (let a = 0; a < t; a++) starts.set(this.path.subarray(a * s * 3, a * s * 3 + 3), a * 3);
    this.starts.setPositions(starts, false);
    this.heads.setPositions(new Float32Array(t * 3), false);
    this.progress = 1;
    this.applyColors();
  }

  get count(): number {
    return this.t;
  }

  /** Walk the heads from the starts to the ends over PLAY_MS; `done` runs at the end. */
  play(done?: () => void): void {
    this.halt();
    if (this.t === 0) return done?.();
    const start = performance.now();
    this.playing = true;
    this.seek(0);
    this.stop = this.stage.animate((now) => {
      const u = Math.min(1, (now - start) / PLAY_MS);
      this.seek(u < 0.5 ? 2 * u * u : 1 - (-2 * u + 2) ** 2 / 2); // ease in-out
      if (u >= 1) {
        this.playing = false;
        this.stop = null;
        done?.();
        return false;
      }
      return true;
    });
  }

  /** Show the paths revealed up to fraction u ∈ [0, 1], heads at u. */
  seek(u: number): void {
    this.progress = u;
    const { t, s } = this;
    if (t === 0 || !this.done || !this.partial) return;
    const x = u * (s - 1);
    const j = Math.min(s - 2, Math.floor(x));
    const f = x - j;
    (this.done.geometry as LineSegmentsGeometry).instanceCount = t * j;
    const heads = new Float32Array(t * 3);
    const part = new Float32Array(t * 6);
    const colors = new Float32Array(t * 6);
    for (let a = 0; a < t; a++) {
      for (let c = 0; c < 3; c++) {
        const p0 = this.path[(a * s + j) * 3 + c]!;
        const p1 = this.path[(a * s + j + 1) * 3 + c]!;
        heads[a * 3 + c] = p0 + (p1 - p0) * f;
        part[a * 6 + c] = p0;
        part[a * 6 + 3 + c] = heads[a * 3 + c]!;
      }
      this.colorAt(j / (s - 1), colors, a * 6);
      this.colorAt(u, colors, a * 6 + 3);
    }
    writeSegments(this.partial.geometry as LineSegmentsGeometry, part);
    writeColors(this.partial.geometry as LineSegmentsGeometry, colors);
    this.heads.setPositions(heads, false);
    this.stage.requestRender();
  }

  private halt(): void {
    this.stop?.();
    this.stop = null;
    this.playing = false;
  }

  dispose(): void {
    this.halt();
    this.done?.geometry.dispose();
    this.partial?.geometry.dispose();
    this.material.dispose();
    this.heads.dispose();
    this.starts.dispose();
  }
}
