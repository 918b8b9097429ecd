/**
 * The renderer, camera and controls behind one canvas. The Svelte component owns the canvas and
 * the DOM; scene modules add objects to `stage.scene`. Frames are drawn on demand: a change asks
 * for one frame (`requestRender`), and only running animations keep the loop alive.
 */
import * as THREE from 'three';
import { OrbitControls } from 'three/examples/jsm/controls/OrbitControls.js';
import { rendererInfo } from './renderer-info';
import type { ViewTheme } from './theme';

export interface FitBox {
  /** Scene-space box to frame. */
  min: THREE.Vector3;
  max: THREE.Vector3;
}

/** A per-frame step; return true to keep animating. */
export type Animation = (now: number) => boolean;

export const FOV = 40;

export class Stage {
  readonly renderer: THREE.WebGLRenderer;
  readonly scene = new THREE.Scene();
  readonly camera = new THREE.PerspectiveCamera(FOV, 1, 0.01, 200);
  readonly controls: OrbitControls;
  /** Pixel-sized things (points, markers) multiply their size by this: the device pixel ratio, or the export scale. */
  readonly pixelRatio = { value: 1 };
  /** The view's CSS size, shared by fat-line materials (their width is in CSS pixels). */
  readonly resolution = new THREE.Vector2(1, 1);
  /** CSS pixels. */
  width = 1;
  height = 1;
  /** Frames drawn so far; the component mirrors it into `data-frame` for tests. */
  frame = 0;
  flat = false;
  /** The user has orbited, panned or zoomed since the last `fit`. */
  cameraMoved = false;
  /** Bumped whenever what a pixel shows may have moved (camera, size): screen-space indexes rebuild. */
  viewVersion = 0;
  theme: ViewTheme | null = null;
  /** Called after each frame is drawn. */
  onRendered: ((frame: number) => void) | null = null;
  private readonly beforeRender = new Set<(stage: Stage) => void>();
  /** Called with `transparent` before an export renders, and with null after it. */
  readonly exportHooks = new Set<(transparent: boolean | null) => void>();
  private readonly animations = new Set<Animation>();
  private raf = 0;
  private readonly headLight = new THREE.DirectionalLight(0xffffff, 1.6);
  private readonly ambient = new THREE.AmbientLight(0xffffff, 1.4);
  private disposed = false;

  constructor(canvas: HTMLCanvasElement) {
    this.renderer = new THREE.WebGLRenderer({
      canvas,
      // Multisampling is nearly free on a GPU, but triples point costs on a software rasteriser.
      antialias: !rendererInfo().software,
      alpha: true,
      powerPreference: 'high-performance',
    });
    this.pixelRatio.value = Math.min(window.devicePixelRatio || 1, 2);
    this.renderer.setPixelRatio(this.pixelRatio.value);
    this.controls = new OrbitControls(this.camera, canvas);
    this.controls.enableDamping = false; // damping would need a permanent loop
    this.controls.zoomToCursor = true;
    this.controls.addEventListener('change', () => {
      this.viewVersion++;
      this.requestRender();
    });
    // A press, drag or wheel that actually moved the camera: later refits (resize, new insets)
    // leave the user's view alone until `fit` is called again.
    const before = { p: new THREE.Vector3(), t: new THREE.Vector3() };
    this.controls.addEventListener('start', () => {
      before.p.copy(this.camera.position);
      before.t.copy(this.controls.target);
    });
    this.controls.addEventListener('end', () => {
      if (!before.p.equals(this.camera.position) || !before.t.equals(this.controls.target))
        this.cameraMoved = true;
    });
    // A light that follows the camera keeps whatever faces the viewer lit, from any angle.
    this.headLight.position.set(0.3, 0.6, 1);
    this.camera.add(this.headLight);
    this.scene.add(this.camera, this.ambient);
    this.camera.position.set(0, 0, 4);
  }

  setSize(width: number, height: number): void {
    this.width = Math.max(1, Math.round(width));
    this.height = Math.max(1, Math.round(height));
    this.renderer.setSize(this.width, this.height, false);
    this.resolution.set(this.width, this.height);
    this.camera.aspect = this.width / this.height;
    this.camera.updateProjectionMatrix();
    this.viewVersion++;
    this.requestRender();
  }

  setTheme(theme: ViewTheme): void {
    this.theme = theme;
    this.scene.background = new THREE.Color().setRGB(
      theme.bg[0] / 255,
      theme.bg[1] / 255,
      theme.bg[2] / 255,
      THREE.SRGBColorSpace,
    );
    this.requestRender();
  }

  /** Flat (2-D) views look straight down z and pan with the left button; 3-D views orbit. */
  setFlat(flat: boolean): void {
    this.flat = flat;
    this.controls.enableRotate = !flat;
    this.controls.mouseButtons.LEFT = flat ? THREE.MOUSE.PAN : THREE.MOUSE.ROTATE;
    this.controls.touches.ONE = flat ? THREE.TOUCH.PAN : THREE.TOUCH.ROTATE;
  }

  /**
   * CSS pixels along each edge that overlays cover (toolbar, legend, axis labels): `fit` frames the
   * data in the rest of the view.
   */
  insets = { top: 0, right: 0, bottom: 0, left: 0 };

  /** Point the camera at a scene-space box so all of it shows, with `margin` around it, clear of the insets. */
  fit(box: FitBox, margin = 1.15): void {
    const center = box.min.clone().add(box.max).multiplyScalar(0.5);
    const size = box.max.clone().sub(box.min);
    const { top, right, bottom, left } = this.insets;
    const availW = Math.max(60, this.width - left - right);
    const availH = Math.max(60, this.height - top - bottom);
    const tanV = Math.tan(THREE.MathUtils.degToRad(FOV / 2)); // half-height / distance
    // Half-extents the free region sees at unit distance.
    const freeV = (tanV * availH) / this.height;
    const freeH = (tanV * this.camera.aspect * availW) / this.width;
    let dist: number;
    let dir: THREE.Vector3;
    if (this.flat) {
      dist = Math.max(((size.y / 2) * margin) / freeV, ((size.x / 2) * margin) / freeH, 1e-3) + size.z / 2;
      dir = new THREE.Vector3(0, 0, 1);
    } else {
      // The nearest distance at which all eight corners of the box project inside the free
      // region (perspective: a corner z nearer the camera needs |x| ≤ (dist − z)·freeH); tighter
      // than the bounding sphere, which left the plot at about half the view.
      dir = new THREE.Vector3(0.85, 1.0, 1.35).normalize();
      const r = new THREE.Vector3()
        .crossVectors(dir.clone().negate(), new THREE.Vector3(0, 1, 0))
        .normalize();
      const u = new THREE.Vector3().crossVectors(r, dir.clone().negate());
      const half = size.clone().multiplyScalar(0.5);
      dist = Math.max(size.length() * 0.05, 1e-3);
      for (let i = 0; i < 8; i++) {
        const c = new THREE.Vector3(
          i & 1 ? half.x : -half.x,
          i & 2 ? half.y : -half.y,
          i & 4 ? half.z : -half.z,
        );
        const z = c.dot(dir);
        dist = Math.max(
          dist,
          z + (Math.abs(c.dot(r)) * margin) / freeH,
          z + (Math.abs(c.dot(u)) * margin) / freeV,
        );
      }
    }
    this.camera.up.set(0, 1, 0);
    this.camera.position.copy(center).addScaledVector(dir, dist);
    this.camera.lookAt(center);
    this.camera.updateMatrixWorld();
    // Slide camera and target so the box's centre lands in the middle of the free region.
    const perPx = (2 * dist * tanV) / this.height;
    const shiftX = ((right - left) / 2) * perPx;
    const shiftY = ((top - bottom) / 2) * perPx;
    const r = new THREE.Vector3().setFromMatrixColumn(this.camera.matrixWorld, 0);
    const u = new THREE.Vector3().setFromMatrixColumn(this.camera.matrixWorld, 1);
    const shift = r.multiplyScalar(shiftX).addScaledVector(u, shiftY);
    this.camera.position.add(shift);
    this.camera.near = Math.max(dist / 100, 1e-4);
    this.camera.far = dist * 20;
    this.camera.updateProjectionMatrix();
    this.controls.target.copy(center).add(shift);
    this.controls.minDistance = dist / 50;
    this.controls.maxDistance = dist * 8;
    this.controls.update();
    this.cameraMoved = false;
    this.viewVersion++;
    this.requestRender();
  }

  /** Run `fn` before each frame (labels that keep a constant pixel size, for example). */
  onBeforeRender(fn: (stage: Stage) => void): () => void {
    this.beforeRender.add(fn);
    return () => this.beforeRender.delete(fn);
  }

  /** Keep drawing frames while `fn` returns true. */
  animate(fn: Animation): () => void {
    this.animations.add(fn);
    this.requestRender();
    return () => this.animations.delete(fn);
  }

  get animating(): boolean {
    return this.animations.size > 0;
  }

  requestRender(): void {
    if (this.raf || this.disposed) return;
    this.raf = requestAnimationFrame((now) => {
      this.raf = 0;
      for (const fn of [...this.animations]) if (!fn(now)) this.animations.delete(fn);
      this.renderNow();
      if (this.animations.size > 0) this.requestRender();
    });
  }

  /** Draw one frame now. */
  renderNow(): void {
    if (this.disposed) return;
    for (const fn of this.beforeRender) fn(this);
    this.renderer.render(this.scene, this.camera);
    this.frame++;
    this.onRendered?.(this.frame);
  }

  /**
   * Mean milliseconds per frame over `frames` synchronous renders, each waited for with a 1-pixel
   * read (which blocks until the GPU — SwiftShader in CI — has finished the frame).
   */
  timeFrames(frames = 10): number {
    const gl = this.renderer.getContext();
    const px = new Uint8Array(4);
    this.renderNow();
    gl.readPixels(0, 0, 1, 1, gl.RGBA, gl.UNSIGNED_BYTE, px);
    const t0 = performance.now();
    for (let i = 0; i < frames; i++) {
      this.renderNow();
      gl.readPixels(0, 0, 1, 1, gl.RGBA, gl.UNSIGNED_BYTE, px);
    }
    return (performance.now() - t0) / frames;
  }

  /**
   * Draw the view at `scale` × its CSS size into the canvas's own drawing buffer and read the
   * pixels back in the same task (so preserveDrawingBuffer is not needed), then restore the size.
   * Returns straight-alpha RGBA rows, top row first.
   */
  capturePixels(
    scale: number,
    transparent: boolean,
  ): { width: number; height: number; rgba: Uint8ClampedArray<ArrayBuffer> } {
    const gl = this.renderer.getContext();
    const max = Math.min(gl.getParameter(gl.MAX_RENDERBUFFER_SIZE) as number, 8192);
    const s = Math.min(scale, max / this.width, max / this.height);
    const width = Math.round(this.width * s);
    const height = Math.round(this.height * s);
    const ratio = this.renderer.getPixelRatio();
    const background = this.scene.background;
    const pr = this.pixelRatio.value;
    try {
      this.renderer.setPixelRatio(1);
      this.renderer.setSize(width, height, false);
      this.pixelRatio.value = s;
      if (transparent) {
        this.scene.background = null;
        this.renderer.setClearColor(0x000000, 0);
      }
      for (const fn of this.exportHooks) fn(transparent);
      for (const fn of this.beforeRender) fn(this);
      this.renderer.render(this.scene, this.camera);
      const raw = new Uint8Array(width * height * 4);
      gl.readPixels(0, 0, width, height, gl.RGBA, gl.UNSIGNED_BYTE, raw);
      // GL rows run bottom-up and the context's alpha is premultiplied: flip and un-premultiply.
      const rgba = new Uint8ClampedArray(width * height * 4);
      const rowBytes = width * 4;
      for (let y = 0; y < height; y++) {
        const src = (height - 1 - y) * rowBytes;
        const dst = y * rowBytes;
        for (let x = 0; x < rowBytes; x += 4) {
          const a = raw[src + x + 3]!;
          if (a === 255 || a === 0) {
            rgba[dst + x] = raw[src + x]!;
            rgba[dst + x + 1] = raw[src + x + 1]!;
            rgba[dst + x + 2] = raw[src + x + 2]!;
          } else {
            const k = 255 / a;
            rgba[dst + x] = raw[src + x]! * k;
            rgba[dst + x + 1] = raw[src + x + 1]! * k;
            rgba[dst + x + 2] = raw[src + x + 2]! * k;
          }
          rgba[dst + x + 3] = a;
        }
      }
      return { width, height, rgba };
    } finally {
      for (const fn of this.exportHooks) fn(null);
      this.scene.background = background;
      this.renderer.setClearColor(0x000000, 0);
      this.pixelRatio.value = pr;
      this.renderer.setPixelRatio(ratio);
      this.renderer.setSize(this.width, this.height, false);
      this.requestRender();
    }
  }

  dispose(): void {
    this.disposed = true;
    if (this.raf) cancelAnimationFrame(this.raf);
    this.animations.clear();
    this.beforeRender.clear();
    this.controls.dispose();
    this.renderer.dispose();
    // Browsers cap live WebGL contexts (≈ 16): give this one back now, not at garbage collection.
    this.renderer.forceContextLoss();
  }
}
