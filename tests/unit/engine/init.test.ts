/**
 * Initial biases of the dense autoencoder: the decoder's first hidden layer (reading the code h)
 * starts at U(−√(3/k), √(3/k)) so its units' boundaries do not all pass through h = 0; every other
 * bias starts at zero. Seeded, so a seed gives the same model.
 */
import { createAutoencoder } from '../../../electron/engine/models/create';
import { setupNodeBackend } from '../../../electron/hosts/node/backends';
import type { ModelConfigInput } from '../../../electron/shared/model-config';

beforeAll(async () => {
  await setupNodeBackend('cpu');
});

function biases(config: ModelConfigInput, dims: number, seed: number): Map<string, Float32Array> {
  const m = createAutoencoder(config, dims, { seed });
  try {
    return new Map(
      m
        .getWeights()
        .filter((w) => w.name.endsWith('.b'))
        .map((w) => [w.name, w.data]),
    );
  } finally {
    m.dispose();
  }
}

const maxAbs = (a: Float32Array) => a.reduce((m, v) => Math.max(m, Math.abs(v)), 0);

describe('initial biases', () => {
  test('the layer reading the code spreads over U(−√(3/k), √(3/k)); the others are zero', () => {
    const b = biases({ latent: 2, hidden: [64, 32], activation: 'tanh' }, 3, 1);
    expect([...b.keys()].sort()).toEqual(['dec.0.b', 'dec.1.b', 'dec.2.b', 'enc.0.b', 'enc.1.b', 'enc.2.b']);
    for (const [name, fanIn, width] of [['dec.0.b', 2, 32]] as const) {
      const v = b.get(name)!;
      const a = Math.sqrt(3 / fanIn);
      expect(v.length).toBe(width);
      expect(maxAbs(v)).toBeLessThanOrEqual(a);
      // A uniform on (−a, a) has mean 0 and variance a²/3 = 1/fanIn; 32 draws land near both.
      const mean = v.reduce((s, x) => s + x, 0) / v.length;
      const variance = v.reduce((s, x) => s + (x - mean) ** 2, 0) / v.length;
      expect(Math.abs(mean)).toBeLessThan(0.35 * a);
      expect(variance).toBeGreaterThan(0.5 / fanIn);
      expect(variance).toBeLessThan(1.6 / fanIn);
    }
    for (const name of ['enc.0.b', 'enc.1.b', 'enc.2.b', 'dec.1.b', 'dec.2.b'])
      expect(maxAbs(b.get(name)!)).toBe(0);
  });

  test('no hidden layer or a linear activation: every bias starts at zero', () => {
    for (const b of [
      biases({ family: 'undercomplete', latent: 2, hidden: [], activation: 'tanh' }, 3, 1),
      biases({ family: 'deep', latent: 2, hidden: [16], activation: 'linear' }, 3, 1),
      biases({ family: 'linear', latent: 2 }, 3, 1),
    ])
      for (const v of b.values()) expect(maxAbs(v)).toBe(0);
  });

  test('seeded: the same seed gives the same biases, another seed different ones', () => {
    const cfg: ModelConfigInput = { latent: 2, hidden: [8], activation: 'relu' };
    expect(Array.from(biases(cfg, 3, 5).get('dec.0.b')!)).toEqual(
      Array.from(biases(cfg, 3, 5).get('dec.0.b')!),
    );
    expect(Array.from(biases(cfg, 3, 5).get('dec.0.b')!)).not.toEqual(
      Array.from(biases(cfg, 3, 6).get('dec.0.b')!),
    );
  });
});
