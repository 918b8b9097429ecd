/**
 * The gradient of every family's loss against central finite differences on tiny models: for each
 * variable, the directional derivative along a random direction (and one along all variables at
 * once). Noise is drawn from the same seed on both sides, so stochastic losses are deterministic
 * functions of the weights; PSD's h* is inferred once and held fixed, as in its alternating step.
 */
import { tf } from '../../../electron/engine/tf';
import { createAutoencoder, type AnyAutoencoder } from '../../../electron/engine/models/create';
import { createObjective, stageObjective, type Objective } from '../../../electron/engine/families';
import { reconstructionLoss } from '../../../electron/engine/losses';
import { decodeLogits, encodePre } from '../../../electron/engine/models/stack';
import type { ModelConfigInput } from '../../../electron/shared/model-config';
import type { CategoricalGroup } from '../../../electron/shared/dataset';
import { createRng } from '../../../electron/engine/random';
import { useCpu } from './helpers';

beforeAll(useCpu);

const n = 6;
const d = 5;

function data(kind: 'real' | 'unit' | 'onehot', seed = 2): tf.Tensor2D {
  const r = createRng(seed);
  const v = new Float32Array(n * d);
  for (let i = 0; i < n; i++)
    for (let c = 0; c < d; c++) v[i * d + c] = kind === 'real' ? r.normal() : r.next();
  if (kind === 'onehot')
    // Columns 1..3 are one categorical group; 0 and 4 stay real.
    for (let i = 0; i < n; i++) {
      const hot = r.int(3);
      for (let c = 1; c < 4; c++) v[i * d + c] = c - 1 === hot ? 1 : 0;
    }
  return tf.tensor2d(v, [n, d]);
}

type LossFn = (prepared: readonly tf.Tensor[]) => tf.Scalar;

/** Directional derivatives of loss() along random directions vs central differences. */
function checkGradient(vars: tf.Variable[], loss: () => tf.Scalar, seed: number, eps = 1e-2, tol = 1e-2) {
  const { grads } = tf.variableGrads(loss, vars);
  const rng = createRng(seed);
  const directions: Map<tf.Variable, Float32Array>[] = [];
  for (const v of vars) {
    if (!grads[v.name]) continue;
    directions.push(new Map([[v, Float32Array.from({ length: v.size }, () => rng.normal())]]));
  }
  directions.push(new Map(vars.map((v) => [v, Float32Array.from({ length: v.size }, () => rng.normal())])));
  const evalAt = (dir: Map<tf.Variable, Float32Array>, t: number) => {
    const saved = [...dir.keys()].map((v) => tf.clone(v));
    const norm = Math.sqrt([...dir.values()].reduce((s, a) => s + a.reduce((x, y) => x + y * y, 0), 0));
    for (const [v, a] of dir) tf.tidy(() => v.assign(tf.add(v, tf.mul(tf.tensor(a, v.shape), t / norm))));
    const value = tf.tidy(() => loss().dataSync()[0]!);
    [...dir.keys()].forEach((v, i) => v.assign(saved[i]!));
    tf.dispose(saved);
    return { value, norm };
  };
  for (const dir of directions) {
    const { norm } = evalAt(dir, 0);
    let analytic = 0;
    for (const [v, a] of dir) {
      const g = grads[v.name];
      if (!g) continue;
      const gv = g.dataSync();
      for (let i = 0; i < a.length; i++) analytic += (gv[i]! * a[i]!) / norm;
    }
    const fd = (evalAt(dir, eps).value - evalAt(dir, -eps).value) / (2 * eps);
    expect(Math.abs(analytic - fd)).toBeLessThanOrEqual(
      tol * Math.max(Math.abs(fd), Math.abs(analytic), 0.05),
    );
  }
  tf.dispose(Object.values(grads));
}

function objectiveLoss(
  obj: Objective,
  x: tf.Tensor2D,
  seed: number,
): { loss: () => tf.Scalar; dispose: () => void } {
  const prepared = tf.tidy(() => (obj.prepare?.(x, seed) ?? []).map((t) => tf.keep(t)));
  const f: LossFn = (p) => tf.addN(obj.parts(x, seed, p)) as tf.Scalar;
  return { loss: () => f(prepared), dispose: () => tf.dispose(prepared) };
}

const cases: [string, ModelConfigInput, 'real' | 'unit' | 'onehot', number?][] = [
  ['linear (tied)', { family: 'linear', latent: 2 }, 'real'],
  ['linear (untied)', { family: 'linear', latent: 2, tied: false }, 'real'],
  [
    'undercomplete, tanh, bernoulli output',
    { family: 'undercomplete', latent: 2, hidden: [4], activation: 'tanh', output: 'bernoulli' },
    'unit',
  ],
  [
    'undercomplete, elu, categorical output',
    { family: 'undercomplete', latent: 2, hidden: [4], activation: 'elu', output: 'categorical' },
    'onehot',
  ],
  [
    'undercomplete, sigmoid, tied',
    { family: 'undercomplete', latent: 2, hidden: [4], activation: 'sigmoid', tied: true },
    'real',
  ],
  [
    'sparse (L1 on relu codes)',
    { family: 'sparse', latent: 3, hidden: [4], activation: 'tanh', lambda: 0.3 },
    'real',
  ],
  [
    'sparse (L1 on linear codes)',
    { family: 'sparse', latent: 3, hidden: [], codeActivation: 'linear', lambda: 0.3 },
    'real',
  ],
  [
    'denoising, gaussian',
    {
      family: 'denoising',
      latent: 2,
      hidden: [4],
      activation: 'tanh',
      noise: { kind: 'gaussian', level: 0.3 },
    },
    'real',
  ],
  [
    'denoising, mask',
    { family: 'denoising', latent: 2, hidden: [4], activation: 'tanh', noise: { kind: 'mask', level: 0.3 } },
    'real',
  ],
  [
    'denoising, salt-pepper',
    {
      family: 'denoising',
      latent: 2,
      hidden: [4],
      activation: 'elu',
      noise: { kind: 'salt-pepper', level: 0.3 },
    },
    'real',
  ],
  ['contractive, closed form', { family: 'contractive', latent: 2, hidden: [], lambda: 0.5 }, 'real'],
  [
    'contractive, exact, tanh',
    { family: 'contractive', latent: 2, hidden: [4], activation: 'tanh', lambda: 0.5 },
    'real',
  ],
  [
    'contractive, exact, elu, tied',
    {
      family: 'contractive',
      latent: 2,
      hidden: [4],
      activation: 'elu',
      tied: true,
      lambda: 0.5,
      contractive: { method: 'exact' },
    },
    'real',
  ],
  [
    'contractive, stochastic',
    {
      family: 'contractive',
      latent: 2,
      hidden: [4],
      activation: 'tanh',
      lambda: 0.5,
      contractive: { method: 'stochastic', sigma: 0.1, samples: 3 },
    },
    'real',
  ],
  ['deep, elu', { family: 'deep', latent: 2, hidden: [6, 4], activation: 'elu' }, 'real'],
  ['vae, gaussian', { family: 'vae', latent: 2, hidden: [4], activation: 'tanh' }, 'real'],
  [
    'vae, bernoulli, β = 2',
    { family: 'vae', latent: 2, hidden: [4], activation: 'tanh', output: 'bernoulli', lambda: 2 },
    'unit',
  ],
  ['psd (h* fixed)', { family: 'psd', latent: 3, lambda: 0.1, psd: { gamma: 0.5, steps: 20 } }, 'real'],
  [
    'hashing, noise before the sigmoid',
    { family: 'hashing', latent: 3, hidden: [4], activation: 'tanh', hashing: { noiseStd: 1 } },
    'real',
  ],
];

const groups: CategoricalGroup[] = [{ name: 'colour', start: 1, levels: ['r', 'g', 'b'] }];

describe('gradients of every loss match finite differences', () => {
  test.each(cases)('%s', (_name, config, kind) => {
    const model: AnyAutoencoder = createAutoencoder(config, d, { seed: 5, categorical: groups });
    const x = data(kind);
    const obj = createObjective(model, x);
    const l = objectiveLoss(obj, x, 77);
    checkGradient(model.variables, l.loss, 9);
    l.dispose();
    obj.dispose();
    x.dispose();
    model.dispose();
  });

  test('greedy stages: the stage objectives (stage 1 on x, stage 2 on h₁ with the hidden activation)', () => {
    const model = createAutoencoder(
      { family: 'deep', latent: 2, hidden: [4], activation: 'tanh', pretrain: { mode: 'greedy' } },
      d,
      { seed: 3 },
    );
    if (model.kind !== 'dense') throw new Error('dense expected');
    const x = data('real');
    for (let i = 0; i < model.depth; i++) {
      const input = tf.tidy(() => model.encodeThrough(i, x));
      const obj = stageObjective(model, i, input);
      const l = objectiveLoss(obj, input, 3);
      checkGradient(obj.variables, l.loss, 4 + i);
      l.dispose();
      obj.dispose();
      if (i > 0) input.dispose();
    }
    x.dispose();
    model.dispose();
  });

  test('hashing, straight-through: decoder gradients are exact, encoder gradients those of the surrogate σ(a)', () => {
    const model = createAutoencoder(
      {
        family: 'hashing',
        latent: 3,
        hidden: [4],
        activation: 'tanh',
        hashing: { method: 'straight-through' },
      },
      d,
      { seed: 8 },
    );
    if (model.kind !== 'dense') throw new Error('dense expected');
    const x = data('real');
    const obj = createObjective(model, x);
    const st = objectiveLoss(obj, x, 1);
    // The straight-through loss is piecewise constant in the encoder; its gradient is that of the
    // surrogate L(g(b₀ + σ(a(x)) − σ(a₀(x)))), which equals the true loss at the current weights.
    const a0 = tf.tidy(() => tf.sigmoid(encodePre(model.view, x)));
    const b0 = tf.tidy(() => tf.cast(tf.greater(a0, 0.5), 'float32'));
    const surrogate = () =>
      tf.tidy(() => {
        const h = tf.add(b0, tf.sub(tf.sigmoid(encodePre(model.view, x)), a0)) as tf.Tensor2D;
        return reconstructionLoss(x, decodeLogits(model.view, h), model.output);
      });
    expect(st.loss().dataSync()[0]).toBeCloseTo(surrogate().dataSync()[0]!, 6);
    const stGrads = tf.variableGrads(st.loss, model.variables).grads;
    const surGrads = tf.variableGrads(surrogate, model.variables).grads;
    for (const v of model.variables) {
      const a = stGrads[v.name]!.dataSync();
      const b = surGrads[v.name]!.dataSync();
      a.forEach((g, i) => expect(g).toBeCloseTo(b[i]!, 5));
    }
    checkGradient(model.variables, surrogate, 12);
    tf.dispose([a0, b0, ...Object.values(stGrads), ...Object.values(surGrads)]);
    st.dispose();
    x.dispose();
    model.dispose();
  });
});
