/**
 * The fidelity report's machinery: a case trains with the defaults and reads its figures against
 * their targets; a figure that means nothing (angles to an isotropic sphere's PCA) is n/a; the
 * Markdown table carries every seed and the spread. The full report is `manifold-explorer fidelity`
 * (docs/fidelity.md); CI runs its quick cases (.ci/run).
 */
import { FIDELITY_CASES, adHocCase } from '../../../electron/fidelity/cases';
import { runCase } from '../../../electron/fidelity/run';
import { fidelityMarkdown } from '../../../electron/fidelity/report';
import { useWasm } from '../engine/helpers';

beforeAll(useWasm);

test('every family has a case, and the quick cases cover the cheap families', () => {
  const families = new Set(FIDELITY_CASES.map((c) => c.family));
  expect(families.size).toBe(9);
  expect(FIDELITY_CASES.filter((c) => c.quick).map((c) => c.family)).toEqual(
    expect.arrayContaining(['linear', 'undercomplete', 'denoising', 'sparse', 'hashing', 'vae']),
  );
});

test('linear on the swiss roll and the sphere: PCA reached; the sphere’s angle is n/a', async () => {
  const roll = await runCase(
    FIDELITY_CASES.find((c) => c.family === 'linear' && c.sample === 'sample:swiss-roll')!,
    11,
  );
  expect(roll.pass).toBe(true);
  expect(roll.figures.map((f) => f.name)).toEqual(['angle to PCA°', 'MSE / PCA']);
  expect(roll.figures[0]!.value!).toBeLessThan(1);
  expect(roll.figures[1]!.value!).toBeLessThanOrEqual(1.001);
  const sphere = await runCase(adHocCase('linear', 'sample:sphere'), 11);
  expect(sphere.figures[0]!.applies).toBe(false);
  expect(sphere.pass).toBe(true);
  const md = fidelityMarkdown([roll, sphere]);
  expect(md).toMatch(/\| linear \| swiss-roll \| MSE \/ PCA \| ≤ 1\.001 \| 1 \|/);
  expect(md).toMatch(/\| linear \| sphere \| angle to PCA° \| n\/a \|/);
});

test('a run stopped short misses its target and fails', async () => {
  const row = await runCase(adHocCase('linear', 'sample:swiss-roll'), 12, {
    set: { config: {}, train: { epochs: 2 } },
  });
  expect(row.epochs).toBe(2);
  expect(row.pass).toBe(false);
});
