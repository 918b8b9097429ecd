/**
 * The data-space view's 3-D content, layer by layer: the data points (or their 3-D projection),
 * the reconstructions and the lines joining each point to its reconstruction, the decoded manifold
 * (curve or surface), tangent patches, the vector field r(x) − x, denoising trajectories and the
 * PCA plane. Every layer is projected by one Projector and drawn in one SceneFrame fitted to the
 * union of what is shown, so all layers line up.
 */
import * as THREE from 'three';
import { Axes } from './axes';
import type { Rgb } from './colormap';
import type { LegendItem, LegendModel } from './coloring';
import { SceneFrame, boundsOf, boundsWithin, unionBounds } from './frame';
import type { Bounds } from './frame';
import { FieldLayer } from './layers/field';
import { viridisSpan } from './colormap';
import { ManifoldLayer } from './layers/manifold';
import { PatchLayer } from './layers/patches';
import { TrajectoryLayer } from './layers/trajectories';
import { color3, segments } from './layers/util';
import { GpuPicker } from './picking';
import { PointCloud, RingMarker, autoPointSize } from './points';
import { Projector } from './projector';
import type { DataProjection } from '../shared/projection';
import type {
  FieldInput,
  LayerName,
  PickHit,
  PlaneInput,
  SurfaceInput,
  SurfaceStyle,
  TangentInput,
  TrajectoryInput,
} from '../shared/view-types';
import type { Stage } from './stage';
import type { ViewTheme } from './theme';
import { mixRgb } from './theme';

export const LAYERS: readonly { name: LayerName; title: string; help: string }[] = [
  { name: 'data', title: 'Data', help: 'The data points x (their 3-D PCA projection when d > 3)' },
  { name: 'recon', title: 'Reconstructions', help: 'The reconstructions r(x) = g(f(x))' },
  { name: 'links', title: 'x → r(x)', help: 'A thin line from each point to its reconstruction' },
  {
    name: 'manifold',
    title: 'Decoded manifold',
    help: 'The decoder g over a grid of codes: a curve for k = 1, a surface for k = 2',
  },
  {
    name: 'tangents',
    title: 'Tangent planes',
    help: 'The span of the decoder Jacobian’s columns at chosen points',
  },
  {
    name: 'field',
    title: 'Vector field',
    help: 'r(x) − x on a grid: points toward higher density (≈ σ² ∇ log p(x) for a denoising AE)',
  },
  {
    name: 'trajectories',
    title: 'Trajectories',
    help: 'Repeated denoising x ← x + α (r(x) − x) from the chosen starting points',
  },
  {
    name: 'pca',
    title: 'PCA plane',
    help: 'The plane through the mean spanned by the top two principal components',
  },
];

export interface Palette {
  data: Rgb;
  recon: Rgb;
  links: Rgb;
  manifold: Rgb;
  tangents: Rgb;
  trajectories: Rgb;
  pca: Rgb;
}

export function paletteFor(theme: ViewTheme): Palette {
  return theme.dark
    ? {
        data: theme.accent,
        recon: [242, 142, 43],
        links: mixRgb(theme.muted, theme.bg, 0.55),
        manifold: [118, 200, 178],
        tangents: [237, 201, 72],
        trajectories: [255, 99, 110],
        pca: [196, 140, 220],
      }
    : {
        data: theme.accent,
        recon: [214, 110, 20],
        links: mixRgb(theme.muted, theme.bg, 0.55),
        manifold: [30, 140, 120],
        tangents: [176, 125, 0],
        trajectories: [210, 40, 60],
        pca: [140, 70, 170],
      };
}

type LayerInputKey = 'curve' | 'surface' | 'tangents' | 'field' | 'trajectories' | 'pca';

interface Inputs {
  d: number;
  data: Float32Array | null;
  recon: Float32Array | null;
  projection: DataProjection | null;
  curve: Float32Array | null;
  surface: SurfaceInput | null;
  tangents: TangentInput | null;
  field: FieldInput | null;
  trajectories: TrajectoryInput | null;
  pca: PlaneInput | null;
}

export class DataScene {
  readonly axes = new Axes();
  readonly dataCloud: PointCloud;
  readonly reconCloud: PointCloud;
  readonly manifold: ManifoldLayer;
  readonly tangents: PatchLayer;
  readonly field = new FieldLayer();
  readonly trajectories: TrajectoryLayer;
  readonly plane: PatchLayer;
  readonly marker: RingMarker;
  readonly picker = new GpuPicker();
  private links: THREE.LineSegments | null = null;
  private readonly linkMaterial = new THREE.LineBasicMaterial({
    transparent: true,
    opacity: 0.5,
    depthWrite: false,
  });
  private readonly groups: Record<LayerName, THREE.Object3D>;
  private projector: Projector | null = null;
  private frame: SceneFrame | null = null;
  private inputs: Inputs = {
    d: 0,
    data: null,
    recon: null,
    projection: null,
    curve: null,
    surface: null,
    tangents: null,
    field: null,
    trajectories: null,
    pca: null,
  };
  private readonly layerDims: Partial<Record<LayerInputKey, number>> = {};
  private dataP: Float32Array = new Float32Array(0);
  private reconP: Float32Array = new Float32Array(0);
  private style: SurfaceStyle = 'both';
  private selected: number | null = null;
  private dataColors: Uint8Array | null = null;
  private dataLegend: LegendModel | null = null;
  private palette: Palette | null = null;
  private userSize: number | null = null;
  /** Layers left out because their input was malformed: layer → what was wrong. */
  readonly problems = new Map<LayerName, string>();
  visible: Record<LayerName, boolean> = {
    data: true,
    recon: true,
    links: false,
    manifold: true,
    tangents: true,
    field: true,
    trajectories: true,
    pca: false,
  };

  constructor(readonly stage: Stage) {
    this.dataCloud = new PointCloud(stage.pixelRatio);
    this.reconCloud = new PointCloud(stage.pixelRatio);
    this.manifold = new ManifoldLayer(stage);
    this.tangents = new PatchLayer(stage, true);
    this.trajectories = new TrajectoryLayer(stage);
    this.plane = new PatchLayer(stage, false);
    this.marker = new RingMarker(stage.pixelRatio);
    const linkGroup = new THREE.Group();
    this.groups = {
      data: this.dataCloud.points,
      recon: this.reconCloud.points,
      links: linkGroup,
      manifold: this.manifold.group,
      tangents: this.tangents.group,
      field: this.field.group,
      trajectories: this.trajectories.group,
      pca: this.plane.group,
    };
    stage.scene.add(this.axes.group, this.marker.object, ...Object.values(this.groups));
    this.picker.add('data', this.dataCloud.pickPoints, this.dataCloud.points);
    this.picker.add('recon', this.reconCloud.pickPoints, this.reconCloud.points);
    stage.onBeforeRender((s) => this.axes.labels.fitToScreen(s));
    stage.exportHooks.add((transparent) => this.axes.labels.setHalo(transparent !== true));
    this.applyVisibility();
  }

  /** The data ([n, d]), reconstructions ([n, d]) and, for d > 3, the 3-D projection. */
  setBase(
    d: number,
    data: Float32Array | null,
    recon: Float32Array | null,
    projection: DataProjection | null,
  ): void {
    const i = this.inputs;
    const newProjector =
      d !== i.d || projection !== i.projection || (d > 3 && !projection && data !== i.data);
    this.inputs = { ...i, d, data, recon, projection };
    if (newProjector) this.projector = new Projector(d, projection, data);
    const p = this.projector!;
    this.dataP = data ? p.points(data) : new Float32Array(0);
    this.reconP = recon && data && recon.length === data.length ? p.points(recon) : new Float32Array(0);
    this.refresh(newProjector);
  }

  // Each layer is set with the data dimension it was computed for: a layer whose d is not the
  // current one belongs to the previous dataset and is not drawn (its prop brings the new one, in
  // whatever order the component's effects run).

  setCurve(curve: Float32Array | null, d: number): void {
    this.inputs.curve = curve;
    this.layerDims.curve = d;
    // A curve, or nothing, replaces whatever decoded manifold was shown (surface included).
    this.inputs.surface = null;
    this.refresh(false, ['manifold']);
  }

  setSurface(surface: SurfaceInput | null, d: number, style: SurfaceStyle): void {
    this.inputs.surface = surface;
    this.layerDims.surface = d;
    if (surface) this.inputs.curve = null;
    this.style = style;
    this.refresh(false, ['manifold']);
  }

  setSurfaceStyle(style: SurfaceStyle): void {
    this.style = style;
    this.manifold.setStyle(style);
    this.stage.requestRender();
  }

  setTangents(t: TangentInput | null, d: number): void {
    this.inputs.tangents = t;
    this.layerDims.tangents = d;
    this.refresh(false, ['tangents']);
  }

  setField(f: FieldInput | null, d: number): void {
    this.inputs.field = f;
    this.layerDims.field = d;
    this.refresh(false, ['field']);
  }

  setTrajectories(t: TrajectoryInput | null, d: number): void {
    this.inputs.trajectories = t;
    this.layerDims.trajectories = d;
    this.refresh(false, ['trajectories']);
  }

  setPlane(p: PlaneInput | null, d: number): void {
    this.inputs.pca = p;
    this.layerDims.pca = d;
    this.refresh(false, ['pca']);
  }

  /** The layer inputs that belong to the current data dimension. */
  private current(): Pick<Inputs, LayerInputKey> {
    const i = this.inputs;
    const ok = (k: LayerInputKey): boolean => this.layerDims[k] === i.d;
    return {
      curve: ok('curve') ? i.curve : null,
      surface: ok('surface') ? i.surface : null,
      tangents: ok('tangents') ? i.tangents : null,
      field: ok('field') ? i.field : null,
      trajectories: ok('trajectories') ? i.trajectories : null,
      pca: ok('pca') ? i.pca : null,
    };
  }

  /** [n, 3] sRGB bytes for the data points (and the legend that explains them); null = the theme's data colour. */
  setDataColors(colors: Uint8Array | null, legend: LegendModel | null = null): void {
    this.dataColors = colors;
    this.dataLegend = legend;
    this.paintClouds();
    this.stage.requestRender();
  }

  setPointSize(px: number | null): void {
    this.userSize = px;
    this.sizeClouds();
    this.stage.requestRender();
  }

  setVisible(layer: LayerName, on: boolean): void {
    this.visible[layer] = on;
    this.applyVisibility();
    this.stage.requestRender();
  }

  setTheme(theme: ViewTheme): void {
    const p = paletteFor(theme);
    this.palette = p;
    this.axes.setTheme(theme);
    this.linkMaterial.color = color3(p.links);
    this.manifold.setColor(p.manifold);
    this.tangents.setColor(p.tangents, 0.4);
    this.plane.setColor(p.pca, 0.2);
    this.trajectories.setColors(
      p.trajectories,
      theme.dark ? [255, 255, 255] : [20, 20, 20],
      mixRgb(p.trajectories, theme.bg, 0.6),
      theme.bg,
    );
    this.marker.setColors(
      theme.dark ? [255, 255, 255] : [20, 20, 20],
      theme.dark ? [0, 0, 0] : [255, 255, 255],
    );
    this.paintClouds();
    const span = viridisSpan(theme.dark);
    if (span[0] !== this.field.span[0]) {
      this.field.span = span;
      this.refresh(false, ['field']);
    }
    this.stage.setTheme(theme);
  }

  /** What each shown layer's colour means, and the field's magnitude scale. */
  legend(): LegendModel[] {
    const p = this.palette;
    if (!p) return [];
    const items: LegendItem[] = [];
    const has = this.present();
    const add = (name: LayerName, color: Rgb, label?: string): void => {
      if (has[name] && this.visible[name])
        items.push({ label: label ?? LAYERS.find((l) => l.name === name)!.title, color });
    };
    if (!this.dataColors) add('data', p.data);
    add('recon', p.recon);
    add('manifold', p.manifold, this.manifold.kind === 'curve' ? 'Decoded curve' : 'Decoded surface');
    add('tangents', p.tangents);
    add('trajectories', p.trajectories);
    add('pca', p.pca, this.current().pca?.axes.length === this.inputs.d ? 'PCA line' : 'PCA plane');
    const out: LegendModel[] = [];
    if (items.length) out.push({ kind: 'categories', title: 'Layers', items, more: 0 });
    if (this.dataColors && this.dataLegend && has.data && this.visible.data) out.push(this.dataLegend);
    if (has.field && this.visible.field)
      out.push({
        kind: 'colorbar',
        title: '|r(x) − x|',
        min: this.field.range[0],
        max: this.field.range[1],
        span: this.field.span,
      });
    return out;
  }

  /** Which layers have something to show. */
  present(): Record<LayerName, boolean> {
    const i = this.current();
    return {
      data: this.dataCloud.count > 0,
      recon: this.reconCloud.count > 0,
      links: this.reconCloud.count > 0,
      manifold: !!(i.curve || i.surface),
      tangents: !!i.tangents,
      field: !!i.field,
      trajectories: !!i.trajectories,
      pca: !!i.pca,
    };
  }

  /** The point under CSS pixel (x, y): data points first, then reconstructions (screen-space grids). */
  pick(x: number, y: number): PickHit | null {
    for (const [layer, cloud] of [
      ['data', this.dataCloud],
      ['recon', this.reconCloud],
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

  screenPosition(i: number, layer: 'data' | 'recon' = 'data'): { x: number; y: number } | null {
    const cloud = layer === 'data' ? this.dataCloud : this.reconCloud;
    if (i < 0 || i >= cloud.count) return null;
    const v = cloud.positionOf(i).project(this.stage.camera);
    if (v.z > 1 || v.z < -1) return null;
    return { x: ((v.x + 1) / 2) * this.stage.width, y: ((1 - v.y) / 2) * this.stage.height };
  }

  select(i: number | null): void {
    this.selected = i !== null && i >= 0 && i < this.dataCloud.count ? i : null;
    this.marker.uniforms.uSize.value = Math.max(16, this.dataCloud.uniforms.uSize.value * 3);
    this.marker.show(this.selected === null ? null : this.dataCloud.positionOf(this.selected));
    this.applyVisibility();
    this.stage.requestRender();
  }

  replay(done?: () => void): void {
    this.trajectories.play(done);
  }

  fit(): void {
    if (!this.frame || !this.projector) return;
    this.stage.setFlat(this.projector.dims < 3);
    this.stage.fit(this.axes.box, this.projector.dims < 3 ? 1.03 : 1.02);
  }

  /** Bounds (projected data units) of everything there is to show. */
  private contentBounds(): Bounds | null {
    const p = this.projector;
    if (!p) return null;
    const parts: Float32Array[] = [];
    if (this.dataP.length) parts.push(this.dataP);
    if (this.reconP.length) parts.push(this.reconP);
    const i = this.current();
    if (i.curve) parts.push(p.points(i.curve));
    if (i.surface) parts.push(p.points(i.surface.positions));
    if (i.field) parts.push(p.points(i.field.origins));
    if (i.trajectories) parts.push(p.points(i.trajectories.points));
    if (i.tangents) parts.push(p.points(i.tangents.centres));
    if (parts.length === 0) return null;
    return parts.map((a) => boundsOf(a)).reduce(unionBounds);
  }

  /**
   * Re-project what changed. A new projector, or content that escapes (or shrinks well inside)
   * the current frame, refits the frame and redraws every layer.
   */
  private refresh(all: boolean, changed: LayerName[] = ['data', 'recon', 'links']): void {
    const p = this.projector;
    if (!p) return;
    const bounds = this.contentBounds();
    if (!bounds) return;
    let refit = all || !this.frame || !boundsWithin(bounds, this.frame.bounds, 0.1);
    if (!refit && this.frame) {
      const size = (b: Bounds): number => Math.max(...[0, 1, 2].map((j) => b.max[j]! - b.min[j]!));
      refit = size(bounds) < size(this.frame.bounds) * 0.6;
    }
    if (refit) this.frame = SceneFrame.fit(bounds);
    const f = this.frame!;
    const todo = new Set<LayerName>(refit ? LAYERS.map((l) => l.name) : changed);
    const i = this.current();
    // A layer with malformed input is left out and reported; the others still draw.
    const guard = (layer: LayerName, fn: () => void, clear: () => void): void => {
      if (!todo.has(layer)) return;
      try {
        fn();
        this.problems.delete(layer);
      } catch (e) {
        clear();
        this.problems.set(layer, e instanceof Error ? e.message : String(e));
      }
    };
    if (todo.has('data') || todo.has('recon') || todo.has('links')) this.updateClouds(f);
    guard(
      'manifold',
      () =>
        i.surface
          ? this.manifold.updateSurface(i.surface, p, f, this.style)
          : this.manifold.updateCurve(i.curve, p, f),
      () => this.manifold.updateCurve(null, p, f),
    );
    guard(
      'tangents',
      () => this.tangents.updateTangents(i.tangents, p, f),
      () => this.tangents.updateTangents(null, p, f),
    );
    guard(
      'field',
      () => this.field.update(i.field, p, f),
      () => this.field.update(null, p, f),
    );
    guard(
      'trajectories',
      () => this.trajectories.update(i.trajectories, p, f),
      () => this.trajectories.update(null, p, f),
    );
    guard(
      'pca',
      () => this.plane.updatePlane(i.pca, p, f),
      () => this.plane.updatePlane(null, p, f),
    );
    if (refit) {
      this.stack(p.dims < 3);
      this.axes.update(f, { names: p.names, dims: p.dims });
      // A new dataset (or projection) is framed afresh; growing content keeps a view the user chose.
      if (all || !this.stage.cameraMoved) this.fit();
    }
    this.applyVisibility();
    this.select(this.selected);
    this.stage.requestRender();
  }

  private updateClouds(f: SceneFrame): void {
    const n = this.dataP.length / 3;
    this.dataCloud.setPositions(f.toScene(this.dataP), false);
    this.reconCloud.setPositions(f.toScene(this.reconP), false);
    this.sizeClouds();
    this.paintClouds();
    if (this.links) {
      this.links.geometry.dispose();
      this.groups.links.remove(this.links);
      this.links = null;
    }
    if (this.reconP.length === this.dataP.length && n > 0) {
      // Segment i joins x_i to r(x_i).
      const a = f.toScene(this.dataP);
      const b = f.toScene(this.reconP);
      const pos = new Float32Array(n * 6);
      for (let j = 0; j < n; j++) {
        pos.set(a.subarray(j * 3, j * 3 + 3), j * 6);
        pos.set(b.subarray(j * 3, j * 3 + 3), j * 6 + 3);
      }
      this.links = segments(pos, this.linkMaterial);
      this.groups.links.add(this.links);
    }
  }

  private sizeClouds(): void {
    const size = this.userSize ?? autoPointSize(this.dataCloud.count);
    this.dataCloud.uniforms.uSize.value = size;
    this.reconCloud.uniforms.uSize.value = Math.max(2, size * 0.8);
  }

  private paintClouds(): void {
    const p = this.palette;
    if (!p) return;
    const n = this.dataCloud.count;
    if (this.dataColors && this.dataColors.length === n * 3) this.dataCloud.setColors(this.dataColors);
    else this.dataCloud.setColors(fill(n, p.data));
    this.reconCloud.setColors(fill(this.reconCloud.count, p.recon));
  }

  /**
   * Seen from straight above, every layer lies in z = 0 and the depth test (less-or-equal) would
   * let whatever draws last cover the rest. Lift the layers by hair-widths, in the order a 2-D plot
   * should stack them: PCA plane, data, reconstructions and their links, the decoded manifold,
   * tangents, the field, trajectories on top. In 3-D all offsets are zero.
   */
  private stack(flat: boolean): void {
    const order: LayerName[] = [
      'pca',
      'data',
      'recon',
      'links',
      'manifold',
      'tangents',
      'field',
      'trajectories',
    ];
    order.forEach((name, k) => {
      const z = flat ? 0.002 * (k + 1) : 0;
      this.groups[name].position.z = z;
      if (name === 'data') this.dataCloud.pickPoints.position.z = z;
      if (name === 'recon') this.reconCloud.pickPoints.position.z = z;
    });
  }

  private applyVisibility(): void {
    for (const l of LAYERS) this.groups[l.name].visible = this.visible[l.name];
    this.dataCloud.visible = this.visible.data;
    this.reconCloud.visible = this.visible.recon;
    this.marker.object.visible = this.selected !== null && this.visible.data;
  }

  dispose(): void {
    this.dataCloud.dispose();
    this.reconCloud.dispose();
    this.links?.geometry.dispose();
    this.linkMaterial.dispose();
    this.manifold.dispose();
    this.tangents.dispose();
    this.field.dispose();
    this.trajectories.dispose();
    this.plane.dispose();
    this.marker.dispose();
    this.axes.dispose();
    this.picker.dispose();
  }
}

function fill(n: number, c: Rgb): Uint8Array {
  const out = new Uint8Array(n * 3);
  for (let i = 0; i < n; i++) out.set(c, i * 3);
  return out;
}
