/**
 * The explorer at scale: 100,000 rows of the swiss roll. While training, the latent view shows the
 * engine's evenly spaced snapshot rows and says so on screen; when it ends, every row. The latent
 * view's frame and picking times with 100,000 points are measured in the real app and written to
 * tests/artifacts/app-perf.json (reported, not asserted).
 */
import { writeFileSync } from 'node:fs';
import { artifact } from '../helpers/browser';
import { LATENT, openApp, shot, waitIdle } from './app-helpers';
import type { Session } from './app-helpers';

let s: Session;
beforeAll(async () => {
  s = await openApp();
});
afterAll(async () => {
  await s?.close();
});

test('100,000 rows: sampled live codes are announced; every point is drawn at the end; frame time measured', async () => {
  const { page } = s;
  await page.getByRole('radio', { name: /Swiss roll/ }).check();
  await page.getByRole('spinbutton', { name: 'Rows' }).fill('100000');
  await page.getByRole('button', { name: 'Load sample' }).click();
  await page.getByTestId('dataset-shape').filter({ hasText: '100,000 rows × 3 columns' }).waitFor();

  await page.getByRole('tab', { name: /Model/ }).click();
  await page.getByRole('spinbutton', { name: 'Epochs', exact: true }).fill('1');
  await page.getByRole('spinbutton', { name: 'Batch size' }).fill('512');
  await page.getByRole('button', { name: /Train undercomplete/ }).click();
  const note = page.getByRole('note').filter({ hasText: /20,000 of 100,000 rows, sampled for speed/ });
  await note.waitFor({ timeout: 120_000 });
  await shot(page, 'app-13-100k-live.png');

  await page.getByTestId('job-state').filter({ hasText: 'Finished' }).waitFor({ timeout: 180_000 });
  await page.waitForFunction(
    (sel) => Number(document.querySelector<HTMLElement>(sel)?.dataset.count) === 100_000,
    LATENT,
    { timeout: 60_000 },
  );
  await note.waitFor({ state: 'detached' });
  await waitIdle(page, LATENT);
  const timings = await page.evaluate(() => window.explorerHooks!.latent!.measure(10, 20));
  expect(timings).not.toBeNull();
  const size = await page.locator(`${LATENT} canvas`).boundingBox();
  const report = { points: 100_000, viewport: { width: size!.width, height: size!.height }, ...timings };
  writeFileSync(artifact('app-perf.json'), JSON.stringify(report, null, 2));
  console.log(
    `latent view, 100,000 points (${timings!.renderer}): frame ${timings!.frameMs.toFixed(1)} ms, ` +
      `pick ${timings!.pickMs.toFixed(2)} ms (grid built in ${timings!.gridBuildMs.toFixed(1)} ms)`,
  );
  await shot(page, 'app-14-100k.png');
  expect(s.errors).toEqual([]);
});

test('when the server stops, the page says the engine is gone', async () => {
  const { page } = s;
  await s.stopServer();
  await page
    .getByRole('status', { name: 'Engine status' })
    .filter({ hasText: 'engine disconnected' })
    .waitFor();
  await page.getByRole('alert').filter({ hasText: 'The connection to the engine closed' }).waitFor();
  await page.getByRole('tab', { name: /Data$/ }).click();
  await expect(page.getByRole('button', { name: 'Load sample' }).isDisabled()).resolves.toBe(true);
});
