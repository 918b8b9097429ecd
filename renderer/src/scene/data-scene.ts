/**
 * The data-space view's 3-D content, layer by layer: the data points (or their 3-D projection),
 * the reconstructions and the lines joining each point to its reconstruction, the decoded manifold
 * (curve or surface), tangent patches, the vector field r(x) − x, denoising trajectories and the
 * PCA plane. Every layer is projected by one Projector and drawn in one SceneFrame fitted to the
 * union of what is shown, so all layers line up.
 */
import type * as THREE from 'three';
import { Axes } from './axes';
import type { LegendModel } from './coloring';
import { LAYERS, STACKING, layerLegend, paletteFor } from './data-layers';
import type { Palette } from './data-layers';
import { SceneFrame, boundsOf, boundsWithin, unionBounds } from './frame';
import type { Bounds } from './frame';
import { CloudLayers } from './layers/clouds';
import { FieldLayer } from './layers/field';
import { viridisSpan } from './colormap';
import { ManifoldLayer } from './layers/manifold';
import { PatchLayer } from './layers/patches';
import { TrajectoryLayer } from './layers/trajectories';
import { RingMarker } from './points';
import { LayerInputs } from './layer-inputs';
import type { LayerValues } from './layer-inputs';
import { Projector } from './projector';
import type { DataProjection } from '../shared/projection';
import { DEFAULT_LAYERS } from '../shared/view-types';
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

export { LAYERS } from './data-layers';

/** What every layer is drawn over: the data, their reconstructions and the projection to 3-D. */
interface Base {
  d: number;
  data: Float32Array | null;
  recon: Float32Array | null;
  projection: DataProjection | null;
}

export class DataScene {
  readonly axes = new Axes();
  readonly clouds: CloudLayers;
  readonly manifold: ManifoldLayer;
  readonly tangents: PatchLayer;
  readonly field = new FieldLayer();
  readonly trajectories: TrajectoryLayer;
  readonly plane: PatchLayer;
  readonly marker: RingMarker;
  private readonly groups: Record<LayerName, THREE.Object3D>;
  private projector: Projector | null = null;
  private frame: SceneFrame | null = null;
  private inputs: Base = { d: 0, data: null, recon: null, projection: null };
  private readonly layers = new LayerInputs();
  private dataP: Float32Array = new Float32Array(0);
  private reconP: Float32Array = new Float32Array(0);
  private style: SurfaceStyle = 'both';
  private selected: number | null = null;
  private dataColors: Uint8Array | null = null;
  private dataLegend: LegendModel | null = null;
  private palette: Palette | null = null;
  /** Layers left out because their input was malformed: layer → what was wrong. */
  readonly problems = new Map<LayerName, string>();
  visible: Record<LayerName, boolean> = { ...DEFAULT_LAYERS };

  constructor(readonly stage: Stage) {
    this.clouds = new CloudLayers(stage);
    this.manifold = new ManifoldLayer(stage);
    this.tangents = new PatchLayer(stage, true);
    this.trajectories = new TrajectoryLayer(stage);
    this.plane = new PatchLayer(stage, false);
    this.marker = new RingMarker(stage.pixelRatio);
    this.groups = {
      data: this.clouds.data.points,
      recon: this.clouds.recon.points,
      links: this.clouds.links,
      manifold: this.manifold.group,
      tangents: this.tangents.group,
      field: this.field.group,
      trajectories: this.trajectories.group,
      pca: this.plane.group,
    };
    stage.scene.add(this.axes.group, this.marker.object, ...Object.values(this.groups));
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

  // Each layer comes with the data dimension it was computed for (see layer-inputs.ts).

  setCurve(curve: Float32Array | null, d: number): void {
    this.layers.set('curve', curve, d);
    this.refresh(false, ['manifold']);
  }

  setSurface(surface: SurfaceInput | null, d: number, style: SurfaceStyle): void {
    this.layers.set('surface', surface, d);
    this.style = style;
    this.refresh(false, ['manifold']);
  }

  setSurfaceStyle(style: SurfaceStyle): void {
    this.style = style;
    this.manifold.setStyle(style);
    this.stage.requestRender();
  }

  setTangents(t: TangentInput | null, d: number): void {
    this.layers.set('tangents', t, d);
    this.refresh(false, ['tangents']);
  }

  setField(f: FieldInput | null, d: number): void {
    this.layers.set('field', f, d);
    this.refresh(false, ['field']);
  }

  setTrajectories(t: TrajectoryInput | null, d: number): void {
    this.layers.set('trajectories', t, d);
    this.refresh(false, ['trajectories']);
  }

  setPlane(p: PlaneInput | null, d: number): void {
    this.layers.set('pca', p, d);
    this.refresh(false, ['pca']);
  }

  /** The layer inputs that belong to the current data dimension. */
  private current(): LayerValues {
    return this.layers.current(this.inputs.d);
  }

  /** [n, 3] sRGB bytes for the data points (and the legend that explains them); null = the theme's data colour. */
  setDataColors(colors: Uint8Array | null, legend: LegendModel | null = null): void {
    this.dataColors = colors;
    this.dataLegend = legend;
    this.clouds.setColors(colors);
    this.stage.requestRender();
  }

  setPointSize(px: number | null): void {
    this.clouds.setPointSize(px);
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
    this.clouds.setPalette(p.data, p.recon, p.links);
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
    const span = viridisSpan(theme.dark);
    if (span[0] !== this.field.span[0]) {
      this.field.span = span;
      this.refresh(false, ['field']);
    }
    this.stage.setTheme(theme);
  }

  /** What each shown layer's colour means, and the field's magnitude scale. */
  legend(): LegendModel[] {
    if (!this.palette) return [];
    return layerLegend({
      palette: this.palette,
      present: this.present(),
      visible: this.visible,
      dataColored: this.dataColors !== null,
      dataLegend: this.dataLegend,
      manifold: this.manifold.kind,
      pcaLine: this.current().pca?.axes.length === this.inputs.d,
      field: { range: this.field.range, span: this.field.span },
    });
  }

  /** Which layers have something to show. */
  present(): Record<LayerName, boolean> {
    const i = this.current();
    return {
      data: this.clouds.data.count > 0,
      recon: this.clouds.recon.count > 0,
      links: this.clouds.recon.count > 0,
      manifold: !!(i.curve || i.surface),
      tangents: !!i.tangents,
      field: !!i.field,
      trajectories: !!i.trajectories,
      pca: !!i.pca,
    };
  }

  /** The point under CSS pixel (x, y): data points first, then reconstructions (screen-space grids). */
  pick(x: number, y: number): PickHit | null {
    return this.clouds.pick(x, y);
  }

  /** The same from the GPU id pass (picking.ts), for comparison and the benchmark. */
  pickGpu(x: number, y: number): PickHit | null {
    return this.clouds.pickGpu(x, y);
  }

  screenPosition(i: number, layer: 'data' | 'recon' = 'data'): { x: number; y: number } | null {
    return this.clouds.screenPosition(i, layer);
  }

  select(i: number | null): void {
    const cloud = this.clouds.data;
    this.selected = i !== null && i >= 0 && i < cloud.count ? i : null;
    this.marker.uniforms.uSize.value = Math.max(16, cloud.uniforms.uSize.value * 3);
    this.marker.show(this.selected === null ? null : cloud.positionOf(this.selected));
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
    if (todo.has('data') || todo.has('recon') || todo.has('links'))
      this.clouds.update(this.dataP, this.reconP, f);
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

  /**
   * Seen from straight above, every layer lies in z = 0 and the depth test (less-or-equal) would
   * let whatever draws last cover the rest. Lift the layers by hair-widths, in the order a 2-D plot
   * should stack them (STACKING). In 3-D all offsets are zero.
   */
  private stack(flat: boolean): void {
    STACKING.forEach((name, k) => {
      const z = flat ? 0.002 * (k + 1) : 0;
      this.groups[name].position.z = z;
      if (name === 'data') this.clouds.data.pickPoints.position.z = z;
      if (name === 'recon') this.clouds.recon.pickPoints.position.z = z;
    });
  }

  private applyVisibility(): void {
    for (const l of LAYERS) this.groups[l.name].visible = this.visible[l.name];
    this.clouds.data.visible = this.visible.data;
    this.clouds.recon.visible = this.visible.recon;
    this.marker.object.visible = this.selected !== null && this.visible.data;
  }

  dispose(): void {
    this.clouds.dispose();
    this.manifold.dispose();
    this.tangents.dispose();
    this.field.dispose();
    this.trajectories.dispose();
    this.plane.dispose();
    this.marker.dispose();
    this.axes.dispose();
  }
}
