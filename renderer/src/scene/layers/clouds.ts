/**
 * The data-space view's point layers: the data x (or their 3-D projection), the reconstructions
 * r(x), and the thin line from each point to its reconstruction (segment i joins x_i to r(x_i));
 * their sizes and colours, picking (data points before reconstructions), and where a point is
 * drawn on screen. Positions come projected, in data units; the scene frame maps them to the scene.
 */
import * as THREE from 'three';
import type { Rgb } from '../colormap';
import type { SceneFrame } from '../frame';
import { GpuPicker } from '../picking';
import { PointCloud, autoPointSize } from '../points';
import type { Stage } from '../stage';
import type { PickHit } from '../../shared/view-types';
import { color3, segments } from './util';

export class CloudLayers {
  readonly data: PointCloud;
  readonly recon: PointCloud;
  /** Holds the x → r(x) segments. */
  readonly links = new THREE.Group();
  readonly picker = new GpuPicker();
  private segs: THREE.LineSegments | null = null;
  private readonly linkMaterial = new THREE.LineBasicMaterial({
    transparent: true,
    opacity: 0.5,
    depthWrite: false,
  });
  /** [n, 3] sRGB bytes for the data points; null = `palette.data`. */
  private colors: Uint8Array | null = null;
  private palette: { data: Rgb; recon: Rgb } | null = null;
  private userSize: number | null = null;

  constructor(private readonly stage: Stage) {
    this.data = new PointCloud(stage.pixelRatio);
    this.recon = new PointCloud(stage.pixelRatio);
    this.picker.add('data', this.data.pickPoints, this.data.points);
    this.picker.add('recon', this.recon.pickPoints, this.recon.points);
  }

  /** Projected data and reconstructions ([n, 3] each, data units; recon empty when absent). */
  update(dataP: Float32Array, reconP: Float32Array, f: SceneFrame): void {
    const n = dataP.length / 3;
    const a = f.toScene(dataP);
    const b = f.toScene(reconP);
    this.data.setPositions(a, false);
    this.recon.setPositions(b, false);
    this.size();
    this.paint();
    if (this.segs) {
      this.segs.geometry.dispose();
      this.links.remove(this.segs);
      this.segs = null;
    }
    if (reconP.length === dataP.length && n > 0) {
      const pos = new Float32Array(n * 6);
      for (let j = 0; j < n; j++) {
        pos.set(a.subarray(j * 3, j * 3 + 3), j * 6);
        pos.set(b.subarray(j * 3, j * 3 + 3), j * 6 + 3);
      }
      this.segs = segments(pos, this.linkMaterial);
      this.links.add(this.segs);
    }
  }

  setPalette(data: Rgb, recon: Rgb, links: Rgb): void {
    this.palette = { data, recon };
    this.linkMaterial.color = color3(links);
    this.paint();
  }

  /** Per-point colours of the data ([n, 3] sRGB bytes), or null for the palette's. */
  setColors(colors: Uint8Array | null): void {
    this.colors = colors;
    this.paint();
  }

  /** Point size in CSS pixels; null = automatic from n (reconstructions a little smaller). */
  setPointSize(px: number | null): void {
    this.userSize = px;
    this.size();
  }

  /** The point under CSS pixel (x, y): data points first, then reconstructions (screen-space grids). */
  pick(x: number, y: number): PickHit | null {
    for (const [layer, cloud] of [
      ['data', this.data],
      ['recon', this.recon],
    ] as const) {
      if (!cloud.visible) continue;
      const i = cloud.pickScreen(this.stage, x, y);
      if (i !== null) return { layer, index: i };
    }
    return null;
  }

  /** The same from the GPU id pass (picking.ts), for comparison and the benchmark. */
  pickGpu(x: number, y: number): PickHit | null {
    const s = this.stage;
    return this.picker.pick(s.renderer, s.camera, x, y, s.width, s.height);
  }

  /** Where point i is drawn, in CSS pixels from the canvas's corner (null when behind the camera). */
  screenPosition(i: number, layer: 'data' | 'recon'): { x: number; y: number } | null {
    return (layer === 'data' ? this.data : this.recon).screenPosition(this.stage, i);
  }

  private size(): void {
    const size = this.userSize ?? autoPointSize(this.data.count);
    this.data.uniforms.uSize.value = size;
    this.recon.uniforms.uSize.value = Math.max(2, size * 0.8);
  }

  private paint(): void {
    const p = this.palette;
    if (!p) return;
    const n = this.data.count;
    if (this.colors && this.colors.length === n * 3) this.data.setColors(this.colors);
    else this.data.setColors(fill(n, p.data));
    this.recon.setColors(fill(this.recon.count, p.recon));
  }

  dispose(): void {
    this.data.dispose();
    this.recon.dispose();
    this.segs?.geometry.dispose();
    this.linkMaterial.dispose();
    this.picker.dispose();
  }
}

function fill(n: number, c: Rgb): Uint8Array {
  const out = new Uint8Array(n * 3);
  for (let i = 0; i < n; i++) out.set(c, i * 3);
  return out;
}
