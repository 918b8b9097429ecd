/**
 * Tangent planes of models the engine trained on the built-in manifolds, against their true
 * tangents (THEORY.md §6). The thresholds are the figures measured with these CI-sized trainings.
 */
import { loadDataset } from '../../../electron/data/load';
import { setupNodeBackend } from '../../../electron/hosts/node/backends';
import { medianAngle, train } from './trained-helpers';

beforeAll(async () => {
  await setupNodeBackend('wasm');
});

describe('tangent planes of trained models against the true tangents', () => {
  test('helix (1-D): median angle under 15°', async () => {
    const ds = await loadDataset('sample:helix?rows=800&noise=0.01&seed=1');
    const r = await train(
      ds,
      { family: 'undercomplete', latent: 1, hidden: [64, 64], activation: 'tanh' },
      { epochs: 120, batchSize: 32, lr: 0.003, seed: 1 },
    );
    try {
      const angle = await medianAngle(r, 'sample:helix?rows=200&noise=0&seed=9');
      console.log(`helix: median tangent angle ${angle.toFixed(2)}°`);
      expect(angle).toBeLessThan(15);
    } finally {
      r.model.dispose();
    }
  });

  test('sphere (2-D): median angle under 25°', async () => {
    const ds = await loadDataset('sample:sphere?rows=1500&noise=0.01&seed=1');
    const r = await train(
      ds,
      { family: 'undercomplete', latent: 2, hidden: [64, 64], activation: 'tanh' },
      { epochs: 60, batchSize: 32, seed: 1 },
    );
    try {
      const angle = await medianAngle(r, 'sample:sphere?rows=200&noise=0&seed=9');
      console.log(`sphere: median tangent angle ${angle.toFixed(2)}°`);
      expect(angle).toBeLessThan(25);
    } finally {
      r.model.dispose();
    }
  });

  test('swiss roll (2-D): median angle under 25°', async () => {
    const ds = await loadDataset('sample:swiss-roll?rows=1500&noise=0.05&seed=1');
    const r = await train(
      ds,
      { family: 'undercomplete', latent: 2, hidden: [64, 64, 64], activation: 'tanh' },
      { epochs: 80, batchSize: 32, lr: 0.003, seed: 1 },
    );
    try {
      const angle = await medianAngle(r, 'sample:swiss-roll?rows=200&noise=0&seed=9');
      console.log(`swiss roll: median tangent angle ${angle.toFixed(2)}°`);
      expect(angle).toBeLessThan(25);
    } finally {
      r.model.dispose();
    }
  });
});
