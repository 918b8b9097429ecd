/**
 * The explorer as a newcomer meets it, in headless Chromium against browser mode (the real
 * server, app core and engine worker): pick the swiss roll, choose the contractive family, train,
 * watch the loss fall and the codes appear, look at the data space (tangent planes, the vector
 * field, trajectories), select a point, export a PNG; then a bad file. Screenshots of each step go
 * to tests/artifacts/app-*.png.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { artifact } from '../helpers/browser';
import { ROOT } from '../helpers/cli';
import {
  DATA,
  LATENT,
  clickRow,
  foreground,
  isolatedRow,
  openApp,
  pngHeader,
  shot,
  unlabelledControls,
  viewPixels,
  waitIdle,
} from './app-helpers';
import type { Session } from './app-helpers';

let s: Session;

beforeAll(async () => {
  s = await openApp();
});
afterAll(async () => {
  await s?.close();
});

test('a newcomer trains a contractive autoencoder on the swiss roll and explores it', async () => {
  const { page } = s;
  // Data: the swiss roll, 1,500 rows.
  await page.getByRole('radio', { name: /Swiss roll/ }).check();
  await page.getByRole('spinbutton', { name: 'Rows' }).fill('1500');
  await page.getByRole('button', { name: 'Load sample' }).click();
  await page.getByTestId('dataset-shape').filter({ hasText: '1,500 rows × 3 columns' }).waitFor();
  await shot(page, 'app-01-data.png');
  expect(await unlabelledControls(page)).toEqual([]);

  // Model: contractive, a few epochs.
  await page.getByRole('tab', { name: /Model/ }).click();
  await page.getByRole('radio', { name: /Contractive/ }).check();
  // A bad value is flagged beside its field, and training does not start.
  const lambda = page.getByRole('spinbutton', { name: 'λ' });
  await lambda.fill('-1');
  await expect(lambda.getAttribute('aria-invalid')).resolves.toBe('true');
  await page.locator('#config\\.lambda-error').filter({ hasText: /0/ }).waitFor();
  await page.getByRole('button', { name: /Train contractive/ }).click();
  await page.getByRole('alert').filter({ hasText: 'Fix the highlighted fields' }).waitFor();
  await expect(page.getByTestId('job-state').count()).resolves.toBe(0);
  await lambda.fill('');
  await expect(lambda.getAttribute('aria-invalid')).resolves.toBe('false');
  await page.getByRole('spinbutton', { name: 'Epochs', exact: true }).fill('12');
  await shot(page, 'app-02-model.png');
  expect(await unlabelledControls(page)).toEqual([]);
  await page.getByRole('button', { name: /Train contractive/ }).click();

  // Training: the codes appear while it runs; the loss falls.
  await page.waitForFunction(
    (sel) => Number(document.querySelector<HTMLElement>(sel)?.dataset.count) === 1500,
    LATENT,
    {
      timeout: 120_000,
    },
  );
  await shot(page, 'app-03a-training.png');
  await page.getByTestId('job-state').filter({ hasText: 'Finished' }).waitFor({ timeout: 180_000 });
  await waitIdle(page, LATENT);
  await shot(page, 'app-03-trained.png');
  const summary = await page.getByTestId('loss-summary').textContent();
  const [first, last] = (summary ?? '')
    .replace(/−/g, '-')
    .match(/-?\d[\d.e+-]*/g)!
    .map(Number);
  expect(last).toBeLessThan(first!);
  const latentPx = await viewPixels(page, 'latent');
  expect(foreground(latentPx)).toBeGreaterThan(0.03);

  // Data space: tangent planes, the vector field, trajectories.
  await page.getByRole('tab', { name: 'Data space' }).click();
  await page.getByRole('button', { name: 'Tangent planes' }).click();
  await page
    .getByTestId('tangent-facts')
    .filter({ hasText: /median angle/ })
    .waitFor();
  await page.getByRole('button', { name: 'Vector field' }).click();
  await page.getByTestId('field-facts').waitFor();
  await page.getByRole('button', { name: 'Trajectories' }).click();
  await page.getByTestId('trajectory-facts').waitFor();
  await waitIdle(page, DATA);
  await shot(page, 'app-04-data-space.png');
  const dataPx = await viewPixels(page, 'data');
  expect(foreground(dataPx)).toBeGreaterThan(0.03);

  // Select a point by clicking it.
  const row = await isolatedRow(page, 'data', 10);
  expect(row).toBeGreaterThanOrEqual(0);
  await clickRow(page, 'data', row);
  await page.getByRole('heading', { name: new RegExp(`^Row ${row}`) }).waitFor();
  await shot(page, 'app-05-selected.png');
  expect(await unlabelledControls(page)).toEqual([]);

  // Export the data view as a 2× PNG.
  await page.getByRole('button', { name: 'Export…' }).click();
  await page.getByRole('combobox', { name: 'View' }).selectOption('data');
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Export PNG' }).click(),
  ]);
  const file = artifact('app-export-data@2x.png');
  await download.saveAs(file);
  const png = readFileSync(file);
  const canvas = await page.locator(`${DATA} canvas`).boundingBox();
  expect(pngHeader(png)).toMatchObject({ width: Math.round(canvas!.width * 2) });
  expect(png.length).toBeGreaterThan(20_000);
  await page.keyboard.press('Escape');
  expect(s.errors).toEqual([]);
});

test('exports from the dialog: codes as CSV, the loss chart as SVG; the session saves and opens again', async () => {
  const { page } = s;
  const download = async (
    click: () => Promise<void>,
    tag?: string,
  ): Promise<{ name: string; text: string }> => {
    const [d] = await Promise.all([page.waitForEvent('download'), click()]);
    // One file per kind (the suggested names carry the run id).
    const ext = d.suggestedFilename().split('.').pop();
    const file = artifact(`app-export-${tag ?? ext}.${ext}`);
    await d.saveAs(file);
    return { name: d.suggestedFilename(), text: readFileSync(file, ext === 'svg' ? 'utf8' : 'latin1') };
  };
  await page.keyboard.press('e');
  const dialog = page.getByRole('dialog', { name: 'Export' });
  await dialog.waitFor();
  await shot(page, 'app-05b-export.png');
  expect(await unlabelledControls(page)).toEqual([]);
  const codes = await download(() => dialog.getByRole('button', { name: 'Codes h as CSV' }).click());
  expect(codes.name).toMatch(/codes\.csv$/);
  const lines = codes.text.trim().split('\n');
  expect(lines[0]).toBe('h0,h1');
  expect(lines).toHaveLength(1501);
  const svg = await download(() => dialog.getByRole('button', { name: 'Loss chart' }).click());
  expect(svg.text).toMatch(/^<\?xml[\s\S]*<svg[\s\S]*<\/svg>$/);
  // The latent codes' 2-D projection as a vector figure: a circle per point, the axes, the legend.
  const latent = await download(
    () => dialog.getByRole('button', { name: 'Latent codes, 2-D projection' }).click(),
    'latent-2d',
  );
  expect(latent.name).toMatch(/latent-2d\.svg$/);
  expect(latent.text.match(/<circle cx=/g)?.length).toBeGreaterThanOrEqual(1500);
  expect(latent.text).toMatch(/>h₁<\/text>[\s\S]*>h₂<\/text>/);
  expect(latent.text).toMatch(/class="legend"/);

  const session = await download(() => dialog.getByRole('button', { name: 'Save session' }).click());
  expect(session.name).toMatch(/\.mexsession$/);
  await page.keyboard.press('Escape');
  const [chooser] = await Promise.all([
    page.waitForEvent('filechooser'),
    page.getByRole('button', { name: 'Open session' }).click(),
  ]);
  await chooser.setFiles(artifact('app-export-mexsession.mexsession'));
  await page
    .getByRole('status')
    .filter({ hasText: /Opened a session with 1 dataset\(s\) and 1 run\(s\)/ })
    .waitFor();
  await page.waitForFunction(
    (sel) => Number(document.querySelector<HTMLElement>(sel)?.dataset.count) === 1500,
    LATENT,
  );
  expect(s.errors).toEqual([]);
});

test('a bad file dropped on the window: the error is shown, the dataset and runs are kept', async () => {
  const { page } = s;
  await page.getByRole('tab', { name: /Data$/ }).click();
  const bytes = readFileSync(join(ROOT, 'tests/fixtures/data/bad/ragged.csv'));
  await page.evaluate(
    ([name, data]) => {
      const dt = new DataTransfer();
      dt.items.add(new File([new Uint8Array(data as number[])], name as string, { type: 'text/csv' }));
      const init = { dataTransfer: dt, bubbles: true, cancelable: true };
      document.body.dispatchEvent(new DragEvent('dragenter', init));
      document.body.dispatchEvent(new DragEvent('dragover', init));
      document.body.dispatchEvent(new DragEvent('drop', init));
    },
    ['ragged.csv', Array.from(bytes)] as const,
  );
  const alert = page.getByRole('alert', { name: 'Dataset error' });
  await alert.waitFor();
  await expect(alert.textContent()).resolves.toMatch(/ragged\.csv.*row 3/s);
  await expect(alert.textContent()).resolves.toContain('Swiss roll is still loaded');
  await expect(page.getByTestId('dataset-name').textContent()).resolves.toBe('Swiss roll');
  await expect(page.locator(LATENT).getAttribute('data-count')).resolves.toBe('1500');
  await expect(page.getByRole('combobox', { name: 'Shown run' }).isVisible()).resolves.toBe(true);
  await shot(page, 'app-06-bad-file.png');
  expect(s.errors).toEqual([]);
});

test('the layout holds in the light theme, side by side, at 1280 × 800 and 1920 × 1080', async () => {
  const { page } = s;
  await page.keyboard.press('l');
  await page.waitForFunction(() => document.documentElement.dataset.theme === 'light');
  await page.getByRole('tab', { name: 'Both' }).click();
  await waitIdle(page, LATENT);
  await waitIdle(page, DATA);
  await shot(page, 'app-07-light-both.png');
  await page.setViewportSize({ width: 1920, height: 1080 });
  await page.getByRole('tab', { name: /Model/ }).click();
  await waitIdle(page, LATENT);
  await waitIdle(page, DATA);
  await shot(page, 'app-08-light-1920.png');
  await page.keyboard.press('l');
  await page.getByRole('tab', { name: 'Compare' }).click();
  await shot(page, 'app-09-dark-1920-compare.png');
  expect(await unlabelledControls(page)).toEqual([]);
  // Keyboard selection: ] selects the next row, the inspector follows.
  await page.getByRole('tab', { name: 'Inspector' }).click();
  await page.locator('h1').click();
  await page.keyboard.press('Escape');
  await page.keyboard.press(']');
  await page.getByRole('heading', { name: /^Row 0\b/ }).waitFor();
  await page.keyboard.press('?');
  await page.getByRole('dialog', { name: 'Help and keyboard shortcuts' }).waitFor();
  await shot(page, 'app-10-help.png');
  await page.keyboard.press('Escape');
  await page.setViewportSize({ width: 1280, height: 800 });
  expect(s.errors).toEqual([]);
});

test('pause and resume; the engine dies mid-training and the run restarts from its checkpoint', async () => {
  const { page } = s;
  await page.getByRole('tab', { name: /Model/ }).click();
  await page.getByRole('spinbutton', { name: 'Epochs', exact: true }).fill('400');
  // No early stopping: the run must still be going when it is paused and when the engine dies.
  await page.getByRole('spinbutton', { name: 'Early stopping' }).fill('0');
  await page.locator('h1').click();
  await page.keyboard.press('t'); // the Train shortcut
  const state = page.getByTestId('job-state');
  await page
    .getByTestId('epoch')
    .filter({ hasText: /^\s*(?:[3-9]|\d\d+) of 400/ })
    .waitFor();
  await page.getByRole('button', { name: 'Pause' }).click();
  await state.filter({ hasText: 'Paused' }).waitFor();
  await page.getByRole('button', { name: 'Resume' }).click();
  await state.filter({ hasText: 'Training' }).waitFor();

  await s.server.core.supervisor.kill();
  const alert = page.getByRole('alert').filter({ hasText: 'The engine stopped while training' });
  await alert.waitFor();
  const restart = alert.getByRole('button', { name: /^Restart from epoch \d+$/ });
  const from = Number((await restart.textContent())!.match(/\d+/)![0]);
  expect(from).toBeGreaterThanOrEqual(2);
  await shot(page, 'app-11-interrupted.png');
  await restart.click();
  await state.filter({ hasText: 'Training' }).waitFor();
  // Progress continues after the checkpoint's epoch.
  await page.waitForFunction(
    (f) => Number(document.querySelector('[data-testid="epoch"]')?.textContent?.match(/\d+/)?.[0]) > f,
    from,
  );
  await page.locator('h1').click();
  await page.keyboard.press('x'); // the Stop shortcut
  await state.filter({ hasText: 'Stopped' }).waitFor();
  await expect(page.getByRole('button', { name: /^Continue from epoch/ }).isVisible()).resolves.toBe(true);
  expect(s.errors).toEqual([]);
});

test('compare: a linear run beside the contractive one, with its principal angles; two runs overlaid', async () => {
  const { page } = s;
  await page.getByRole('tab', { name: /Model/ }).click();
  await page.getByRole('radio', { name: /Linear/ }).check();
  await page.getByRole('spinbutton', { name: 'Epochs', exact: true }).fill('60');
  await page.getByRole('button', { name: /Train linear/ }).click();
  await page.getByTestId('job-state').filter({ hasText: 'Finished' }).waitFor({ timeout: 120_000 });
  await page.getByRole('tab', { name: 'Compare' }).click();
  const table = page.getByRole('table', { name: 'Runs side by side' });
  await table.waitFor();
  // The shown (linear) run first: its principal angles to PCA's subspace, both runs' trustworthiness.
  const angles = table
    .getByRole('row')
    .filter({ has: page.getByRole('rowheader', { name: 'principal angles' }) });
  await angles.filter({ hasText: /\d°/ }).waitFor();
  const trust = table
    .getByRole('row')
    .filter({ has: page.getByRole('rowheader', { name: 'trustworthiness' }) });
  await page.waitForFunction(
    () => {
      const row = Array.from(document.querySelectorAll('table[aria-label="Runs side by side"] tr')).find(
        (r) => r.querySelector('th')?.textContent === 'trustworthiness',
      );
      return (
        !!row &&
        Array.from(row.querySelectorAll('td')).filter((td) => /^0\.\d+$/.test(td.textContent ?? '')).length >=
          2
      );
    },
    undefined,
    { timeout: 60_000 },
  );
  expect(await trust.textContent()).toMatch(/0\.\d+.*0\.\d+/);
  // Overlay the first (contractive) run: both clouds in the latent view, one colour per run.
  await page.getByRole('tab', { name: 'Latent' }).click();
  const overlay = table.getByRole('button', { name: 'Overlay' }).last();
  await overlay.click();
  await page.waitForFunction(
    (sel) => Number(document.querySelector<HTMLElement>(sel)?.dataset.count) === 3000,
    LATENT,
  );
  await waitIdle(page, LATENT);
  const legend = page.getByRole('figure', { name: 'Latent space' }).getByRole('group', { name: 'Legend' });
  await expect(legend.locator('li').count()).resolves.toBe(2);
  await shot(page, 'app-12-compare-overlay.png');
  await overlay.click();
  await page.waitForFunction(
    (sel) => Number(document.querySelector<HTMLElement>(sel)?.dataset.count) === 1500,
    LATENT,
  );
  expect(s.errors).toEqual([]);
});
