/**
 * Every Jacobian and contractive penalty against finite differences (docs/theory.md, "Contractive"): the k-VJP
 * Jacobian, the closed form for one sigmoid layer, the stochastic CAE+H estimate in expectation,
 * and the second derivative (the penalty's gradient in the weights, which training uses) for every
 * activation. References are float64: an exact chain-rule Jacobian and central differences.
 */
import { tf } from '../../../electron/engine/tf';
import { createAutoencoder } from '../../../electron/engine/models/create';
import type { DenseAutoencoder } from '../../../electron/engine/models/dense';
import { jacobian } from '../../../electron/engine/analysis/jacobian';
import {
  contractiveClosedForm,
  contractiveDense,
  contractiveExact,
  contractiveStochastic,
} from '../../../electron/engine/regularizers/contractive';
import { ACTIVATIONS, type Activation } from '../../../electron/shared/model-config';
import { createRng } from '../../../electron/engine/random';
import { fdJacobian, frobSq, refForward, refJacobian, refLayers, relErr } from './reference';
import { useCpu } from './helpers';

beforeAll(useCpu);

const d = 5;
const points = (n: number, seed: number) => {
  const r = createRng(seed);
  return Array.from({ length: n }, () => Array.from({ length: d }, () => r.normal()));
};

function encoder(
  activation: Activation,
  hidden: number[],
  code: Activation,
  k = 3,
  seed = 3,
): DenseAutoencoder {
  const m = createAutoencoder(
    { family: 'undercomplete', latent: k, hidden, activation, codeActivation: code },
    d,
    { seed },
  );
  if (m.kind !== 'dense') throw new Error('expected a dense model');
  return m;
}

describe('the encoder Jacobian by k vector-Jacobian products', () => {
  test.each(ACTIVATIONS)('%s layers: matches finite differences to 1e-4', (a) => {
    const model = encoder(a, [4], a === 'linear' ? 'linear' : 'tanh');
    const layers = refLayers(model.encoderLayers);
    const xs = points(6, 11);
    const J = tf.tidy(() => jacobian((t) => model.encode(t), tf.tensor2d(xs), 3).arraySync());
    xs.forEach((x, i) => {
      const fd = fdJacobian((v) => refForward(layers, v), x);
      const exact = refJacobian(layers, x);
      const diff = J[i]!.map((row, j) => row.map((v, c) => v - fd[j]![c]!));
      expect(Math.sqrt(frobSq(diff) / frobSq(fd))).toBeLessThan(1e-4);
      // The float64 chain rule and the finite differences agree with each other.
      const diff64 = exact.map((row, j) => row.map((v, c) => v - fd[j]![c]!));
      expect(Math.sqrt(frobSq(diff64) / frobSq(fd))).toBeLessThan(1e-7);
    });
    model.dispose();
  });
});

describe('contractive penalties ‖J_f(x)‖²_F', () => {
  test('closed form for one sigmoid layer equals the finite-difference ‖J‖² (rel. err < 1e-3)', () => {
    const model = encoder('relu', [], 'sigmoid');
    const layers = refLayers(model.encoderLayers);
    const xs = points(8, 5);
    const l = model.encoderLayers[0]!;
    const pen = tf.tidy(() =>
      contractiveClosedForm(tf.tensor2d(xs), l.w as tf.Tensor2D, l.b as tf.Tensor1D).arraySync(),
    );
    xs.forEach((x, i) =>
      expect(relErr(pen[i]!, frobSq(fdJacobian((v) => refForward(layers, v), x)))).toBeLessThan(1e-3),
    );
    model.dispose();
  });

  test.each(ACTIVATIONS)(
    'exact (k VJPs) through %s layers equals the finite-difference ‖J‖² (rel. err < 1e-3)',
    (a) => {
      const model = encoder(a, [6, 4], a);
      const layers = refLayers(model.encoderLayers);
      const xs = points(8, 7);
      const pen = tf.tidy(() => contractiveExact((t) => model.encode(t), tf.tensor2d(xs), 3).arraySync());
      xs.forEach((x, i) => {
        const fd = frobSq(fdJacobian((v) => refForward(layers, v), x));
        if (fd > 1e-8) expect(relErr(pen[i]!, fd)).toBeLessThan(1e-3);
        else expect(pen[i]!).toBeLessThan(1e-6);
      });
      model.dispose();
    },
  );

  test('the stochastic CAE+H estimate has ‖J‖² as its expectation', () => {
    const model = encoder('tanh', [6], 'sigmoid');
    const layers = refLayers(model.encoderLayers);
    const xs = points(10, 9);
    const sigma = 0.01;
    const samples = 600;
    const est = tf.tidy(() =>
      contractiveStochastic((t) => model.encode(t), tf.tensor2d(xs), sigma, samples, 1234).arraySync(),
    );
    const fd = xs.map((x) => frobSq(fdJacobian((v) => refForward(layers, v), x)));
    // 6000 draws in all: the mean's relative standard error is ≈ √2/√6000 ≈ 2 %.
    const meanEst = est.reduce((a, b) => a + b, 0) / xs.length;
    const meanFd = fd.reduce((a, b) => a + b, 0) / xs.length;
    expect(relErr(meanEst, meanFd)).toBeLessThan(0.06);
    // Each point's estimate is unbiased too (600 draws: ≈ 6 % standard error).
    est.forEach((e, i) => expect(relErr(e, fd[i]!)).toBeLessThan(0.3));
    model.dispose();
  });

  test.each(ACTIVATIONS)(
    'the gradient of the exact penalty in the weights (a second derivative) is exact through %s layers',
    (a) => {
      const model = encoder(a, [4], a === 'relu' ? 'sigmoid' : a, 2, 21);
      const xs = points(4, 13);
      const x = tf.tensor2d(xs);
      const penalty = () => tf.mean(contractiveExact((t) => model.encode(t), x, 2)) as tf.Scalar;
      const { grads } = tf.variableGrads(penalty, model.variables);
      // Float64 reference: the chain-rule penalty, differentiated by central differences.
      const layers = refLayers(model.encoderLayers);
      const refPenalty = () => xs.reduce((s, p) => s + frobSq(refJacobian(layers, p)), 0) / xs.length;
      const h = 1e-6;
      let num = 0,
        den = 0;
      model.encoderLayers.forEach((l, li) => {
        const g = grads[l.w.name]!.dataSync();
        const w = layers[li]!.w;
        w.forEach((row, i) =>
          row.forEach((v, j) => {
            row[j] = v + h;
            const p = refPenalty();
            row[j] = v - h;
            const m = refPenalty();
            row[j] = v;
            const fd = (p - m) / (2 * h);
            num += (g[i * row.length + j]! - fd) ** 2;
            den += fd * fd;
          }),
        );
      });
      expect(Math.sqrt(num / Math.max(den, 1e-30))).toBeLessThan(1e-3);
      tf.dispose([x, ...Object.values(grads)]);
      model.dispose();
    },
  );
});

describe('the dense chain-rule penalty (what training uses for the exact method)', () => {
  const denseLayers = (model: DenseAutoencoder) =>
    model.encoderLayers.map((l) => ({
      w: l.w as tf.Tensor2D,
      b: l.b as tf.Tensor1D,
      activation: l.activation,
      transposeW: l.transposeW,
    }));

  test.each(
    ACTIVATIONS.flatMap(
      (a) =>
        [
          [a, [] as number[]],
          [a, [4]],
          [a, [6, 4]],
        ] as const,
    ),
  )('equals the float64 ‖J‖²_F and the k-VJP penalty, %s layers, hidden %j', (a, hidden) => {
    const model = encoder(a, [...hidden], a === 'relu' ? 'sigmoid' : a, 3, 17);
    const xs = points(6, 29);
    const dense = tf.tidy(() => contractiveDense(denseLayers(model), tf.tensor2d(xs)).arraySync());
    const vjp = tf.tidy(() => contractiveExact((t) => model.encode(t), tf.tensor2d(xs), 3).arraySync());
    const layers = refLayers(model.encoderLayers);
    xs.forEach((p, i) => {
      const ref = frobSq(refJacobian(layers, p));
      expect(relErr(dense[i]!, ref)).toBeLessThan(1e-4);
      expect(relErr(dense[i]!, vjp[i]!)).toBeLessThan(1e-4);
    });
    model.dispose();
  });

  test.each(ACTIVATIONS)('its gradient in the weights equals the k-VJP penalty’s, %s layers', (a) => {
    const model = encoder(a, [4, 3], a === 'relu' ? 'sigmoid' : a, 2, 23);
    const x = tf.tensor2d(points(5, 31));
    const gDense = tf.variableGrads(
      () => tf.mean(contractiveDense(denseLayers(model), x)) as tf.Scalar,
      model.variables,
    );
    const gVjp = tf.variableGrads(
      () => tf.mean(contractiveExact((t) => model.encode(t), x, 2)) as tf.Scalar,
      model.variables,
    );
    for (const v of model.encoderLayers.flatMap((l) => [l.w, l.b])) {
      // A variable the penalty does not depend on (a linear code's bias) has no gradient: zeros.
      const q = gVjp.grads[v.name]?.dataSync() ?? new Float32Array(v.size);
      const p = gDense.grads[v.name]?.dataSync() ?? new Float32Array(v.size);
      let num = 0,
        den = 0;
      p.forEach((pi, i) => {
        num += (pi - q[i]!) ** 2;
        den += q[i]! ** 2;
      });
      expect(Math.sqrt(num / Math.max(den, 1e-30))).toBeLessThan(1e-4);
    }
    tf.dispose([x, gDense.value, gVjp.value, ...Object.values(gDense.grads), ...Object.values(gVjp.grads)]);
    model.dispose();
  });
});
