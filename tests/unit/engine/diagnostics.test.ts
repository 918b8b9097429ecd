/**
 * Convergence diagnostics (engine/diagnostics.ts): each shortfall of a family's promise is said in
 * one sentence with a fix as option values; a run that reached it says nothing.
 */
import {
  diagnose,
  fixAsFlags,
  lateImprovement,
  type DiagnosisInput,
} from '../../../electron/engine/diagnostics';
import { runTraining } from '../../../electron/engine/run';
import type { HistoryRecord } from '../../../electron/engine/loop';
import type { RunMetrics } from '../../../electron/engine/metrics';
import {
  parseModelConfig,
  parseTrainOptions,
  resolveTrainOptions,
} from '../../../electron/shared/model-config';
import { optionAt } from '../../../electron/shared/options/table';
import { datasetOf, lowRankData, useWasm } from './helpers';

beforeAll(useWasm);

const history = (losses: number[]): HistoryRecord[] =>
  losses.map((loss, i) => ({
    epoch: i + 1,
    loss,
    valLoss: null,
    seconds: i,
    lr: 0.01,
    parts: { reconstruction: loss },
  }));

function input(
  family: string,
  metrics: Partial<RunMetrics>,
  losses = Array(50).fill(1),
  codes?: Float32Array,
): DiagnosisInput {
  const config = parseModelConfig({ family });
  return {
    config,
    train: resolveTrainOptions(parseTrainOptions({}), config, 1000),
    metrics: {
      trainMse: 1,
      valMse: null,
      samplesPerSecond: 1,
      paramCount: 1,
      inputDims: 3,
      latent: 2,
      pca: null,
      ...metrics,
    },
    history: history(losses),
    stopped: 'completed',
    codes: codes ?? Float32Array.from({ length: 200 }, (_, i) => Math.sin(i)),
  };
}

const pca = (trainMse: number, eigengap: number | null = 5) => ({
  components: 2,
  trainMse,
  valMse: null,
  explainedVariance: 0.9,
  eigengap,
});

test('a run that reached its family’s promise gets no diagnosis', () => {
  expect(diagnose(input('linear', { trainMse: 1, pca: pca(1), principalAnglesDeg: [1e-5, 2e-5] }))).toEqual(
    [],
  );
  expect(
    diagnose(input('undercomplete', { truth: { tangentAngleDeg: { median: 3, mean: 4, points: 300 } } })),
  ).toEqual([]);
});

test('linear away from PCA: said with both figures, fixed by training longer', () => {
  const [d, ...rest] = diagnose(
    input('linear', { trainMse: 1.02, pca: pca(1), principalAnglesDeg: [0.1, 38.2] }),
  );
  expect(rest).toEqual([]);
  expect(d!.code).toBe('linear-not-pca');
  expect(d!.message).toMatch(/38\.2° from PCA's and its error 1\.02× PCA's/);
  expect(d!.fix!.set).toEqual({ 'train.epochs': '2000' });
  expect(fixAsFlags(d!.fix!, (p) => optionAt(p).meta.flag)).toBe('--epochs 2000');
  // Where the PCA subspace is not unique (an isotropic sphere), angles do not count; the error does.
  expect(diagnose(input('linear', { trainMse: 1, pca: pca(1, 1.01), principalAnglesDeg: [11] }))).toEqual([]);
});

test('tangent planes off the truth, score off, codes not sparse, bits dead, collapsed units', () => {
  const codes = (k: number, f: (r: number, j: number) => number) =>
    Float32Array.from({ length: 100 * k }, (_, i) => f(Math.floor(i / k), i % k));
  const tangent = diagnose(
    input('contractive', { truth: { tangentAngleDeg: { median: 49, mean: 50, points: 300 } } }),
  );
  expect(tangent.map((d) => d.code)).toEqual(['tangents-off']);
  // The loss has settled (flat over the run): a local minimum, left by new starts, not more epochs.
  expect(tangent[0]!.fix!.set).toEqual({ 'train.restarts': '5', 'train.seed': '1' });
  expect(tangent[0]!.fix!.label).toBe('Train again from 5 new starts (seed 1)');
  // Still falling at the end: train longer.
  const falling = Array.from({ length: 50 }, (_, i) => 2 - i / 50);
  const early = diagnose(
    input('contractive', { truth: { tangentAngleDeg: { median: 49, mean: 50, points: 300 } } }, falling),
  );
  expect(early[0]!.fix!.set).toEqual({ 'train.epochs': '200', 'train.patience': '0' });
  expect(diagnose(input('denoising', { truth: { scoreCosine: { mean: 0.8, points: 300 } } }))[0]!.code).toBe(
    'score-off',
  );
  const sparse = diagnose(
    input('sparse', {
      sparsity: { meanAbsCode: 1, fractionNearZero: 0.08, epsilon: 1e-3, unitActivity: [1, 1] },
    }),
  );
  expect(sparse[0]!.fix!.set).toEqual({ 'config.lambda': '0.03' });
  const bits = { bits: 8, bitUsage: [], meanBitEntropy: 0.7, saturation: 1, distinctCodes: 10 };
  expect(diagnose(input('hashing', { hashing: { ...bits, constantBits: 3 } }))[0]!.message).toMatch(
    /^3 of the 8 hash bits/,
  );
  expect(diagnose(input('hashing', { hashing: { ...bits, constantBits: 0 } }))[0]!.code).toBe(
    'unbalanced-bits',
  );
  const vae = diagnose(
    input('vae', { latent: 4, vae: { elbo: 0, reconstruction: 0, kl: 0, activeUnits: 1, samples: 4 } }),
  );
  expect(vae[0]!.message).toMatch(/^3 of the 4 code units collapsed/);
  expect(vae[0]!.fix!.set).toEqual({ 'config.lambda': '0.5', 'config.klWarmup': '0.4' });
  const dead = diagnose(
    input(
      'undercomplete',
      {},
      undefined,
      codes(2, (r, j) => (j === 0 ? r : 0.5)),
    ),
  );
  expect(dead.map((d) => d.code)).toEqual(['codes-collapsed']);
});

test('a loss still falling at the last epoch says so; a flat one does not', () => {
  const falling = Array.from({ length: 100 }, (_, i) => 1 / (1 + i / 10));
  expect(lateImprovement(history(falling))).toBeGreaterThan(0.1);
  expect(diagnose(input('undercomplete', {}, falling)).map((d) => d.code)).toEqual(['still-improving']);
  const flat = Array.from({ length: 100 }, (_, i) => 1 + 1e-4 * Math.sin(i));
  expect(lateImprovement(history(flat))).toBeLessThan(0.001);
});

test('a real run: a linear model stopped after 3 epochs is told to train longer', async () => {
  const n = 600;
  const ds = datasetOf(lowRankData(n, 8, [4, 3], 0.2, 3), n, 8);
  const r = await runTraining({ dataset: ds, config: { family: 'linear', latent: 2 }, train: { epochs: 3 } });
  try {
    expect(r.diagnostics.map((d) => d.code)).toContain('linear-not-pca');
    const long = await runTraining({ dataset: ds, config: { family: 'linear', latent: 2 } });
    expect(long.diagnostics).toEqual([]);
    long.model.dispose();
  } finally {
    r.model.dispose();
  }
});

test('overfitting (validation loss up 10 % from its best while the training loss falls) is said, with early stopping as the fix', () => {
  const h = Array.from({ length: 60 }, (_, i) => ({
    epoch: i + 1,
    loss: 1 / (1 + i),
    valLoss: i < 20 ? 1 / (1 + i) : 0.05 + 0.02 * (i - 19),
    seconds: i,
    lr: 0.01,
    parts: { reconstruction: 1 / (1 + i) },
  }));
  const d = diagnose({
    ...input('undercomplete', {}),
    history: h,
    train: { ...input('undercomplete', {}).train, patience: 0 },
  });
  const over = d.find((x) => x.code === 'overfitting');
  expect(over?.message).toMatch(/rose .* above its best \(epoch 20\)/);
  expect(over?.fix?.set['train.patience']).toBeDefined();
});

test('a validation loss that wobbles near zero at the end of a good fit is not called overfitting', () => {
  // The default swiss-roll run's shape (seed 0): validation 0.55 → 0.0067 (best) → 0.011 at the end.
  const val = [0.546, 0.097, 0.081, 0.038, 0.0148, 0.0152, 0.0089, 0.0067, 0.0101, 0.011, 0.0109];
  const train = [0.71, 0.0995, 0.0619, 0.0381, 0.0209, 0.0155, 0.0055, 0.0091, 0.0027, 0.0027, 0.0027];
  const h = val.map((v, i) => ({
    epoch: i + 1,
    loss: train[i]!,
    valLoss: v,
    seconds: i,
    lr: 0.01,
    parts: {},
  }));
  const d = diagnose({
    ...input('undercomplete', { truth: { tangentAngleDeg: { median: 6.3, mean: 9.5, points: 300 } } }),
    history: h,
  });
  expect(d).toEqual([]);
});

describe('overfitting and a falling loss on a run whose figures are judged', () => {
  // Validation falls to its best at epoch 20 and then climbs 90 % while training keeps falling:
  // the panel's default contractive swiss roll (seed 0) ended this way at 3.5° from the true planes.
  const h = Array.from({ length: 100 }, (_, i) => ({
    epoch: i + 1,
    loss: 1 / (1 + i),
    valLoss: i < 20 ? 1 / (1 + i) : (1 / 20) * (1 + (0.9 * (i - 19)) / 80),
    seconds: i,
    lr: 0.01,
    parts: { reconstruction: 1 / (1 + i) },
  }));
  const run = (median: number | null) => {
    const base = input(
      'contractive',
      median === null ? {} : { truth: { tangentAngleDeg: { median, mean: median, points: 300 } } },
    );
    return diagnose({ ...base, history: h, train: { ...base.train, patience: 0 } }).map((d) => d.code);
  };

  test('tangent planes at the target: nothing is said', () => {
    expect(lateImprovement(h)).toBeGreaterThan(0.1);
    expect(run(3.5)).toEqual([]);
  });

  test('tangent planes off: the shortfall and the overfitting, never "train longer" beside "stop early"', () => {
    expect(run(12)).toEqual(['tangents-off', 'overfitting']);
  });

  test('no figure to judge (a user’s own table): overfitting is said, and not also "still improving"', () => {
    expect(run(null)).toEqual(['overfitting']);
  });
});
