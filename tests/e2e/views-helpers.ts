/**
 * Helpers for the view tests (views.test.ts): wait for the views' explicit "rendered" signals,
 * read a view's pixels through its own PNG export, find a point nothing else covers.
 */
import sharp from 'sharp';
import type { Page } from 'playwright-core';

/**
 * What the tests use of the gallery's `window.gallery` (renderer/src/gallery/hooks.ts; that file
 * types it from the Svelte components, which this TypeScript project cannot read).
 */
interface ViewHooks {
  exportPng(opts: { scale?: number; transparent?: boolean; legend?: boolean }): Promise<Uint8Array>;
  screenPosition(i: number): { x: number; y: number } | null;
  measure(
    frames?: number,
    samples?: number,
  ): { frameMs: number; gridBuildMs: number; pickMs: number; gpuPickMs: number; renderer: string } | null;
}
interface ChartHooks {
  toSvg(): string;
}
export interface GalleryApi {
  latent: ViewHooks & {
    measureUpdate(snapshots: readonly Float32Array[]): { updateMs: number; frameMs: number } | null;
    pickAt(x: number, y: number, method?: 'grid' | 'gpu'): number | null;
  };
  data: ViewHooks & {
    fieldStats(): { lengths: number[]; spacing: number };
    pickAt(x: number, y: number, method?: 'grid' | 'gpu'): { layer: string; index: number } | null;
  };
  loss: ChartHooks;
  histogram: ChartHooks;
  spectrum: ChartHooks;
  setCount(n: number): void;
  setK(k: number): void;
  setDataset(name: 'swiss' | 'circle' | 'highd'): void;
  setTheme(theme: 'dark' | 'light'): void;
  snapshots(count: number): Float32Array[];
  streamStep(): void;
  epochs(): number;
  dataRow(i: number): number[];
}

declare global {
  interface Window {
    gallery?: GalleryApi;
  }
}

export const LATENT = '[role="figure"][aria-label="Latent space"]';
export const DATA = '[role="figure"][aria-label="Data space"]';

export interface Pixels {
  data: Buffer;
  width: number;
  height: number;
  channels: number;
  /** [r, g, b, a] at (x, y), clamped to the image. */
  at(x: number, y: number): [number, number, number, number];
}

/** Frames a view has drawn (its data-frame attribute). */
export async function frameOf(page: Page, view: string): Promise<number> {
  return Number(await page.locator(view).getAttribute('data-frame'));
}

/** Wait until the view has no tween or animation left to draw. */
export async function waitIdle(page: Page, view: string): Promise<void> {
  await page.waitForFunction(
    (sel) => document.querySelector<HTMLElement>(sel)?.dataset.animating === 'false',
    view,
    {
      timeout: 60_000,
    },
  );
}

/** Run `action`, then wait for the view to draw a frame after it, and for any animation to end. */
export async function settle(page: Page, view: string, action: () => Promise<unknown>): Promise<void> {
  const before = await frameOf(page, view);
  await action();
  await page.waitForFunction(
    ([sel, n]) => Number(document.querySelector<HTMLElement>(sel as string)?.dataset.frame) > (n as number),
    [view, before] as const,
    { timeout: 60_000 },
  );
  await waitIdle(page, view);
}

export function decodePixels(raw: {
  data: Buffer;
  info: { width: number; height: number; channels: number };
}): Pixels {
  const { data, info } = raw;
  return {
    data,
    width: info.width,
    height: info.height,
    channels: info.channels,
    at(x, y) {
      const cx = Math.min(info.width - 1, Math.max(0, Math.round(x)));
      const cy = Math.min(info.height - 1, Math.max(0, Math.round(y)));
      const o = (cy * info.width + cx) * info.channels;
      return [data[o]!, data[o + 1]!, data[o + 2]!, info.channels > 3 ? data[o + 3]! : 255];
    },
  };
}

/** The view's own rendering at 1× (its PNG export, legend left out), decoded to RGBA. */
export async function exportPixels(page: Page, which: 'latent' | 'data'): Promise<Pixels> {
  const bytes = await page.evaluate(async (w) => {
    const png = await window.gallery![w].exportPng({ scale: 1, legend: false });
    return Array.from(png);
  }, which);
  return decodePixels(
    await sharp(Buffer.from(bytes)).ensureAlpha().raw().toBuffer({ resolveWithObject: true }),
  );
}

/** Width, height and colour type from a PNG's IHDR chunk. */
export function pngHeader(png: Buffer): { width: number; height: number; colorType: number } {
  expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20), colorType: png[25]! };
}

export async function canvasBox(
  page: Page,
  view: string,
): Promise<{ x: number; y: number; width: number; height: number }> {
  const box = await page.locator(`${view} canvas`).boundingBox();
  if (!box) throw new Error(`${view}: no canvas`);
  return box;
}

/**
 * A point of the view whose drawn position is at least `minPx` from every other point's, inside
 * the canvas and not under an overlay (toolbar, legend): hovering there can only mean that point.
 */
export async function isolatedPoint(page: Page, which: 'latent' | 'data', minPx: number): Promise<number> {
  const i = await page.evaluate(
    ([w, min]) => {
      const view = window.gallery![w as 'latent' | 'data'];
      const sel = w === 'latent' ? '[aria-label="Latent space"]' : '[aria-label="Data space"]';
      const canvas = document.querySelector(`${sel} canvas`)!;
      const box = canvas.getBoundingClientRect();
      const n = Number(document.querySelector<HTMLElement>(sel)!.dataset.count);
      const pos: ({ x: number; y: number } | null)[] = [];
      for (let j = 0; j < n; j++) pos.push(view.screenPosition(j));
      for (let j = 0; j < n; j++) {
        const p = pos[j];
        if (!p || p.x < 20 || p.y < 20 || p.x > box.width - 20 || p.y > box.height - 20) continue;
        if (document.elementFromPoint(box.x + p.x, box.y + p.y) !== canvas) continue;
        let ok = true;
        for (let k = 0; k < n && ok; k++) {
          const q = pos[k];
          if (k !== j && q && Math.hypot(q.x - p.x, q.y - p.y) < (min as number)) ok = false;
        }
        if (ok) return j;
      }
      return -1;
    },
    [which, minPx] as const,
  );
  expect(i).toBeGreaterThanOrEqual(0);
  return i;
}
