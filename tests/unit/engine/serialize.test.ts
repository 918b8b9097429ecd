/** Saving and loading a model: the bytes reproduce encode/decode/reconstruct exactly, with the
 *  training normalisation; damaged manifests and buffers are refused with a UserError. */
import { tf } from '../../../electron/engine/tf';
import { runTraining } from '../../../electron/engine/run';
import { loadModel, saveModel } from '../../../electron/engine/serialize';
import { decodeRows, encodeRows, reconstructRows } from '../../../electron/engine/apply';
import { UserError } from '../../../electron/shared/errors';
import type { ModelConfigInput } from '../../../electron/shared/model-config';
import { datasetOf, lowRankData, useCpu } from './helpers';

beforeAll(useCpu);

const n = 80,
  d = 6;
// Columns far from unit scale, so the normaliser matters.
const raw = lowRankData(n, d, [3, 2], 0.2, 4).map((v, i) => v * (1 + (i % d)) + 100 * (i % d));
const ds = datasetOf(raw, n, d);

const configs: ModelConfigInput[] = [
  { family: 'contractive', latent: 2, hidden: [5], activation: 'tanh' },
  { family: 'vae', latent: 2, hidden: [4] },
  { family: 'psd', latent: 3 },
  { family: 'hashing', latent: 3, tied: true },
];

test.each(configs)('round trip: $family', async (config) => {
  const r = await runTraining({ dataset: ds, config, train: { epochs: 3, batchSize: 16 } });
  const saved = await saveModel(r.model, r.normalizer);
  // What a host writes and reads back: JSON text and raw bytes.
  const manifest: unknown = JSON.parse(JSON.stringify(saved.manifest));
  const bytes = Uint8Array.from(saved.weights);
  const loaded = loadModel(manifest, bytes);
  expect(loaded.config).toEqual(r.config);
  expect(loaded.model.getWeights()).toEqual(r.model.getWeights());
  expect(await encodeRows(loaded.model, loaded.normalizer, raw, n)).toEqual(r.codes);
  const rec = await reconstructRows(loaded.model, loaded.normalizer, raw, n);
  expect(rec).toEqual(r.reconstructions);
  const again = await decodeRows(loaded.model, loaded.normalizer, r.codes, n);
  const direct = await decodeRows(r.model, r.normalizer, r.codes, n);
  expect(again).toEqual(direct);
  loaded.model.dispose();
  r.model.dispose();
});

describe('damaged models are refused', () => {
  let saved: Awaited<ReturnType<typeof saveModel>>;
  let before = 0;
  beforeAll(async () => {
    const r = await runTraining({
      dataset: ds,
      config: { family: 'undercomplete', latent: 2 },
      train: { epochs: 1 },
    });
    saved = await saveModel(r.model, r.normalizer);
    r.model.dispose();
    before = tf.memory().numTensors;
  });
  const bad =
    (manifest: unknown, bytes = saved.weights) =>
    () =>
      loadModel(manifest, bytes, 'run/model');
  test('a truncated weights buffer', () => {
    expect(bad(saved.manifest, saved.weights.slice(0, 12))).toThrow(UserError);
    expect(bad(saved.manifest, saved.weights.slice(0, 12))).toThrow(/run\/model: the weights hold 12 bytes/);
  });
  test('a manifest that is not one', () => {
    expect(bad({ format: 'something-else' })).toThrow(/not a model manifest/);
    expect(bad({ ...saved.manifest, config: { ...saved.manifest.config, family: 'quantum' } })).toThrow(
      /config\.family/,
    );
  });
  test('a weight whose shape does not match the config', () => {
    const weights = saved.manifest.weights.map((w, i) =>
      i === 0 ? { ...w, shape: [w.shape[0]! + 1, w.shape[1]!] } : w,
    );
    expect(bad({ ...saved.manifest, weights })).toThrow(UserError);
  });
  test('a normaliser of the wrong width', () => {
    const normalizer = { ...saved.manifest.normalizer, offset: [1, 2] };
    expect(bad({ ...saved.manifest, normalizer })).toThrow(/normaliser has 2 columns/);
  });
  afterAll(() => expect(tf.memory().numTensors).toBe(before));
});
