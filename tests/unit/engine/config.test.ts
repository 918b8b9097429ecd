/** The model and training configuration: documented defaults, family rules, readable errors. */
import {
  FAMILIES,
  ModelConfigSchema,
  parseModelConfig,
  parseTrainOptions,
  resolveTrainOptions,
} from '../../../electron/shared/model-config';
import { UserError } from '../../../electron/shared/errors';

describe('ModelConfigSchema', () => {
  test('every family resolves with defaults', () => {
    for (const family of FAMILIES) {
      const c = parseModelConfig({ family });
      expect(c.family).toBe(family);
      expect(c.latent).toBe(family === 'sparse' ? 32 : family === 'hashing' ? 16 : 2);
      expect(Array.isArray(c.hidden)).toBe(true);
      expect(['closed-form', 'exact', 'stochastic']).toContain(c.contractive.method);
      // The resolved form parses to itself (run.json and model manifests store it).
      expect(ModelConfigSchema.parse(c)).toEqual(c);
    }
  });

  test('family defaults', () => {
    expect(parseModelConfig({ family: 'linear' })).toMatchObject({
      activation: 'linear',
      codeActivation: 'linear',
      tied: true,
      hidden: [],
    });
    expect(parseModelConfig({ family: 'deep' }).hidden).toEqual([128, 64]);
    expect(parseModelConfig({ family: 'contractive' })).toMatchObject({
      codeActivation: 'tanh',
      lambda: 0.01,
      hidden: [64],
      contractive: { method: 'exact' },
    });
    // No hidden layer and a sigmoid code: the shallow model, whose penalty has a closed form.
    expect(parseModelConfig({ family: 'contractive', hidden: [] })).toMatchObject({
      codeActivation: 'sigmoid',
      contractive: { method: 'closed-form' },
    });
    for (const family of ['undercomplete', 'sparse', 'denoising', 'vae', 'hashing'] as const)
      expect(parseModelConfig({ family }).hidden).toEqual([64]);
    expect(parseModelConfig({ family: 'psd' }).hidden).toEqual([]);
    expect(parseModelConfig({ family: 'sparse' })).toMatchObject({ codeActivation: 'relu', lambda: 0.01 });
    // Sparse: a wide code, and an L1 weight that grows with the inputs the reconstruction sums over.
    expect(parseModelConfig({ family: 'sparse' }, 'model', { rows: 5000, dims: 784 })).toMatchObject({
      latent: 32,
      lambda: 0.784,
    });
    expect(parseModelConfig({ family: 'vae' })).toMatchObject({
      lambda: 1,
      hidden: [64],
      outputVariance: 'learned',
      klWarmup: 0.2,
    });
    expect(parseModelConfig({ family: 'sparse' }).outputVariance).toBe('fixed');
    expect(parseModelConfig({ family: 'hashing' }).codeActivation).toBe('sigmoid');
    expect(parseModelConfig({ family: 'psd' }).codeActivation).toBe('tanh');
    expect(parseModelConfig({ family: 'denoising' }).noise).toEqual({ kind: 'gaussian', level: 0.3 });
  });

  test('combinations that make no sense are refused with the field named', () => {
    const msg = (input: unknown) => {
      try {
        parseModelConfig(input);
      } catch (e) {
        expect(e).toBeInstanceOf(UserError);
        return (e as Error).message;
      }
      throw new Error('expected a UserError');
    };
    expect(msg({ family: 'linear', hidden: [4] })).toMatch(
      /^model\.hidden: the linear family has no hidden layers/,
    );
    expect(msg({ family: 'contractive', hidden: [4], contractive: { method: 'closed-form' } })).toMatch(
      /model\.contractive\.method/,
    );
    expect(msg({ family: 'vae', pretrain: { mode: 'greedy' } })).toMatch(/model\.pretrain/);
    expect(msg({ family: 'deep', hidden: [] })).toMatch(/at least one hidden layer/);
    expect(msg({ family: 'denoising', noise: { kind: 'mask', level: 1.5 } })).toMatch(/model\.noise\.level/);
    expect(msg({ family: 'sparse', latent: 2.5 })).toMatch(/model\.latent/);
    expect(msg({ family: 'sparse', colour: 'red' })).toMatch(/colour/);
    expect(msg({ family: 'psd', output: 'bernoulli' })).toMatch(/model\.output/);
    expect(msg({ family: 'sparse', outputVariance: 'learned' })).toMatch(
      /model\.outputVariance: .*vae family only/,
    );
  });
});

describe('TrainOptionsSchema', () => {
  test('defaults depend on the family and the rows', () => {
    const lin = resolveTrainOptions(parseTrainOptions({}), { family: 'linear', output: 'gaussian' }, 1000);
    expect(lin).toMatchObject({
      batchSize: 0,
      epochs: 500,
      lr: 0.03,
      patience: 0,
      normalize: 'standard',
      optimizer: 'adam',
    });
    expect(lin.schedule).toEqual({ kind: 'cosine', gamma: 0.5, every: 167, minFactor: 0.01 });
    const big = resolveTrainOptions(parseTrainOptions({}), { family: 'linear', output: 'gaussian' }, 50_000);
    expect(big.batchSize).toBe(64);
    const cae = resolveTrainOptions(
      parseTrainOptions({}),
      { family: 'contractive', output: 'bernoulli' },
      1000,
    );
    expect(cae).toMatchObject({
      batchSize: 64,
      epochs: 100,
      lr: 0.003,
      patience: 25,
      normalize: 'minmax',
      valSplit: 0.1,
      seed: 0,
    });
    const sgd = resolveTrainOptions(
      parseTrainOptions({ optimizer: 'sgd', schedule: { kind: 'exponential' } }),
      { family: 'sparse', output: 'gaussian' },
      10,
    );
    expect(sgd).toMatchObject({ lr: 0.01, momentum: 0.9 });
    expect(sgd.schedule.gamma).toBe(0.97);
  });

  test('narrow data (d ≤ 16) train a deeper tanh network for a budget of small steps', () => {
    const narrow = { rows: 2000, dims: 3 };
    expect(parseModelConfig({ family: 'contractive' }, 'model', narrow)).toMatchObject({
      hidden: [64, 64, 64],
      activation: 'tanh',
    });
    expect(parseModelConfig({ family: 'deep' }, 'model', narrow).hidden).toEqual([64, 64, 64]);
    expect(parseModelConfig({ family: 'deep' }, 'model', { rows: 2000, dims: 784 }).hidden).toEqual([
      128, 64,
    ]);
    expect(parseModelConfig({ family: 'psd' }, 'model', narrow).hidden).toEqual([]);
    const t = parseTrainOptions({});
    const uc = resolveTrainOptions(t, { family: 'undercomplete', output: 'gaussian' }, 1800, 3);
    // 1,800 rows in 32-row batches: 57 steps an epoch, 420 epochs ≈ 24,000 steps; no early stopping.
    expect(uc).toMatchObject({ batchSize: 32, epochs: 420, patience: 0 });
    expect(resolveTrainOptions(t, { family: 'undercomplete', output: 'gaussian' }, 900, 3).epochs).toBe(830);
    expect(resolveTrainOptions(t, { family: 'undercomplete', output: 'gaussian' }, 200_000, 3).epochs).toBe(
      20,
    );
    expect(resolveTrainOptions(t, { family: 'undercomplete', output: 'gaussian' }, 1800, 784)).toMatchObject({
      batchSize: 64,
      epochs: 100,
      patience: 25,
    });
    expect(resolveTrainOptions(t, { family: 'psd', output: 'gaussian' }, 1800, 3)).toMatchObject({
      epochs: 100,
      batchSize: 64,
    });
    // Given values win.
    expect(
      resolveTrainOptions(
        parseTrainOptions({ epochs: 7, batchSize: 16 }),
        { family: 'sparse', output: 'gaussian' },
        1800,
        3,
      ),
    ).toMatchObject({ epochs: 7, batchSize: 16, patience: 0 });
  });

  test('bad values name the field', () => {
    expect(() => parseTrainOptions({ batchSize: -1 })).toThrow(/^train\.batchSize/);
    expect(() => parseTrainOptions({ optimizer: 'rmsprop' })).toThrow(/train\.optimizer/);
    expect(() => parseTrainOptions({ lr: 0 })).toThrow(/train\.lr/);
    expect(() => parseTrainOptions({ schedule: { kind: 'warm' } })).toThrow(/train\.schedule\.kind/);
  });
});
