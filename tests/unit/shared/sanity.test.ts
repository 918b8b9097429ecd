/**
 * Options that defeat their family are said before training, beside the field they belong to:
 * one rule set (shared/options/sanity.ts) for the command line, the panel and run.json.
 */
import { optionNotes } from '../../../electron/shared/options/sanity';
import {
  parseModelConfig,
  parseTrainOptions,
  resolveTrainOptions,
} from '../../../electron/shared/model-config';
import { ModelForm } from '../../../renderer/src/state/model-form.svelte';
import type { DatasetSummary } from '../../../electron/shared/contract';

const facts = { rows: 2000, trainRows: 1800, dims: 3, min: -10, max: 14 };
const resolve = (config: object, train: object = {}, trainRows = 1800, dims = 3) => {
  const c = parseModelConfig(config, 'model', { rows: trainRows, dims });
  return [c, resolveTrainOptions(parseTrainOptions(train), c, trainRows, dims)] as const;
};

test('a sensible configuration has no note', () => {
  expect(optionNotes(...resolve({ family: 'contractive' }), facts)).toEqual([]);
});

test('k ≥ d for a family that must compress; batch over the rows; Bernoulli outside [0, 1]; raw wide ranges', () => {
  const k = optionNotes(...resolve({ family: 'undercomplete', latent: 3 }), facts);
  expect(k.map((n) => n.paths[0])).toEqual(['config.latent']);
  expect(k[0]!.message).toMatch(/k = 3.*d = 3/);
  expect(k[0]!.fix!.set).toEqual({ 'config.latent': '2' });
  // A regularised family may be overcomplete.
  expect(optionNotes(...resolve({ family: 'denoising', latent: 8 }), facts)).toEqual([]);
  const batch = optionNotes(...resolve({ family: 'sparse' }, { batchSize: 5000 }), facts);
  expect(batch[0]!.message).toMatch(/batch of 5000 is larger than the 1800 training rows/);
  const bern = optionNotes(...resolve({ family: 'deep', output: 'bernoulli' }, { normalize: 'none' }), facts);
  expect(bern[0]!.paths).toEqual(['train.normalize', 'config.output']);
  expect(bern[0]!.fix!.set).toEqual({ 'train.normalize': 'minmax' });
  expect(optionNotes(...resolve({ family: 'deep', output: 'bernoulli' }), facts)).toEqual([]); // minmax by default
  const raw = optionNotes(...resolve({ family: 'undercomplete' }, { normalize: 'none' }), {
    ...facts,
    max: 5000,
  });
  expect(raw[0]!.message).toMatch(/ruled by the widest columns/);
});

test('the panel shows the notes for the form and dataset', () => {
  const form = new ModelForm();
  form.setFamily('undercomplete');
  form.set('config.latent', '3');
  const summary = { rows: 2000, dims: 3, range: { min: -10, max: 14 } } as DatasetSummary;
  expect(form.notes(summary).map((n) => n.paths[0])).toEqual(['config.latent']);
  form.assign('config.latent', '2');
  expect(form.notes(summary)).toEqual([]);
});
