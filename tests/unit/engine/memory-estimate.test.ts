/**
 * The training memory estimate (engine/memory-estimate.ts) against what runTraining really
 * allocates on the cpu backend: the peak of the tensors' distinct buffers. (tf.memory().numBytes
 * counts every tensor object, so clones and reshapes of one buffer twice; the buffers are counted
 * here through the engine's own table.) Small models, each trained for an epoch in about a second.
 * The estimate must be within a factor: measured / estimated in [0.5, 1.25] — rarely below the
 * truth, never far above it. Peak RSS is compared by `npm run memory-report`.
 */
import { tf } from '../../../electron/engine/tf';
import { runTraining } from '../../../electron/engine/run';
import { createAutoencoder } from '../../../electron/engine/models/create';
import { estimateTrainingMemory } from '../../../electron/engine/memory-estimate';
import { modelShape } from '../../../electron/engine/memory-shapes';
import { memoryInput } from '../../../electron/engine/memory-check';
import { FAMILIES, parseModelConfig } from '../../../electron/shared/model-config';
import type { ModelConfigInput, TrainOptionsInput } from '../../../electron/shared/model-config';
import { datasetOf, randomMatrix, useCpu } from './helpers';

beforeAll(useCpu);

/** Run `f`, returning the peak bytes of the distinct tensor buffers it made. */
async function peakBuffers<T>(f: () => Promise<T>): Promise<{ result: T; peak: number }> {
  type Info = WeakMap<object, { bytes: number }>;
  const info = (tf.engine() as unknown as { state: { tensorInfo: Info } }).state.tensorInfo;
  const mine = new WeakSet<object>();
  let now = 0;
  let peak = 0;
  const { set, delete: del } = info;
  info.set = (k, e) => {
    if (!info.has(k)) {
      mine.add(k);
      now += e.bytes;
      peak = Math.max(peak, now);
    }
    return set.call(info, k, e);
  };
  info.delete = (k) => {
    const e = info.get(k);
    if (e && mine.has(k)) now -= e.bytes;
    return del.call(info, k);
  };
  try {
    return { result: await f(), peak };
  } finally {
    info.set = set;
    info.delete = del;
  }
}

const cases: [string, number, number, ModelConfigInput, TrainOptionsInput][] = [
  [
    'relu MLP, activations dominate',
    1024,
    16,
    { family: 'undercomplete', hidden: [512] },
    { batchSize: 512 },
  ],
  [
    'tanh, two hidden layers',
    1024,
    16,
    { family: 'deep', hidden: [256, 256], activation: 'tanh' },
    { batchSize: 256 },
  ],
  [
    'parameters dominate (Adam’s first step)',
    64,
    16,
    { family: 'undercomplete', hidden: [768, 768] },
    { batchSize: 8 },
  ],
  [
    'sgd, clipped',
    1024,
    32,
    { family: 'sparse', hidden: [512] },
    { batchSize: 512, optimizer: 'sgd', clipNorm: 1 },
  ],
  [
    'denoising, elu, wide output',
    1024,
    256,
    { family: 'denoising', hidden: [128], activation: 'elu', noise: { kind: 'mask', level: 0.3 } },
    { batchSize: 512 },
  ],
  [
    'contractive, exact [n, k, h] product',
    512,
    32,
    { family: 'contractive', hidden: [192], latent: 6 },
    { batchSize: 256 },
  ],
  [
    'contractive, closed form',
    1024,
    32,
    { family: 'contractive', hidden: [], latent: 64 },
    { batchSize: 512 },
  ],
  ['vae', 1024, 64, { family: 'vae', hidden: [256], latent: 8 }, { batchSize: 512 }],
  ['psd', 256, 64, { family: 'psd', latent: 16, psd: { steps: 10 } }, { batchSize: 128 }],
  [
    'deep, greedy pretraining',
    1024,
    32,
    { family: 'deep', hidden: [256, 128], pretrain: { mode: 'greedy', epochs: 1 } },
    { batchSize: 256 },
  ],
  ['linear, full batch', 4096, 64, { family: 'linear', latent: 4 }, { epochs: 3 }],
  ['hashing', 1024, 32, { family: 'hashing', hidden: [256], latent: 16 }, { batchSize: 512 }],
];

describe('the estimate against the measured tensor peak on cpu', () => {
  test.each(cases)('%s', async (_name, rows, dims, config, train) => {
    const ds = datasetOf(randomMatrix(rows, dims, 3), rows, dims);
    const t = { epochs: 1, ...train };
    const { result, peak } = await peakBuffers(() => runTraining({ dataset: ds, config, train: t }));
    result.model.dispose();
    const est = estimateTrainingMemory(memoryInput(config, t, ds, 'cpu'));
    const ratio = peak / est.tensorBytes;
    // Printed for the record (README "Memory" quotes the ranges).
    console.log(
      `${_name}: measured ${(peak / 2 ** 20).toFixed(1)} MiB, estimated ${(est.tensorBytes / 2 ** 20).toFixed(1)} MiB (${ratio.toFixed(2)}), peak at ${est.peak.phase}`,
    );
    expect(ratio).toBeGreaterThanOrEqual(0.5);
    expect(ratio).toBeLessThanOrEqual(1.25);
  });
});

describe('the model it describes', () => {
  const configs: ModelConfigInput[] = [
    ...FAMILIES.map((family) => ({ family })),
    { family: 'undercomplete', hidden: [64, 32], tied: true },
    { family: 'vae', hidden: [16], output: 'bernoulli' },
    { family: 'vae', hidden: [], outputVariance: 'fixed' },
    { family: 'deep', hidden: [40, 20, 10], latent: 3 },
  ];
  test.each(configs)('parameters as createAutoencoder makes them: %o', (config) => {
    const cfg = parseModelConfig(config);
    const model = createAutoencoder(cfg, 12);
    const shape = modelShape(cfg, 12);
    expect(shape.paramCount).toBe(model.paramCount);
    const sizes = Object.fromEntries(
      model.weightSpecs().map((w) => [w.name, w.shape.reduce((a, b) => a * b, 1)]),
    );
    expect(Object.fromEntries(shape.params.map((p) => [p.name, p.size]))).toEqual(sizes);
    model.dispose();
  });

  test('every part scales as its cause: parameters with the widths, activations with the batch', () => {
    const base = memoryInput(
      { family: 'undercomplete', hidden: [1000] },
      { batchSize: 100 },
      { rows: 10000, dims: 10 },
    );
    const part = (e: ReturnType<typeof estimateTrainingMemory>, phase: string, what: RegExp) =>
      e.phases.find((p) => p.phase === phase)!.parts.find((p) => what.test(p.what))?.bytes ?? 0;
    const e1 = estimateTrainingMemory(base);
    const e2 = estimateTrainingMemory({ ...base, train: { ...base.train, batchSize: 200 } });
    expect(part(e2, 'training, backward pass', /^activations/)).toBeCloseTo(
      2 * part(e1, 'training, backward pass', /^activations/),
      -3,
    );
    expect(part(e2, 'training, backward pass', /^parameters$/)).toBe(
      part(e1, 'training, backward pass', /^parameters$/),
    );
    expect(part(e1, 'training, update', /^parameters$/)).toBe(e1.paramCount * 4);
    expect(part(e1, 'training, update', /Adam/)).toBe(2 * e1.paramCount * 4);
    // SGD keeps one slot; tfjs ops (webgpu) keep the update's temporaries to the step's end.
    const sgd = estimateTrainingMemory({ ...base, train: { ...base.train, optimizer: 'sgd' } });
    expect(part(sgd, 'training, update', /momentum/)).toBe(e1.paramCount * 4);
    const ops = estimateTrainingMemory({ ...base, backend: 'webgpu' });
    expect(part(ops, 'training, update', /update/)).toBeGreaterThan(
      4 * part(e1, 'training, update', /update/),
    );
    // The CPU backend's tensors share the arrays they were made from: counted once in the total.
    const cpu = estimateTrainingMemory({ ...base, backend: 'cpu' });
    expect(cpu.tensorBytes).toBe(e1.tensorBytes);
    expect(e1.bytes - cpu.bytes).toBe(10000 * 10 * 4);
  });
});
