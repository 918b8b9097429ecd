/**
 * Text in the 3-D scene: one sprite per label, drawn into a small canvas texture, kept at a
 * constant size in pixels whatever the zoom (so it is part of PNG exports, unlike HTML overlays).
 */
import * as THREE from 'three';
import { rgbCss } from './colormap';
import type { Rgb } from './colormap';
import type { Stage } from './stage';

export interface LabelOptions {
  /** Font size in CSS pixels. */
  px?: number;
  /** Which point of the text sits on the anchor: (0, 0.5) left-middle, (0.5, 1) top-centre… */
  anchor?: [number, number];
  /** Move the text this many CSS pixels from the anchor (+x right, +y down), at any zoom. */
  offsetPx?: [number, number];
  role?: 'tick' | 'title';
  bold?: boolean;
}

interface Label {
  sprite: THREE.Sprite;
  anchor: [number, number];
  offset: [number, number];
  text: string;
  px: number;
  role: 'tick' | 'title';
  bold: boolean;
  aspect: number;
}

/** Texture pixels per CSS pixel: sharp on a 2× screen and in exports up to 3×. */
const RES = 3;

export class LabelLayer {
  readonly group = new THREE.Group();
  private labels: Label[] = [];
  private colors: Record<'tick' | 'title', Rgb> = { tick: [150, 150, 150], title: [220, 220, 220] };
  /** Background colour: a soft halo around the glyphs keeps labels readable over data. */
  private halo: Rgb = [20, 20, 20];
  /** No halo in transparent exports: there it would outline the text in the theme's background. */
  private haloOn = true;

  setHalo(on: boolean): void {
    if (on === this.haloOn) return;
    this.haloOn = on;
    for (const l of this.labels) this.draw(l);
  }
  private readonly font = 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';

  add(text: string, at: THREE.Vector3, opts: LabelOptions = {}): void {
    const px = opts.px ?? 11;
    const role = opts.role ?? 'tick';
    const bold = opts.bold ?? role === 'title';
    const material = new THREE.SpriteMaterial({
      sizeAttenuation: false,
      depthTest: false,
      depthWrite: false,
      transparent: true,
    });
    const sprite = new THREE.Sprite(material);
    sprite.position.copy(at);
    sprite.renderOrder = 5;
    const label: Label = {
      sprite,
      anchor: opts.anchor ?? [0.5, 0.5],
      offset: opts.offsetPx ?? [0, 0],
      text,
      px,
      role,
      bold,
      aspect: 1,
    };
    this.draw(label);
    this.labels.push(label);
    this.group.add(sprite);
  }

  setColors(tick: Rgb, title: Rgb, halo: Rgb): void {
    this.colors = { tick, title };
    this.halo = halo;
    for (const l of this.labels) this.draw(l);
  }

  /**
   * Keep each label `px` pixels tall. With sizeAttenuation off, three scales a sprite by its view
   * depth, so its height in NDC is scale.y · P[1][1]; a viewport of H pixels spans 2 NDC units:
   * pixels = scale.y · P11 · H / 2 ⇒ scale.y = 2 px / (P11 · H). The ratio holds at any export size.
   */
  fitToScreen(stage: Stage): void {
    const p11 = stage.camera.projectionMatrix.elements[5]!;
    const perPx = 2 / (p11 * stage.height);
    for (const l of this.labels) {
      const h = l.px * 1.3 * perPx;
      l.sprite.scale.set(h * l.aspect, h, 1);
    }
  }

  clear(): void {
    for (const l of this.labels) {
      l.sprite.material.map?.dispose();
      l.sprite.material.dispose();
    }
    this.labels = [];
    this.group.clear();
  }

  get size(): number {
    return this.labels.length;
  }

  private draw(l: Label): void {
    const canvas = document.createElement('canvas');
    const ctx = canvas.getContext('2d');
    if (!ctx) return;
    const font = `${l.bold ? '600 ' : ''}${l.px * RES}px ${this.font}`;
    ctx.font = font;
    const w = Math.ceil(ctx.measureText(l.text).width + 6 * RES);
    const h = Math.ceil(l.px * 1.3 * RES);
    canvas.width = w;
    canvas.height = h;
    ctx.font = font;
    ctx.textBaseline = 'middle';
    if (this.haloOn) {
      ctx.lineJoin = 'round';
      ctx.lineWidth = 3 * RES;
      ctx.strokeStyle = `rgba(${this.halo[0]}, ${this.halo[1]}, ${this.halo[2]}, 0.7)`;
      ctx.strokeText(l.text, 3 * RES, h / 2);
    }
    ctx.fillStyle = rgbCss(this.colors[l.role]);
    ctx.fillText(l.text, 3 * RES, h / 2);
    const texture = new THREE.CanvasTexture(canvas);
    texture.colorSpace = THREE.SRGBColorSpace;
    texture.minFilter = THREE.LinearFilter;
    texture.generateMipmaps = false;
    l.sprite.material.map?.dispose();
    l.sprite.material.map = texture;
    l.sprite.material.needsUpdate = true;
    l.aspect = w / h;
    // sprite.center is in units of the sprite's size (y up): a pixel offset is a fraction of it.
    l.sprite.center.set(l.anchor[0] - (l.offset[0] * RES) / w, l.anchor[1] + (l.offset[1] * RES) / h);
  }

  dispose(): void {
    this.clear();
  }
}
