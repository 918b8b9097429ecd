/**
 * The explorer with an image dataset, as a user would bring one: Fashion-MNIST's IDX images and
 * labels files (the first 2,000 of the test set, gzipped, built here from Debian's
 * dataset-fashion-mnist) picked together in the page's file dialog. Image previews, the Bernoulli
 * range warning, a hashing run, the inspector's images and the retrieval grid.
 */
import { readFileSync } from 'node:fs';
import { gunzipSync, gzipSync } from 'node:zlib';
import { LATENT, clickRow, isolatedRow, openApp, shot, unlabelledControls, waitIdle } from './app-helpers';
import type { Session } from './app-helpers';

const FASHION = '/usr/share/datasets/fashion-mnist';
const ROWS = 2000;

/** The first `n` records of an IDX file, with its count rewritten. */
function firstRows(file: string, headerBytes: number, rowBytes: number, n: number): Buffer {
  const all = gunzipSync(readFileSync(file));
  const out = Buffer.from(all.subarray(0, headerBytes + n * rowBytes));
  out.writeUInt32BE(n, 4);
  return gzipSync(out);
}

let s: Session;
beforeAll(async () => {
  s = await openApp();
});
afterAll(async () => {
  await s?.close();
});

test('Fashion-MNIST from IDX: previews, a hashing run, inspector images and the retrieval grid', async () => {
  const { page } = s;
  const images = firstRows(`${FASHION}/t10k-images-idx3-ubyte.gz`, 16, 784, ROWS);
  const labels = firstRows(`${FASHION}/t10k-labels-idx1-ubyte.gz`, 8, 1, ROWS);
  const [chooser] = await Promise.all([
    page.waitForEvent('filechooser'),
    page.getByRole('button', { name: 'Open file…' }).click(),
  ]);
  expect(chooser.isMultiple()).toBe(true);
  await chooser.setFiles([
    { name: 'fashion-images-idx3-ubyte.gz', mimeType: 'application/gzip', buffer: images },
    { name: 'fashion-labels-idx1-ubyte.gz', mimeType: 'application/gzip', buffer: labels },
  ]);
  await page.getByTestId('dataset-shape').filter({ hasText: '2,000 rows × 784 columns' }).waitFor();
  await expect(page.getByLabel('Dataset facts').textContent()).resolves.toMatch(/28 × 28 grey.*10 classes/s);
  const preview = page.getByRole('group', { name: 'Dataset preview' });
  await expect(preview.getAttribute('data-count')).resolves.toBe('24');
  await shot(page, 'app-img-01-data.png');

  // A Bernoulli decoder on standardised data: the panel warns and offers minmax.
  await page.getByRole('combobox', { name: 'Normalise' }).selectOption('standard');
  await page.getByRole('tab', { name: /Model/ }).click();
  await page.getByRole('radio', { name: /Semantic hashing/ }).check();
  await page.getByRole('combobox', { name: /Output/ }).selectOption('bernoulli');
  const warning = page.getByRole('alert').filter({ hasText: 'Bernoulli output needs' });
  await warning.waitFor();
  await warning.scrollIntoViewIfNeeded();
  await shot(page, 'app-img-02-warning.png');
  await warning.getByRole('button', { name: 'Use minmax' }).click();
  await warning.waitFor({ state: 'detached' });

  await page.getByRole('spinbutton', { name: 'Code size k' }).fill('16');
  await page.getByRole('textbox', { name: 'Hidden widths' }).fill('128');
  await page.getByRole('spinbutton', { name: 'Epochs', exact: true }).fill('12');
  await page.keyboard.press('Escape');
  await page.getByRole('button', { name: /Train semantic hashing/ }).click();
  await page.getByTestId('job-state').filter({ hasText: 'Finished' }).waitFor({ timeout: 180_000 });
  await page.waitForFunction(
    (sel) => Number(document.querySelector<HTMLElement>(sel)?.dataset.count) === 2000,
    LATENT,
  );
  await waitIdle(page, LATENT);
  // k = 16 is drawn through PCA, coloured by label with a legend of the ten classes.
  const legend = page.getByRole('figure', { name: 'Latent space' }).getByRole('group', { name: 'Legend' });
  await expect(legend.locator('li').count()).resolves.toBe(10);
  await shot(page, 'app-img-03-trained.png');

  // Select an image by clicking its code: the inspector shows it, its reconstruction, neighbours.
  const row = await isolatedRow(page, 'latent', 8);
  expect(row).toBeGreaterThanOrEqual(0);
  await clickRow(page, 'latent', row);
  await page.getByRole('heading', { name: new RegExp(`^Row ${row}`) }).waitFor();
  await expect(
    page.getByRole('group', { name: 'Original and reconstruction' }).getAttribute('data-count'),
  ).resolves.toBe('2');
  await expect(
    page.getByRole('group', { name: 'Nearest neighbours' }).getAttribute('data-count'),
  ).resolves.toBe('8');
  await expect(page.getByRole('heading', { name: /Nearest neighbours/ }).textContent()).resolves.toContain(
    'Hamming',
  );
  await shot(page, 'app-img-04-inspector.png');

  // Retrieval by example in Hamming space: a grid of results with precision@k.
  await page.getByRole('tab', { name: 'Retrieval' }).click();
  const results = page.getByRole('group', { name: 'Retrieval results' });
  await results.waitFor();
  await expect(results.getAttribute('data-count')).resolves.toBe('24');
  await expect(page.getByTestId('precision').textContent()).resolves.toMatch(/\d+\.\d %/);
  await shot(page, 'app-img-05-retrieval.png');
  expect(await unlabelledControls(page)).toEqual([]);

  // The data space draws the images' 3-D PCA projection.
  await page.getByRole('tab', { name: 'Data space' }).click();
  await expect(page.getByTestId('data-caption').textContent()).resolves.toMatch(/PCA to 3-D/);
  await shot(page, 'app-img-06-data-space.png');
  expect(s.errors).toEqual([]);
});
