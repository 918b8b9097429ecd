/**
 * Axes for a view: a floor grid and three labelled axes along the box's edges (3-D), or a grid
 * with a bottom and a left axis (2-D), ticks at 1/2/5 × 10^e values in data units.
 */
import * as THREE from 'three';
import { formatTick, niceDomain, niceTicks } from '../charts/scale';
import type { SceneFrame, Vec3 } from './frame';
import { LabelLayer } from './labels';
import type { ViewTheme } from './theme';
import { mixRgb } from './theme';

export interface AxesSpec {
  /** Axis titles, e.g. ['h₁', 'h₂', 'h₃'] or ['PC1 (62%)', …]. */
  names: [string, string, string];
  /** How many of x, y, z carry data: 1 (x only), 2 (x, y: drawn flat) or 3. */
  dims: 1 | 2 | 3;
}

export class Axes {
  readonly group = new THREE.Group();
  readonly labels = new LabelLayer();
  private readonly gridMaterial = new THREE.LineBasicMaterial({ transparent: true, opacity: 0.7 });
  private readonly axisMaterial = new THREE.LineBasicMaterial();
  private grid: THREE.LineSegments | null = null;
  /**
   * Scene-space box of the axes and, in 3-D, their labels (which sit outside the data box): what
   * the camera should frame.
   */
  readonly box = { min: new THREE.Vector3(-1, -1, -1), max: new THREE.Vector3(1, 1, 1) };
  private axis: THREE.LineSegments | null = null;

  constructor() {
    this.group.add(this.labels.group);
  }

  setTheme(theme: ViewTheme): void {
    const c = (rgb: readonly number[]): THREE.Color =>
      new THREE.Color().setRGB(rgb[0]! / 255, rgb[1]! / 255, rgb[2]! / 255, THREE.SRGBColorSpace);
    this.gridMaterial.color = c(mixRgb(theme.border, theme.bg, 0.75));
    this.axisMaterial.color = c(mixRgb(theme.muted, theme.bg, 0.8));
    this.labels.setColors(theme.muted, theme.text, theme.bg);
  }

  /** Rebuild for the data box of `frame` (data units). */
  update(frame: SceneFrame, spec: AxesSpec): void {
    this.clear();
    // Extend each axis to whole ticks when that adds little, so the grid ends on labelled values.
    const min = [...frame.bounds.min] as Vec3;
    const max = [...frame.bounds.max] as Vec3;
    for (let j = 0; j < spec.dims; j++) {
      const span = max[j]! - min[j]!;
      const [a, b] = niceDomain(min[j]!, max[j]!, 5);
      if (span > 0 && min[j]! - a <= 0.12 * span && b - max[j]! <= 0.12 * span) {
        min[j] = a;
        max[j] = b;
      }
    }
    // About five ticks across the scene's two units, fewer on a short axis, none on a flat one
    // (a PCA axis with almost no variance would stack its labels on top of each other).
    const ticks = [0, 1, 2].map((j) => {
      const extent = (max[j]! - min[j]!) * frame.scale;
      const count = Math.min(5, Math.round(extent * 2.5));
      return j < spec.dims && count >= 2 ? niceTicks(min[j]!, max[j]!, count) : [];
    });
    const grid: number[] = [];
    const axis: number[] = [];
    const v = new THREE.Vector3();
    const push = (arr: number[], a: Vec3, b: Vec3): void => {
      frame.point(...a, v);
      arr.push(v.x, v.y, v.z);
      frame.point(...b, v);
      arr.push(v.x, v.y, v.z);
    };
    // Padding between an edge and its labels: 4 % of the scene's two units.
    const pad = 0.08 / frame.scale;
    const [x0, y0, z0] = min;
    const [x1, y1, z1] = max;
    const label = (
      text: string,
      at: Vec3,
      anchor: [number, number],
      role: 'tick' | 'title' = 'tick',
      offsetPx: [number, number] = [0, 0],
    ): void =>
      this.labels.add(text, frame.point(...at), { anchor, role, px: role === 'title' ? 12 : 11, offsetPx });

    if (spec.dims === 3) {
      // Floor grid at y = min: lines along z at each x tick, along x at each z tick.
      for (const t of ticks[0]!) push(grid, [t, y0, z0], [t, y0, z1]);
      for (const t of ticks[2]!) push(grid, [x0, y0, t], [x1, y0, t]);
      // Axes on the box edges the default camera (from +x, +y, +z) sees on the outside: x along the
      // front, z along the right, y up the left-most vertical edge (x0, z1), so that no tick label
      // sits on top of the data.
      push(axis, [x0, y0, z1], [x1, y0, z1]);
      push(axis, [x1, y0, z0], [x1, y0, z1]);
      push(axis, [x0, y0, z1], [x0, y1, z1]);
      for (const t of ticks[0]!) label(formatTick(t), [t, y0, z1 + pad], [0.5, 1]);
      for (const t of ticks[2]!) label(formatTick(t), [x1 + pad, y0, t], [0, 0.5]);
      for (const t of ticks[1]!) label(formatTick(t), [x0 - pad, t, z1 + 0.6 * pad], [1, 0.5]);
      label(spec.names[0], [(x0 + x1) / 2, y0, z1 + 3.5 * pad], [0.5, 1], 'title');
      label(spec.names[2], [x1 + 3.5 * pad, y0, (z0 + z1) / 2], [0, 0.5], 'title');
      label(spec.names[1], [x0, y1 + pad, z1], [0.5, 0], 'title');
    } else {
      const z = (z0 + z1) / 2;
      // 1-D views spread the points over a thin band in y for visibility: no y ticks.
      for (const t of ticks[0]!) push(grid, [t, y0, z], [t, y1, z]);
      for (const t of ticks[1]!) push(grid, [x0, t, z], [x1, t, z]);
      push(axis, [x0, y0, z], [x1, y0, z]);
      if (spec.dims === 2) push(axis, [x0, y0, z], [x0, y1, z]);
      // Seen straight from above: offsets in pixels, so labels keep their distance at any zoom
      // (the view's insets keep 46 px below and 52 px left of the plot for them).
      for (const t of ticks[0]!) label(formatTick(t), [t, y0, z], [0.5, 1], 'tick', [0, 5]);
      for (const t of ticks[1]!) label(formatTick(t), [x0, t, z], [1, 0.5], 'tick', [-6, 0]);
      label(spec.names[0], [(x0 + x1) / 2, y0, z], [0.5, 1], 'title', [0, 24]);
      if (spec.dims === 2) label(spec.names[1], [x0, y1, z], [0.5, 0], 'title', [0, -8]);
    }
    frame.point(x0, y0, z0, this.box.min);
    frame.point(x1, y1, z1, this.box.max);
    if (spec.dims === 3) {
      // Room for the tick labels and titles on the left, front and right edges, and the y title on top.
      const room = 0.3;
      this.box.min.x -= room;
      this.box.max.x += room;
      this.box.max.z += room;
      this.box.max.y += 0.1;
    }
    this.grid = lines(grid, this.gridMaterial);
    this.axis = lines(axis, this.axisMaterial);
    // Drawn before the clouds, so that in a flat view (everything at z = 0, depth test ≤) the
    // points cover the grid and not the other way round. (Labels keep their own, later order.)
    this.grid.renderOrder = -1;
    this.axis.renderOrder = -1;
    this.group.add(this.grid, this.axis);
  }

  private clear(): void {
    this.labels.clear();
    for (const l of [this.grid, this.axis]) {
      if (!l) continue;
      l.geometry.dispose();
      this.group.remove(l);
    }
    this.grid = null;
    this.axis = null;
  }

  dispose(): void {
    this.clear();
    this.gridMaterial.dispose();
    this.axisMaterial.dispose();
  }
}

function lines(positions: number[], material: THREE.LineBasicMaterial): THREE.LineSegments {
  const g = new THREE.BufferGeometry();
  g.setAttribute('position', new THREE.Float32BufferAttribute(positions, 3));
  const l = new THREE.LineSegments(g, material);
  l.frustumCulled = false;
  return l;
}
