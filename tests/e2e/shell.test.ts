import { statSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../helpers/cli';
import { artifact, launchBrowser } from '../helpers/browser';
import { serveStatic } from '../helpers/static-server';
import { startBrowserMode } from '../helpers/serve';

// The built renderer shell loads in headless Chromium, alone and in browser mode against the engine.
test('the built renderer shell loads in Chromium and says when no engine is connected', async () => {
  const site = await serveStatic(join(ROOT, 'out/renderer'));
  const browser = await launchBrowser();
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(site.url + 'index.html');
    await expect(page.getByRole('heading', { name: 'Manifold Explorer' }).isVisible()).resolves.toBe(true);
    await expect(page.getByRole('status', { name: 'Engine status' }).textContent()).resolves.toBe(
      'no engine connected',
    );
    const file = artifact('shell.png');
    await page.screenshot({ path: file });
    expect(statSync(file).size).toBeGreaterThan(5_000);
    expect(errors).toEqual([]);
  } finally {
    await browser.close();
    await site.close();
  }
});

test('in browser mode the renderer connects to `serve` with the token and lists the samples', async () => {
  const app = await startBrowserMode();
  const browser = await launchBrowser();
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(app.server.url);
    await page
      .getByRole('status', { name: 'Engine status' })
      .filter({ hasText: 'connected (browser)' })
      .waitFor();
    await expect(page.getByText('Swiss roll').isVisible()).resolves.toBe(true);
    expect(await page.evaluate(() => self.crossOriginIsolated)).toBe(true);
    await page.screenshot({ path: artifact('shell-browser-mode.png') });
    // Without the token the page loads but cannot reach the engine.
    await page.goto(`${app.server.origin}/index.html`);
    await expect(page.getByRole('status', { name: 'Engine status' }).textContent()).resolves.toBe(
      'no engine connected',
    );
    expect(errors).toEqual([]);
  } finally {
    await browser.close();
    await app.close();
  }
});
