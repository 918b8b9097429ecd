/**
 * "Open codes…" in the Export dialog, in headless Chromium against browser mode: after a short
 * training run, a codes .npy trained elsewhere (rows × k float32) replaces the run's codes — the
 * codes the app exports are then those of the file — and a file of the wrong shape is refused
 * with a message that names it, leaving the codes as they were.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { artifact } from '../helpers/browser';
import { encodeNpy } from '../../electron/data/npy';
import { LATENT, openApp, shot, unlabelledControls } from './app-helpers';
import type { Session } from './app-helpers';

let s: Session;
beforeAll(async () => {
  s = await openApp();
});
afterAll(async () => {
  await s?.close();
});

const ROWS = 300;

test('Open codes… brings a codes .npy into the run shown, and refuses one of the wrong shape', async () => {
  const { page } = s;
  await page.getByRole('radio', { name: /Swiss roll/ }).check();
  await page.getByRole('spinbutton', { name: 'Rows' }).fill(String(ROWS));
  await page.getByRole('button', { name: 'Load sample' }).click();
  await page
    .getByTestId('dataset-shape')
    .filter({ hasText: `${ROWS} rows × 3 columns` })
    .waitFor();
  await page.getByRole('tab', { name: /Model/ }).click();
  await page.getByRole('radio', { name: /Undercomplete/ }).check();
  await page.getByRole('spinbutton', { name: 'Epochs', exact: true }).fill('3');
  await page.getByRole('button', { name: /Train undercomplete/ }).click();
  await page.getByTestId('job-state').filter({ hasText: 'Finished' }).waitFor({ timeout: 180_000 });
  await page.waitForFunction(
    ([sel, n]) => Number(document.querySelector<HTMLElement>(sel as string)?.dataset.count) === n,
    [LATENT, ROWS] as const,
  );

  await page.keyboard.press('e');
  const dialog = page.getByRole('dialog', { name: 'Export' });
  await dialog.waitFor();
  expect(await unlabelledControls(page)).toEqual([]);

  // Codes a user trained elsewhere: h = (i, −i) / 100 for row i.
  const codes = Float32Array.from(
    { length: ROWS * 2 },
    (_, j) => ((j % 2 ? -1 : 1) * Math.floor(j / 2)) / 100,
  );
  const good = artifact('open-codes-trained.npy');
  writeFileSync(good, encodeNpy(codes, [ROWS, 2]));
  const open = async (file: string) => {
    const [chooser] = await Promise.all([
      page.waitForEvent('filechooser'),
      dialog.getByRole('button', { name: 'Open codes…' }).click(),
    ]);
    await chooser.setFiles(file);
  };
  await open(good);
  await page.getByText(`Codes from open-codes-trained.npy (${ROWS} × 2) shown for this run`).waitFor();
  await shot(page, 'open-codes-1.png');

  const exported = async () => {
    const [d] = await Promise.all([
      page.waitForEvent('download'),
      dialog.getByRole('button', { name: 'Codes h as CSV' }).click(),
    ]);
    const file = artifact('open-codes-export.csv');
    await d.saveAs(file);
    return readFileSync(file, 'utf8').trim().split('\n').slice(1);
  };
  const lines = await exported();
  expect(lines).toHaveLength(ROWS);
  // Row 7 of the file, as the float32 values it holds.
  expect(lines[7]!.split(',').map(Number)).toEqual([Math.fround(0.07), Math.fround(-0.07)]);

  const bad = artifact('open-codes-wrong-k.npy');
  writeFileSync(bad, encodeNpy(new Float32Array(ROWS * 3), [ROWS, 3]));
  await open(bad);
  await page
    .getByText(
      /Open codes failed: open-codes-wrong-k\.npy.*shape \(300, 3\); expected float32 codes of shape \(300, 2\)/,
    )
    .waitFor();
  await shot(page, 'open-codes-2-refused.png');
  expect(await exported()).toEqual(lines);
  expect(s.errors).toEqual([]);
});
