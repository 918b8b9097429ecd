/**
 * Right by default, as a user meets it: pick a sample and a family, change nothing, press Train,
 * and the run's facts show the chapter's result — the swiss roll's tangent planes within 10° of
 * the true ones (undercomplete), linear = PCA — with no diagnosis beside them. The other families'
 * defaults are measured by `manifold-explorer fidelity` (CI runs its quick cases; docs/fidelity.md).
 * Screenshots: tests/artifacts/app-defaults-*.png.
 */
import { openApp, shot } from './app-helpers';
import type { Session } from './app-helpers';

let s: Session;

beforeAll(async () => {
  s = await openApp({ width: 1600, height: 1000 });
});
afterAll(async () => {
  await s?.close();
});

async function trainDefault(sample: RegExp, family: RegExp, button: RegExp): Promise<string> {
  const { page } = s;
  await page.getByRole('tab', { name: /^1 · Data/ }).click();
  await page.getByRole('radio', { name: sample }).check();
  await page.getByRole('button', { name: 'Load sample' }).click();
  await page
    .getByTestId('dataset-shape')
    .filter({ hasText: /2,000 rows/ })
    .waitFor();
  await page.getByRole('tab', { name: /Model/ }).click();
  await page.getByRole('radio', { name: family }).check();
  await page.getByRole('button', { name: button }).click();
  await page.getByTestId('job-state').filter({ hasText: 'Finished' }).waitFor({ timeout: LONG });
  return (await page.getByRole('tabpanel').first().textContent()) ?? '';
}

const figure = (text: string, re: RegExp) => Number(re.exec(text.replace(/−/g, '-'))?.[1]);

// A default run on 2,000 rows trains about 24,000 steps: a minute or two here, more under load.
const LONG = 900_000;

test(
  'undercomplete on the swiss roll: tangent planes within 10° of the true ones',
  async () => {
    const text = await trainDefault(/Swiss roll/, /Undercomplete/, /Train undercomplete/);
    await shot(s.page, 'app-defaults-swiss-roll-undercomplete.png');
    const angle = figure(text, /Tangent planes\s*([\d.]+)°/);
    console.log(`UI default undercomplete, swiss roll: tangent planes ${angle}° from the true ones`);
    expect(angle).toBeLessThanOrEqual(10);
    await expect(s.page.getByLabel('What the run has not reached').count()).resolves.toBe(0);
  },
  LONG,
);

test(
  'linear on the S-curve: PCA’s subspace',
  async () => {
    const text = await trainDefault(/S-curve/, /^Linear/, /Train linear/);
    await shot(s.page, 'app-defaults-s-curve-linear.png');
    const angle = figure(text, /Angle to PCA\s*([\d.e-]+)°/);
    console.log(`UI default linear, S-curve: largest angle to PCA ${angle}°`);
    expect(angle).toBeLessThanOrEqual(1);
  },
  LONG,
);
