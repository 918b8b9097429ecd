import { statSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../helpers/cli';
import { artifact, launchBrowser } from '../helpers/browser';
import { serveStatic } from '../helpers/static-server';

// The built renderer shell loads in headless Chromium, renders its layout, and a screenshot is kept.
test('the built renderer shell loads in Chromium', async () => {
  const site = await serveStatic(join(ROOT, 'out/renderer'));
  const browser = await launchBrowser();
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(site.url + 'index.html');
    await expect(page.getByRole('heading', { name: 'Manifold Explorer' }).isVisible()).resolves.toBe(true);
    // Without an engine behind it, the shell says so instead of failing silently.
    await expect(page.getByRole('status', { name: 'Engine status' }).textContent()).resolves.toBe(
      'no engine connected',
    );
    for (const region of ['Data', 'Latent space', 'Data space']) {
      await expect(page.getByRole('region', { name: region, exact: true }).isVisible()).resolves.toBe(true);
    }
    const file = artifact('shell.png');
    await page.screenshot({ path: file });
    expect(statSync(file).size).toBeGreaterThan(5_000);
    expect(errors).toEqual([]);
  } finally {
    await browser.close();
    await site.close();
  }
});
