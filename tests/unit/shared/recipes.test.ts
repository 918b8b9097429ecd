/** Recipes are options-table values: each parses, applies to its family, and passes the schemas. */
import { RECIPES, recipeSample } from '../../../electron/shared/recipes';
import { SAMPLES } from '../../../electron/data/samples/registry';
import { ModelConfigSchema, TrainOptionsSchema } from '../../../electron/shared/model-config';
import { applies, optionAt, setAt, type OptionValues } from '../../../electron/shared/options/table';
import { parseText } from '../../../electron/shared/options/values';

test.each(RECIPES.map((r) => [r.id, r] as const))('recipe %s is valid', (_id, r) => {
  expect(SAMPLES.map((s) => s.name)).toContain(r.sample.name);
  expect(recipeSample(r)).toMatch(/^sample:[a-z-]+(\?.+)?$/);
  const values: OptionValues = { config: { family: r.family }, train: {} };
  for (const [path, text] of Object.entries(r.set)) {
    const spec = optionAt(path);
    const p = parseText(spec, text);
    expect(p, `${path} = ${text}`).toMatchObject({ ok: true });
    if (p.ok) setAt(values, spec, p.value);
  }
  for (const path of Object.keys(r.set)) expect(applies(optionAt(path), r.family, values), path).toBe(true);
  expect(ModelConfigSchema.safeParse(values.config).success).toBe(true);
  expect(TrainOptionsSchema.safeParse(values.train).success).toBe(true);
  expect(r.why.length).toBeGreaterThan(40);
});
