/**
 * Helpers for the explorer's browser tests (app*.test.ts): the app in browser mode (the real
 * server and engine worker) in headless Chromium, the hooks it exposes on `window.explorerHooks`
 * (renderer/src/state/hooks.ts), pixel statistics of a 3-D view through its own PNG export, and
 * clicks on a drawn point. Every wait is on something the page shows or sets, never a sleep.
 */
import sharp from 'sharp';
import type { Browser, Page } from 'playwright-core';
import { artifact, launchBrowser } from '../helpers/browser';
import { startBrowserMode } from '../helpers/serve';

/** What the tests use of the app's hooks (the renderer types them from its Svelte components). */
interface ViewHooks {
  exportPng(opts: { scale?: number; transparent?: boolean; legend?: boolean }): Promise<Uint8Array>;
  screenPosition(i: number): { x: number; y: number } | null;
  measure(
    frames?: number,
    samples?: number,
  ): { frameMs: number; gridBuildMs: number; pickMs: number; gpuPickMs: number; renderer: string } | null;
}
export interface AppHooks {
  app: {
    selected: number | null;
    training: { snapshots: number; state: string | null };
    data: { rows: number };
  };
  latent: ViewHooks | null;
  data: ViewHooks | null;
}

declare global {
  interface Window {
    explorerHooks?: AppHooks;
  }
}

export const LATENT = '[role="figure"][aria-label="Latent space"]';
export const DATA = '[role="figure"][aria-label="Data space"]';

export interface Session {
  server: Awaited<ReturnType<typeof startBrowserMode>>;
  browser: Browser;
  page: Page;
  errors: string[];
  /** Stop the server (and its engine) only; the page stays open. */
  stopServer(): Promise<void>;
  close(): Promise<void>;
}

/** Browser mode with the engine in a worker, and a page on its URL, connected. */
export async function openApp(viewport = { width: 1280, height: 800 }): Promise<Session> {
  const server = await startBrowserMode({ snapshotMs: 200, checkpointMs: 0 });
  const browser = await launchBrowser();
  const page = await browser.newPage({ viewport, acceptDownloads: true });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error' && !m.text().includes('favicon')) errors.push(m.text());
  });
  await page.goto(server.server.url);
  await page
    .getByRole('status', { name: 'Engine status' })
    .filter({ hasText: 'connected (browser)' })
    .waitFor();
  let serverOpen = true;
  const stopServer = async (): Promise<void> => {
    if (serverOpen) await server.close();
    serverOpen = false;
  };
  return {
    server,
    browser,
    page,
    errors,
    stopServer,
    close: async () => {
      await browser.close();
      await stopServer();
    },
  };
}

export async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: artifact(name) });
}

/** Frames a view has drawn (data-frame). */
export async function frameOf(page: Page, view: string): Promise<number> {
  return Number(await page.locator(view).getAttribute('data-frame'));
}

/** Wait until the view has drawn and has no animation left. */
export async function waitIdle(page: Page, view: string): Promise<void> {
  await page.waitForFunction(
    (sel) => {
      const el = document.querySelector<HTMLElement>(sel);
      return !!el && Number(el.dataset.frame) > 0 && el.dataset.animating === 'false';
    },
    view,
    { timeout: 60_000 },
  );
}

export interface Pixels {
  data: Buffer;
  width: number;
  height: number;
  channels: number;
}

/** The view's own rendering at 1× (its PNG export, legend left out), decoded. */
export async function viewPixels(page: Page, which: 'latent' | 'data'): Promise<Pixels> {
  const bytes = await page.evaluate(async (w) => {
    const v = window.explorerHooks?.[w];
    if (!v) throw new Error(`no ${w} view`);
    return Array.from(await v.exportPng({ scale: 1, legend: false }));
  }, which);
  const { data, info } = await sharp(Buffer.from(bytes))
    .ensureAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height, channels: info.channels };
}

/** Share of pixels that differ from the corner (background) colour by more than `tol`. */
export function foreground(p: Pixels, tol = 24): number {
  const [r, g, b] = [p.data[0]!, p.data[1]!, p.data[2]!];
  let count = 0;
  for (let i = 0; i < p.width * p.height; i++) {
    const o = i * p.channels;
    if (
      Math.abs(p.data[o]! - r) > tol ||
      Math.abs(p.data[o + 1]! - g) > tol ||
      Math.abs(p.data[o + 2]! - b) > tol
    )
      count++;
  }
  return count / (p.width * p.height);
}

/** Width, height and colour type from a PNG's IHDR chunk; throws unless the signature is PNG's. */
export function pngHeader(png: Buffer): { width: number; height: number; colorType: number } {
  const sig = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  if (!sig.every((b, i) => png[i] === b)) throw new Error('not a PNG file');
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20), colorType: png[25]! };
}

/**
 * A row whose drawn point lies at least `minPx` from every other drawn point, inside the canvas
 * and not under an overlay (toolbar, legend): clicking there can only mean that row.
 */
export async function isolatedRow(page: Page, which: 'latent' | 'data', minPx: number): Promise<number> {
  return page.evaluate(
    ([w, min]) => {
      const view = window.explorerHooks![w as 'latent' | 'data']!;
      const sel = w === 'latent' ? '[aria-label="Latent space"]' : '[aria-label="Data space"]';
      const host = document.querySelector<HTMLElement>(`[role="figure"]${sel}`)!;
      const canvas = host.querySelector('canvas')!;
      const box = canvas.getBoundingClientRect();
      const n = Number(host.dataset.count);
      const pos: ({ x: number; y: number } | null)[] = [];
      for (let j = 0; j < n; j++) pos.push(view.screenPosition(j));
      for (let j = 0; j < n; j++) {
        const p = pos[j];
        if (!p || p.x < 30 || p.y < 30 || p.x > box.width - 30 || p.y > box.height - 30) continue;
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
}

/** Click row i's point in a view (its screen position from the view's own projection). */
export async function clickRow(page: Page, which: 'latent' | 'data', i: number): Promise<void> {
  const sel = which === 'latent' ? LATENT : DATA;
  const at = await page.evaluate(
    ([w, j]) => window.explorerHooks![w as 'latent' | 'data']!.screenPosition(j as number),
    [which, i] as const,
  );
  if (!at) throw new Error(`row ${i} is not drawn`);
  const box = await page.locator(`${sel} canvas`).boundingBox();
  if (!box) throw new Error('no canvas');
  await page.mouse.move(box.x + at.x, box.y + at.y);
  await page.mouse.click(box.x + at.x, box.y + at.y);
}

/**
 * Visible controls (buttons, inputs, selects) that lack an accessible name (text, aria-label,
 * aria-labelledby or a <label>) or a tooltip (a title on the control or on an enclosing element).
 */
export async function unlabelledControls(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const bad: string[] = [];
    for (const el of Array.from(document.querySelectorAll<HTMLElement>('button, input, select, textarea'))) {
      const r = el.getBoundingClientRect();
      if (r.width === 0 || r.height === 0 || getComputedStyle(el).visibility === 'hidden') continue;
      const labelled =
        !!el.getAttribute('aria-label')?.trim() ||
        !!el.getAttribute('aria-labelledby') ||
        ((el instanceof HTMLInputElement || el instanceof HTMLSelectElement) &&
          (el.labels?.length ?? 0) > 0) ||
        (el instanceof HTMLButtonElement && !!el.textContent?.trim());
      const tooltip = !!el.closest('[title]');
      if (!labelled || !tooltip)
        bad.push(
          `${el.tagName.toLowerCase()} "${el.getAttribute('aria-label') ?? el.textContent?.trim() ?? ''}"${labelled ? '' : ' (no name)'}${tooltip ? '' : ' (no tooltip)'} in ${el.parentElement?.outerHTML.slice(0, 160)}`,
        );
    }
    return bad;
  });
}
