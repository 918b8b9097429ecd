/**
 * The 3-D views and charts in headless Chromium (SwiftShader WebGL), driven through the built
 * gallery page (out/renderer/gallery.html) and its `window.gallery` hooks. Every wait is on an
 * explicit signal the views set (data-frame, data-count, data-animating), never on a sleep.
 * Screenshots go to tests/artifacts/views-*.png; timings to tests/artifacts/views-perf.json
 * (measured, not asserted).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import type { Browser, Page } from 'playwright-core';
import { ROOT } from '../helpers/cli';
import { artifact, launchBrowser } from '../helpers/browser';
import { serveStatic } from '../helpers/static-server';
import {
  LATENT,
  DATA,
  canvasBox,
  exportPixels,
  isolatedPoint,
  pngHeader,
  settle,
  waitIdle,
} from './views-helpers';
import type { Pixels } from './views-helpers';

let site: Awaited<ReturnType<typeof serveStatic>>;
let browser: Browser;
let page: Page;
const errors: string[] = [];

beforeAll(async () => {
  site = await serveStatic(join(ROOT, 'out/renderer'));
  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error' && !m.text().includes('favicon')) errors.push(m.text());
  });
  await page.goto(site.url + 'gallery.html');
  await page.waitForFunction(
    ([a, b]) =>
      Number(document.querySelector<HTMLElement>(a!)?.dataset.frame) > 0 &&
      Number(document.querySelector<HTMLElement>(b!)?.dataset.frame) > 0,
    [LATENT, DATA],
  );
  await waitIdle(page, DATA);
});

afterAll(async () => {
  await browser?.close();
  await site?.close();
});

afterEach(() => {
  // No page errors (shader compile failures, exceptions in effects) in any test.
  expect(errors.splice(0)).toEqual([]);
});

/** Pixels that differ from the background colour by more than `tol` in any channel. */
function foreground(p: Pixels, tol = 24): number {
  const [r, g, b] = p.at(2, 2);
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
  return count;
}

/** Pixels whose colour differs between two images of the same size. */
function changed(a: Pixels, b: Pixels, tol = 24): number {
  expect([a.width, a.height]).toEqual([b.width, b.height]);
  let count = 0;
  for (let i = 0; i < a.width * a.height; i++) {
    const o = i * a.channels;
    if (
      Math.abs(a.data[o]! - b.data[o]!) > tol ||
      Math.abs(a.data[o + 1]! - b.data[o + 1]!) > tol ||
      Math.abs(a.data[o + 2]! - b.data[o + 2]!) > tol
    )
      count++;
  }
  return count;
}

/** Pixels within `tol` of an sRGB colour. */
function near(p: Pixels, rgb: readonly number[], tol = 30): number {
  let count = 0;
  for (let i = 0; i < p.width * p.height; i++) {
    const o = i * p.channels;
    if (
      Math.abs(p.data[o]! - rgb[0]!) <= tol &&
      Math.abs(p.data[o + 1]! - rgb[1]!) <= tol &&
      Math.abs(p.data[o + 2]! - rgb[2]!) <= tol
    )
      count++;
  }
  return count;
}

async function shoot(name: string, region: string): Promise<void> {
  await page.getByRole('region', { name: region }).screenshot({ path: artifact(name) });
}

/** Dark theme, the swiss roll, 1,000 points, k = 2. */
async function reset(): Promise<void> {
  const dark = await page.evaluate(() => document.documentElement.dataset.theme === 'dark');
  if (!dark) await settle(page, LATENT, () => page.evaluate(() => window.gallery!.setTheme('dark')));
  await settle(page, LATENT, () => page.evaluate(() => window.gallery!.setK(2)));
  await settle(page, DATA, () => page.evaluate(() => window.gallery!.setDataset('swiss')));
  await waitIdle(page, DATA);
}

/** Colours equal within `tol` per channel. */
function close(a: readonly number[], b: readonly number[], tol = 2): boolean {
  return b.every((v, i) => Math.abs(v - a[i]!) <= tol);
}

// Tableau 10's first six: the label colours of the latent view's six swiss-roll segments.
const LABEL_COLOURS = [
  [0x4e, 0x79, 0xa7],
  [0xf2, 0x8e, 0x2b],
  [0xe1, 0x57, 0x59],
  [0x76, 0xb7, 0xb2],
  [0x59, 0xa1, 0x4f],
  [0xed, 0xc9, 0x48],
];

describe('latent view', () => {
  beforeAll(reset);

  test('draws the labelled codes as a cloud with one colour per label, and a legend', async () => {
    const px = await exportPixels(page, 'latent');
    expect(foreground(px)).toBeGreaterThan(px.width * px.height * 0.05);
    for (const c of LABEL_COLOURS) expect(near(px, c, 28)).toBeGreaterThan(150);
    const legend = page.getByRole('figure', { name: 'Latent space' }).getByRole('group', { name: 'Legend' });
    await expect(legend.textContent()).resolves.toContain('outer');
    await shoot('views-latent.png', 'Latent view panel');
  });

  test('colouring by a scalar switches to viridis with a colour bar', async () => {
    const before = await exportPixels(page, 'latent');
    const select = page.getByRole('combobox', { name: 'Colour points by' });
    await settle(page, LATENT, () => select.selectOption('Reconstruction error'));
    const after = await exportPixels(page, 'latent');
    expect(changed(before, after)).toBeGreaterThan(2000);
    const bar = page
      .getByRole('figure', { name: 'Latent space' })
      .getByRole('img', { name: /^Colour scale from/ });
    await expect(bar.isVisible()).resolves.toBe(true);
    await shoot('views-latent-error.png', 'Latent view panel');
    await settle(page, LATENT, () => select.selectOption('Label'));
  });

  test('hovering a point shows its index; clicking selects it and rings it', async () => {
    const i = await isolatedPoint(page, 'latent', 12);
    const at = (await page.evaluate((j) => window.gallery!.latent.screenPosition(j), i))!;
    const box = await canvasBox(page, LATENT);
    await page.mouse.move(box.x + at.x, box.y + at.y);
    const tip = page.getByRole('tooltip');
    await tip.waitFor();
    await expect(tip.textContent()).resolves.toContain(`#${i}`);
    await expect(page.locator(LATENT).getAttribute('data-hover')).resolves.toBe(String(i));
    // The GPU id pass agrees with the screen grid the hover used.
    await expect(
      page.evaluate(([x, y]) => window.gallery!.latent.pickAt(x!, y!, 'gpu'), [at.x, at.y]),
    ).resolves.toBe(i);

    const before = await exportPixels(page, 'latent');
    await settle(page, LATENT, () => page.mouse.click(box.x + at.x, box.y + at.y));
    await expect(page.locator(LATENT).getAttribute('data-selected')).resolves.toBe(String(i));
    const after = await exportPixels(page, 'latent');
    // The ring (white on the dark theme) appears around the point and nowhere else.
    const ringPixels = (p: Pixels): number => {
      let n = 0;
      for (let y = Math.round(at.y) - 14; y <= at.y + 14; y++)
        for (let x = Math.round(at.x) - 14; x <= at.x + 14; x++) {
          const [r, g, b] = p.at(x, y);
          if (r > 235 && g > 235 && b > 235) n++;
        }
      return n;
    };
    expect(ringPixels(before)).toBe(0);
    expect(ringPixels(after)).toBeGreaterThan(20);
    await page.mouse.move(box.x + 2, box.y + box.height - 2);
    await shoot('views-latent-selected.png', 'Latent view panel');
    // Escape clears the selection.
    await settle(page, LATENT, () => page.locator(`${LATENT} canvas`).press('Escape'));
    await expect(page.locator(LATENT).getAttribute('data-selected')).resolves.toBe('');
  });

  test('a lost WebGL context: said on the view, no export meanwhile, the same picture once restored', async () => {
    const before = await exportPixels(page, 'latent');
    // WEBGL_lose_context does what a GPU reset does; its object must be taken while the context lives.
    const lose = (what: 'loseContext' | 'restoreContext'): Promise<void> =>
      page.evaluate(
        ([sel, w]) => {
          const win = window as unknown as { loser?: WEBGL_lose_context | null };
          const gl = document.querySelector<HTMLCanvasElement>(`${sel} canvas`)!.getContext('webgl2')!;
          win.loser ??= gl.getExtension('WEBGL_lose_context');
          win.loser![w as 'loseContext' | 'restoreContext']();
        },
        [LATENT, what] as const,
      );
    const context = (state: string): Promise<unknown> =>
      page.waitForFunction(([sel, s]) => document.querySelector<HTMLElement>(sel!)?.dataset.context === s, [
        LATENT,
        state,
      ] as const);
    await lose('loseContext');
    await context('lost');
    const alert = page.locator(LATENT).getByRole('alert');
    await expect(alert.textContent()).resolves.toContain('graphics context was lost');
    await expect(
      page.evaluate(() =>
        window.gallery!.latent.exportPng({}).then(
          () => 'exported',
          (e: Error) => e.message,
        ),
      ),
    ).resolves.toMatch(/graphics context is lost/);
    await settle(page, LATENT, async () => {
      await lose('restoreContext');
      await context('ok');
    });
    await expect(alert.count()).resolves.toBe(0);
    const after = await exportPixels(page, 'latent');
    expect(foreground(after)).toBeGreaterThan(after.width * after.height * 0.05);
    expect(changed(before, after)).toBeLessThan(before.width * before.height * 0.002);
  });

  test('k > 3: PCA by default, and an axes chooser that re-projects', async () => {
    await settle(page, LATENT, () => page.evaluate(() => window.gallery!.setK(8)));
    const pca = await exportPixels(page, 'latent');
    const projection = page.getByRole('combobox', { name: 'Projection of the codes' });
    await expect(projection.inputValue()).resolves.toBe('pca');
    await shoot('views-latent-k8-pca.png', 'Latent view panel');
    await settle(page, LATENT, () => projection.selectOption('axes'));
    const axes = await exportPixels(page, 'latent');
    await settle(page, LATENT, () =>
      page.getByRole('combobox', { name: 'Code unit on axis z' }).selectOption({ label: 'h₅' }),
    );
    const z5 = await exportPixels(page, 'latent');
    expect(changed(pca, axes)).toBeGreaterThan(2000);
    expect(changed(axes, z5)).toBeGreaterThan(500);
    await shoot('views-latent-k8-axes.png', 'Latent view panel');
    await settle(page, LATENT, () => projection.selectOption('pca'));
    await settle(page, LATENT, () => page.evaluate(() => window.gallery!.setK(2)));
  });

  test('streamed snapshots move the cloud in place and the loss chart grows', async () => {
    const before = await exportPixels(page, 'latent');
    const epochs = await page.evaluate(() => window.gallery!.epochs());
    const points = async (): Promise<number> =>
      ((await page.locator('path[data-series="reconstruction/train"]').getAttribute('d')) ?? '').split('L')
        .length;
    const drawn = await points();
    await settle(page, LATENT, () => page.evaluate(() => window.gallery!.streamStep()));
    await waitIdle(page, LATENT);
    const after = await exportPixels(page, 'latent');
    expect(changed(before, after)).toBeGreaterThan(1000);
    await expect(page.locator(LATENT).getAttribute('data-count')).resolves.toBe('1000');
    await expect(page.evaluate(() => window.gallery!.epochs())).resolves.toBe(Math.min(epochs + 1, 200));
    // The loss chart redraws with the new epoch's point.
    await expect.poll(points).toBe(drawn + 1);
    // Back to the settled codes.
    await settle(page, LATENT, () => page.evaluate(() => window.gallery!.setK(2)));
  });

  test('1-D and 3-D codes draw', async () => {
    for (const k of [1, 3]) {
      await settle(page, LATENT, () => page.evaluate((v) => window.gallery!.setK(v), k));
      const px = await exportPixels(page, 'latent');
      expect(foreground(px)).toBeGreaterThan(2000);
      await shoot(`views-latent-k${k}.png`, 'Latent view panel');
    }
    await settle(page, LATENT, () => page.evaluate(() => window.gallery!.setK(2)));
  });
});

describe('data view', () => {
  beforeAll(reset);

  test('draws the swiss roll with its layers, each toggle changing the picture', async () => {
    const px = await exportPixels(page, 'data');
    expect(foreground(px)).toBeGreaterThan(px.width * px.height * 0.05);
    await shoot('views-data-swiss.png', 'Data view panel');
    const toggles = [
      'Show vector field',
      'Show decoded manifold',
      'Show tangent planes',
      'Show trajectories',
      'Show reconstructions',
      'Show x → r(x)',
      'Show pca plane',
      'Show data',
    ];
    // Each toggle is compared with the picture with every default layer (px), then undone.
    for (const name of toggles) {
      const box = page.getByRole('checkbox', { name });
      await settle(page, DATA, () => box.click());
      const b = await exportPixels(page, 'data');
      expect(changed(px, b), name).toBeGreaterThan(150);
      await settle(page, DATA, () => box.click());
    }
    const back = await exportPixels(page, 'data');
    expect(changed(px, back)).toBeLessThan(50);
  });

  test('the vector field never swamps the plot: no arrow is longer than the grid spacing', async () => {
    const longest = await page.evaluate(() => {
      const f = window.gallery!.data.fieldStats();
      return { max: Math.max(...f.lengths), spacing: f.spacing, count: f.lengths.length };
    });
    expect(longest.count).toBe(7 * 5 * 7);
    expect(longest.max).toBeGreaterThan(0);
    expect(longest.max).toBeLessThanOrEqual(longest.spacing * 0.96);
  });

  test('hover and click pick a data point', async () => {
    const i = await isolatedPoint(page, 'data', 9);
    const at = (await page.evaluate((j) => window.gallery!.data.screenPosition(j), i))!;
    const box = await canvasBox(page, DATA);
    await page.mouse.move(box.x + at.x, box.y + at.y);
    const tip = page.getByRole('tooltip');
    await tip.waitFor();
    await expect(tip.textContent()).resolves.toContain(`#${i}`);
    await expect(
      page.evaluate(([x, y]) => window.gallery!.data.pickAt(x!, y!, 'gpu'), [at.x, at.y]),
    ).resolves.toEqual({ layer: 'data', index: i });
    await settle(page, DATA, () => page.mouse.click(box.x + at.x, box.y + at.y));
    await expect(page.locator(DATA).getAttribute('data-selected')).resolves.toBe(String(i));
    await page.mouse.move(box.x + 2, box.y + box.height - 2);
    await shoot('views-data-selected.png', 'Data view panel');
  });

  test('trajectories replay: the heads walk for about two seconds, then stop', async () => {
    const start = Number(await page.locator(DATA).getAttribute('data-frame'));
    await page.getByRole('button', { name: 'Replay trajectories' }).click();
    await page.waitForFunction(
      (sel) => document.querySelector<HTMLElement>(sel)!.dataset.animating === 'true',
      DATA,
    );
    await waitIdle(page, DATA);
    const end = Number(await page.locator(DATA).getAttribute('data-frame'));
    // SwiftShader is slow, but a two-second animation still takes several frames.
    expect(end - start).toBeGreaterThan(4);
  });

  test('2-D data is drawn flat, seen from straight above', async () => {
    await settle(page, DATA, () => page.evaluate(() => window.gallery!.setDataset('circle')));
    await waitIdle(page, DATA);
    // Screen positions must be an axis-aligned similarity of the data: sx = a·x + b, sy = −a·y + c.
    const fit = await page.evaluate(() => {
      const g = window.gallery!;
      const xs: [number, number, number, number][] = [];
      for (let i = 0; i < 200; i += 7) {
        const p = g.data.screenPosition(i)!;
        const [x = NaN, y = NaN] = g.dataRow(i);
        xs.push([x, y, p.x, p.y]);
      }
      return xs;
    });
    const [x0, y0, sx0, sy0] = fit[0]!;
    const [x1, , sx1] = fit[1]!;
    const a = (sx1 - sx0) / (x1 - x0);
    expect(Math.abs(a)).toBeGreaterThan(50); // pixels per data unit: the circle fills the view
    for (const [x, y, sx, sy] of fit) {
      expect(Math.abs(sx - (sx0 + a * (x - x0)))).toBeLessThan(0.5);
      expect(Math.abs(sy - (sy0 - a * (y - y0)))).toBeLessThan(0.5);
    }
    const px = await exportPixels(page, 'data');
    expect(foreground(px)).toBeGreaterThan(3000);
    await shoot('views-data-circle.png', 'Data view panel');
  });

  test('10-D data is drawn through its 3-D PCA projection', async () => {
    await settle(page, DATA, () => page.evaluate(() => window.gallery!.setDataset('highd')));
    await waitIdle(page, DATA);
    const px = await exportPixels(page, 'data');
    expect(foreground(px)).toBeGreaterThan(3000);
    await expect(page.getByRole('alert').count()).resolves.toBe(0);
    await shoot('views-data-highd.png', 'Data view panel');
    await settle(page, DATA, () => page.evaluate(() => window.gallery!.setDataset('swiss')));
    await waitIdle(page, DATA);
  });
});

describe('export and themes', () => {
  beforeAll(reset);

  test('PNG export: 2× doubles width and height; transparent when asked', async () => {
    for (const which of ['latent', 'data'] as const) {
      const css = await canvasBox(page, which === 'latent' ? LATENT : DATA);
      const bytes = await page.evaluate(async (w) => {
        const png = await window.gallery![w].exportPng({ scale: 2, transparent: true });
        return Array.from(png);
      }, which);
      const png = Buffer.from(bytes);
      const head = pngHeader(png);
      expect(head.width).toBe(Math.round(css.width) * 2);
      expect(head.height).toBe(Math.round(css.height) * 2);
      expect(head.colorType).toBe(6); // RGBA
      const { data, info } = await sharp(png).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
      let clear = 0;
      let solid = 0;
      for (let i = 3; i < data.length; i += info.channels) {
        if (data[i] === 0) clear++;
        else if (data[i] === 255) solid++;
      }
      expect(clear).toBeGreaterThan(info.width * info.height * 0.3);
      expect(solid).toBeGreaterThan(2000);
      writeFileSync(artifact(`views-export-${which}-2x.png`), png);
      // Opaque by default.
      const opaque = await exportPixels(page, which);
      expect(opaque.at(1, 1)[3]).toBe(255);
    }
  });

  test('the theme switch changes the views’ background and text', async () => {
    const dark = { latent: await exportPixels(page, 'latent'), data: await exportPixels(page, 'data') };
    await shoot('views-gallery-dark.png', 'Latent view panel');
    await settle(page, LATENT, () => page.evaluate(() => window.gallery!.setTheme('light')));
    await waitIdle(page, DATA);
    const light = { latent: await exportPixels(page, 'latent'), data: await exportPixels(page, 'data') };
    for (const w of ['latent', 'data'] as const) {
      expect(close(dark[w].at(3, 3), [0x14, 0x16, 0x1a]), `${w} dark ${dark[w].at(3, 3)}`).toBe(true);
      expect(close(light[w].at(3, 3), [0xf4, 0xf5, 0xf7]), `${w} light ${light[w].at(3, 3)}`).toBe(true);
      expect(changed(dark[w], light[w])).toBeGreaterThan(dark[w].width * dark[w].height * 0.5);
    }
    await page.screenshot({ path: artifact('views-gallery-light.png') });
    await settle(page, LATENT, () => page.evaluate(() => window.gallery!.setTheme('dark')));
    await page.screenshot({ path: artifact('views-gallery-dark-full.png') });
  });
});

describe('charts', () => {
  beforeAll(reset);

  test('the loss chart has an accessible name, exports a standalone SVG with every series, and goes log', async () => {
    const chart = page.getByRole('img', { name: 'Training loss' });
    await expect(chart.isVisible()).resolves.toBe(true);
    const parsed = await page.evaluate(() => {
      const svg = window.gallery!.loss.toSvg();
      const doc = new DOMParser().parseFromString(svg, 'image/svg+xml');
      const paths = Array.from(doc.querySelectorAll('path[data-series]'));
      return {
        error: doc.querySelector('parsererror')?.textContent ?? null,
        root: doc.documentElement.nodeName,
        series: paths.map((p) => p.getAttribute('data-series')),
        dashed: paths.map((p) => /stroke-dasharray:\s*5/.test(p.getAttribute('style') ?? '')),
        text: doc.documentElement.textContent ?? '',
        classes: doc.querySelectorAll('[class]').length,
      };
    });
    expect(parsed.error).toBeNull();
    expect(parsed.root).toBe('svg');
    expect(parsed.series).toEqual(['reconstruction/train', 'penalty/train', 'reconstruction/validation']);
    expect(parsed.dashed).toEqual([false, false, true]);
    expect(parsed.text).toContain('layer 2');
    expect(parsed.classes).toBe(0); // styles are inline
    const ticks = async (): Promise<string> =>
      (await page.getByRole('region', { name: 'Loss chart panel' }).locator('g.axes').textContent()) ?? '';
    const linear = await ticks();
    await page.getByRole('checkbox', { name: 'Logarithmic y axis' }).check();
    await expect.poll(ticks).not.toBe(linear);
    await expect(ticks()).resolves.toMatch(/e−|0\.1|0\.01/);
    await shoot('views-loss-log.png', 'Loss chart panel');
    await page.getByRole('checkbox', { name: 'Logarithmic y axis' }).uncheck();
  });

  test('the histogram draws the codes under the Laplace prior; the spectrum one bar per value', async () => {
    const h = await page.evaluate(() => {
      const doc = new DOMParser().parseFromString(window.gallery!.histogram.toSvg(), 'image/svg+xml');
      const s = new DOMParser().parseFromString(window.gallery!.spectrum.toSvg(), 'image/svg+xml');
      return {
        bars: doc.querySelectorAll('g[data-series="codes h"] rect').length,
        prior: doc.querySelector('path[data-series^="Laplace prior"]')?.getAttribute('d')?.length ?? 0,
        spectrum: s.querySelectorAll('g[data-series="singular values"] rect').length,
        errors: [doc, s].map((d) => d.querySelector('parsererror')).filter(Boolean).length,
      };
    });
    expect(h).toEqual({ bars: 40, prior: expect.any(Number) as number, spectrum: 8, errors: 0 });
    expect(h.prior).toBeGreaterThan(500);
    await expect(
      page.getByRole('img', { name: 'Code values against the Laplace prior' }).isVisible(),
    ).resolves.toBe(true);
    await expect(page.getByRole('img', { name: 'Jacobian singular values' }).isVisible()).resolves.toBe(true);
    await shoot('views-charts-histogram.png', 'Histogram panel');
    await shoot('views-charts-spectrum.png', 'Spectrum panel');
  });

  test('the image grid shows images and selects on click', async () => {
    const grid = page.getByRole('group', { name: 'Digit-like images' });
    const cells = grid.getByRole('button');
    await expect(cells.count()).resolves.toBe(24);
    const ink = await grid
      .locator('canvas')
      .first()
      .evaluate((c: HTMLCanvasElement) => {
        const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
        let n = 0;
        for (let i = 0; i < d.length; i += 4) if (d[i]! > 128) n++;
        return { n, w: c.width, h: c.height };
      });
    expect([ink.w, ink.h]).toEqual([28, 28]);
    expect(ink.n).toBeGreaterThan(20);
    await cells.nth(3).click();
    await expect(cells.nth(3).getAttribute('aria-pressed')).resolves.toBe('true');
    await shoot('views-images.png', 'Image grid panel');
  });
});

describe('performance (measured, not asserted)', () => {
  test('frame, picking and streamed-update times at 100,000 and 1,000,000 points', async () => {
    const results: Record<string, unknown>[] = [];
    for (const n of [100_000, 1_000_000]) {
      await page.evaluate((v) => window.gallery!.setCount(v), n);
      await page.waitForFunction(
        ([sel, v]) => document.querySelector<HTMLElement>(sel as string)?.dataset.count === String(v),
        [LATENT, n],
        { timeout: 120_000 },
      );
      await waitIdle(page, LATENT);
      await waitIdle(page, DATA);
      const m = await page.evaluate((big) => {
        const g = window.gallery!;
        // SwiftShader needs about a second per million-point frame: fewer repeats there.
        const latent = g.latent.measure(big ? 2 : 5, big ? 5 : 10);
        const data = g.data.measure(big ? 2 : 3, 5);
        const update = g.latent.measureUpdate(g.snapshots(big ? 2 : 3));
        // At this size the grid still picks a point drawn under the cursor.
        let picked = 0;
        for (let i = 0; i < 20; i++) {
          const p = g.latent.screenPosition(i * 4099)!;
          const j = g.latent.pickAt(p.x, p.y);
          const q = j === null ? null : g.latent.screenPosition(j);
          if (q && Math.hypot(q.x - p.x, q.y - p.y) <= 4.6) picked++;
        }
        return { latent, data, update, picked };
      }, n >= 1e6);
      results.push({ points: n, ...m });
      await shoot(`views-latent-${n >= 1e6 ? '1m' : '100k'}.png`, 'Latent view panel');
      expect(m.picked).toBe(20);
    }
    writeFileSync(
      artifact('views-perf.json'),
      JSON.stringify({ renderer: 'SwiftShader (headless Chromium)', results }, null, 2),
    );
    console.log('views performance', JSON.stringify(results));
    await page.evaluate(() => window.gallery!.setCount(1000));
    await page.waitForFunction(
      (sel) => document.querySelector<HTMLElement>(sel)?.dataset.count === '1000',
      LATENT,
    );
  });
});
