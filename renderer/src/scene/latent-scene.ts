/**
 * The latent view's 3-D content: the codes as one point cloud, axes, and the selection ring.
 * k = 1 lies on a line (with a small deterministic jitter in y so points do not hide each other),
 * k = 2 on a plane seen from above, k = 3 as is, k > 3 through three chosen axes or the top three
 * principal components.
 */
import * as THREE from 'three';
import { Axes } from './axes';
import { SceneFrame, boundsOf, boundsWithin } from './frame';
import type { Bounds } from './frame';
import { alignSigns, pcaBasis, projectPca, selectAxes } from './view-pca';
import type { PcaBasis } from './view-pca';
import { GpuPicker } from './picking';
import { PointCloud, RingMarker, autoPointSize } from './points';
import type { Stage } from './stage';
import type { ViewTheme } from './theme';

export type Projection = { kind: 'pca' } | { kind: 'axes'; axes: readonly [number, number, number] };

export interface LatentLayout {
  /** How many scene axes carry data. */
  dims: 1 | 2 | 3;
  axisNames: [string, string, string];
  /** Fraction of the total variance on each shown principal component (PCA projection only). */
  explained: number[] | null;
  /** Rows the PCA was estimated from, when fewer than n (wide codes are subsampled). */
  pcaRows: number | null;
}

const SUB = '₀₁₂₃₄₅₆₇₈₉';
/** h₁, h₂ … h₁₂ */
export function unitName(i: number): string {
  return `h${String(i + 1)
    .split('')
    .map((d) => SUB[Number(d)])
    .join('')}`;
}

/** A fixed pseudo-random number in [−1, 1] per index (Knuth's multiplicative hash). */
function jitter(i: number): number {
  return ((Math.imul(i + 1, 2654435761) >>> 0) / 2 ** 32) * 2 - 1;
}

const TWEEN_MS = 320;

export class LatentScene {
  readonly cloud: PointCloud;
  readonly axes = new Axes();
  readonly marker: RingMarker;
  readonly picker = new GpuPicker();
  private frame: SceneFrame | null = null;
  private basis: PcaBasis | null = null;
  private key = '';
  private data3 = new Float32Array(0);
  private scene3 = new Float32Array(0);
  private selected: number | null = null;
  private stopTween: (() => void) | null = null;
  private userSize: number | null = null;
  layout: LatentLayout = { dims: 3, axisNames: ['', '', ''], explained: null, pcaRows: null };

  constructor(readonly stage: Stage) {
    this.cloud = new PointCloud(stage.pixelRatio);
    this.marker = new RingMarker(stage.pixelRatio);
    stage.scene.add(this.axes.group, this.cloud.points, this.marker.object);
    this.picker.add('codes', this.cloud.pickPoints, this.cloud.points);
    stage.onBeforeRender((s) => this.axes.labels.fitToScreen(s));
    stage.exportHooks.add((transparent) => this.axes.labels.setHalo(transparent !== true));
  }

  get count(): number {
    return this.cloud.count;
  }

  /**
   * Show codes ([n, k] row-major). A new n, k or projection refits the camera; a new snapshot of
   * the same shape glides into place (`tween`) and only refits the axes.
   */
  setCodes(codes: Float32Array, n: number, k: number, projection: Projection, tween = true): LatentLayout {
    if (codes.length !== n * k)
      throw new RangeError(`LatentView: codes has ${codes.length} values, expected n·k = ${n}·${k}`);
    const key = `${n}:${k}:${k > 3 ? JSON.stringify(projection) : ''}`;
    const reshaped = key !== this.key;
    if (this.data3.length !== n * 3) this.data3 = new Float32Array(n * 3);
    const d3 = this.data3;
    let dims: 1 | 2 | 3 = 3;
    let names: [string, string, string];
    let explained: number[] | null = null;
    let pcaRows: number | null = null;
    if (k === 1) {
      dims = 1;
      selectAxes(codes, n, 1, [0, -1, -1], d3);
      const b = boundsOf(d3);
      const band = Math.max(b.max[0] - b.min[0], 1e-9) * 0.04;
      for (let i = 0; i < n; i++) d3[i * 3 + 1] = jitter(i) * band;
      names = [unitName(0), '', ''];
    } else if (k === 2) {
      dims = 2;
      selectAxes(codes, n, 2, [0, 1, -1], d3);
      names = [unitName(0), unitName(1), ''];
    } else if (k === 3) {
      selectAxes(codes, n, 3, [0, 1, 2], d3);
      names = [unitName(0), unitName(1), unitName(2)];
    } else if (projection.kind === 'axes') {
      const axes = projection.axes.map((a) => Math.min(Math.max(0, a), k - 1)) as [number, number, number];
      selectAxes(codes, n, k, axes, d3);
      names = [unitName(axes[0]), unitName(axes[1]), unitName(axes[2])];
    } else {
      const basis = alignSigns(reshaped ? null : this.basis, pcaBasis(codes, n, k, 3));
      this.basis = basis;
      projectPca(codes, n, basis, d3);
      explained = Array.from(basis.variances, (v) => (basis.total > 0 ? v / basis.total : 0));
      names = explained.map((e, j) => `PC${j + 1} (${Math.round(e * 100)}%)`) as [string, string, string];
      pcaRows = basis.rowsUsed < n ? basis.rowsUsed : null;
    }
    this.layout = { dims, axisNames: names, explained, pcaRows };
    const bounds = boundsOf(d3);
    const old = this.frame;
    const refit = reshaped || !old || !boundsWithin(bounds, old.bounds, 0.25) || shrunk(bounds, old.bounds);
    const frame = refit ? SceneFrame.fit(bounds) : old;
    this.frame = frame;
    if (this.scene3.length !== n * 3) this.scene3 = new Float32Array(n * 3);
    frame.toScene(d3, this.scene3);
    const glide = tween && !reshaped && this.cloud.count === n;
    if (glide && old && frame !== old) this.remapTween(old, frame);
    this.cloud.setPositions(this.scene3, glide);
    if (glide) this.startTween();
    if (reshaped || this.userSize === null)
      this.cloud.uniforms.uSize.value = this.userSize ?? autoPointSize(n);
    // The axes follow the data's current extent; the scene transform stays until a refit.
    this.axes.update(new SceneFrame(frame.center, frame.scale, bounds), { names, dims });
    if (reshaped) {
      this.stage.setFlat(dims < 3);
      this.stage.fit(this.axes.box, dims < 3 ? 1.03 : 1.02);
      if (this.selected !== null && this.selected >= n) this.selected = null;
    }
    this.key = key;
    this.updateMarker();
    this.stage.requestRender();
    return this.layout;
  }

  /** [n, 3] sRGB bytes. */
  setColors(colors: Uint8Array): void {
    this.cloud.setColors(colors);
    this.stage.requestRender();
  }

  /** Point size in CSS pixels; null = automatic from n. */
  setPointSize(px: number | null): void {
    this.userSize = px;
    this.cloud.uniforms.uSize.value = px ?? autoPointSize(this.cloud.count);
    this.stage.requestRender();
  }

  setTheme(theme: ViewTheme): void {
    this.axes.setTheme(theme);
    this.marker.setColors(
      theme.dark ? [255, 255, 255] : [20, 20, 20],
      theme.dark ? [0, 0, 0] : [255, 255, 255],
    );
    this.stage.setTheme(theme);
  }

  select(i: number | null): void {
    this.selected = i !== null && i >= 0 && i < this.cloud.count ? i : null;
    this.updateMarker();
    this.stage.requestRender();
  }

  /** The point under CSS pixel (x, y): the screen-space grid (fast on any renderer). */
  pick(x: number, y: number): number | null {
    return this.cloud.pickScreen(this.stage, x, y);
  }

  /** The same answer from the GPU id pass (picking.ts), kept for comparison and the benchmark. */
  pickGpu(x: number, y: number): number | null {
    const s = this.stage;
    const hit = this.picker.pick(s.renderer, s.camera, x, y, s.width, s.height);
    return hit ? hit.index : null;
  }

  /** Where point i is drawn, in CSS pixels from the canvas's top-left corner (null when behind the camera). */
  screenPosition(i: number): { x: number; y: number } | null {
    return this.cloud.screenPosition(this.stage, i);
  }

  /** The projected (data-unit) coordinates of point i as drawn on the axes. */
  coordinates(i: number): [number, number, number] {
    return [this.data3[i * 3]!, this.data3[i * 3 + 1]!, this.data3[i * 3 + 2]!];
  }

  fit(): void {
    if (this.frame) this.stage.fit(this.axes.box, this.layout.dims < 3 ? 1.03 : 1.02);
  }

  private updateMarker(): void {
    this.marker.uniforms.uSize.value = Math.max(16, this.cloud.uniforms.uSize.value * 3);
    this.marker.show(
      this.selected === null ? null : this.cloud.positionOf(this.selected, new THREE.Vector3()),
    );
  }

  /** The tween's start positions were in the old frame's scene units: carry them into the new one. */
  private remapTween(old: SceneFrame, next: SceneFrame): void {
    const from = this.cloud.geometry.getAttribute('aFrom').array as Float32Array;
    const pos = this.cloud.geometry.getAttribute('position').array as Float32Array;
    const t = this.cloud.uniforms.uMix.value;
    for (let i = 0; i < from.length; i++) {
      const j = i % 3;
      const shown = from[i]! + (pos[i]! - from[i]!) * t;
      const data = shown / old.scale + old.center[j]!;
      const s = (data - next.center[j]!) * next.scale;
      from[i] = s;
      pos[i] = s;
    }
    this.cloud.uniforms.uMix.value = 1;
  }

  private startTween(): void {
    this.stopTween?.();
    const start = performance.now();
    const u = this.cloud.uniforms.uMix;
    this.stopTween = this.stage.animate((now) => {
      const t = Math.min(1, (now - start) / TWEEN_MS);
      u.value = 1 - (1 - t) ** 3; // ease-out cubic
      this.updateMarker();
      return t < 1;
    });
  }

  dispose(): void {
    this.stopTween?.();
    this.cloud.dispose();
    this.marker.dispose();
    this.axes.dispose();
    this.picker.dispose();
  }
}

/**
 * The data now span less than 60 % of the frame's largest extent: zoom in. With the 25 % slack
 * before zooming out, a cloud that breathes a little during training does not refit every time.
 */
function shrunk(inner: Bounds, outer: Bounds): boolean {
  let biggest = 0;
  let old = 0;
  for (let j = 0; j < 3; j++) {
    biggest = Math.max(biggest, inner.max[j]! - inner.min[j]!);
    old = Math.max(old, outer.max[j]! - outer.min[j]!);
  }
  return old > 0 && biggest < old * 0.6;
}
