/**
 * The model panel's memory note (panels/MemoryNote.svelte) in browser mode: what training will
 * need and the limit; for layers too wide, the warning the app core then refuses with, and no job.
 * Screenshot: tests/artifacts/memory-note.png.
 */
import { openApp, shot, type Session } from './app-helpers';

let s: Session;
beforeAll(async () => {
  s = await openApp();
});
afterAll(async () => {
  await s?.close();
});

test('the note follows the form; a model past the limit is refused at Start with the same words', async () => {
  const { page } = s;
  await page.getByRole('radio', { name: /Swiss roll/ }).check();
  await page.getByRole('button', { name: 'Load sample' }).click();
  await page.getByTestId('dataset-shape').filter({ hasText: '× 3 columns' }).waitFor();
  await page.getByRole('tab', { name: /Model/ }).click();
  const note = page.getByLabel('Memory');
  await note
    .filter({ hasText: /^Training needs about \d+\.\d MiB of memory .*; the limit is 8\.0 GiB\.$/ })
    .waitFor();

  await page.getByLabel('Hidden widths').fill('16384,16384');
  const warning = page.getByRole('alert').filter({ hasText: /^Training needs about 1\d\.\d GiB of memory/ });
  await warning.waitFor();
  await warning.scrollIntoViewIfNeeded();
  await shot(page, 'memory-note.png');
  const said = (await warning.textContent())!.trim();
  expect(said).toMatch(
    /the limit is 8\.0 GiB \(4 × the memory limit of 2\.0 GiB\); choose a smaller model or batch size\.$/,
  );

  await page.getByRole('button', { name: /Train undercomplete/ }).click();
  const refused = page.getByRole('alert').filter({ hasText: /^training needs about/ });
  await refused.waitFor();
  expect(`${(await refused.textContent())!.trim()}.`.replace(/^t/, 'T')).toBe(said);
  await expect(page.getByTestId('job-state').count()).resolves.toBe(0);
  expect(s.errors).toEqual([]);
});
