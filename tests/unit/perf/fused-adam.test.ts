import { tf } from '../../../electron/engine/tf';
import { FusedAdamOptimizer, fusedAdam } from '../../../electron/engine/kernels';
import { ADAM_KERNEL, adamUpdate, adamUpdateOps } from '../../../electron/engine/kernels/adam-kernel';
import { adamModuleBytes, simdAdamFor } from '../../../electron/engine/kernels/wasm-simd-adam';
import { wasmMemoryOf } from '../../../electron/engine/kernels/wasm-backend';
import { setupNodeBackend } from '../../../electron/hosts/node/backends';

// The fused Adam against tfjs's AdamOptimizer: the same trajectory (to float32 rounding) on the
// backends with the one-kernel update (wasm, cpu), the same saved weights, no leaked tensors.

function trajectory(make: () => tf.Optimizer, steps: number): Float32Array[] {
  const w = tf.variable(
    tf.tensor2d([
      [0.5, -1.5, 2],
      [3, -0.25, 1e-3],
    ]),
  );
  const b = tf.variable(tf.tensor1d([0.1, -0.2, 0.3]));
  // [4, 3] targets
  const y = tf.tensor2d([1, 0, -1, 0.5, 2, 0, -1, -1, 3, 0, 0.2, 0.4], [4, 3]);
  const x = tf.tensor2d([
    [1, 2],
    [-1, 0.5],
    [0.3, -2],
    [2, 2],
  ]);
  const opt = make();
  const out: Float32Array[] = [];
  for (let i = 0; i < steps; i++) {
    // Least squares towards a fixed target: convex, so rounding differences do not grow.
    opt.minimize(() => tf.sum(tf.square(tf.sub(tf.add(tf.matMul(x, w), b), y))) as tf.Scalar);
    out.push(Float32Array.from([...w.dataSync(), ...b.dataSync()]));
  }
  opt.dispose();
  tf.dispose([w, b, x, y]);
  return out;
}

describe.each(['wasm', 'cpu'] as const)('fused Adam on %s', (backend) => {
  beforeAll(async () => {
    await setupNodeBackend(backend);
  });

  test('follows tf.train.adam step by step', () => {
    for (const [lr, b1, b2] of [
      [0.01, 0.9, 0.999],
      [0.1, 0.5, 0.9],
    ] as const) {
      const ref = trajectory(() => tf.train.adam(lr, b1, b2), 30);
      const fast = trajectory(() => fusedAdam(lr, b1, b2), 30);
      for (let s = 0; s < ref.length; s++)
        // The update is rearranged (one division, one square root): float32 rounding apart.
        for (let j = 0; j < ref[s]!.length; j++) expect(fast[s]![j]).toBeCloseTo(ref[s]![j]!, 5);
      // And it moved: the parameters are not where they started.
      expect(Math.abs(ref[29]![0]! - 0.5)).toBeGreaterThan(0.05);
    }
  });

  test('runs as one kernel per variable and leaks nothing', () => {
    const w = tf.variable(tf.ones([3, 4]));
    const opt = new FusedAdamOptimizer(0.01);
    const step = () => opt.minimize(() => tf.sum(tf.square(w)) as tf.Scalar);
    step();
    const before = tf.memory().numTensors;
    const profile = tf.profile(() => {
      for (let i = 0; i < 3; i++) step();
    });
    expect(tf.memory().numTensors).toBe(before);
    return profile.then((p) => {
      const names = p.kernels.map((k) => k.name);
      expect(names.filter((n) => n === 'ManifoldExplorerAdam')).toHaveLength(3);
      expect(names).not.toContain('Sqrt');
      opt.dispose();
      w.dispose();
    });
  });

  test('saves and restores its state like AdamOptimizer (iterations, then m and v per variable)', async () => {
    const w = tf.variable(tf.tensor1d([1, -2]), true, `fusedAdamTestW_${backend}`);
    const a = fusedAdam(0.05);
    for (let i = 0; i < 3; i++) a.minimize(() => tf.sum(tf.square(w)) as tf.Scalar);
    const saved = await a.getWeights();
    expect(saved.map((s) => s.name)).toEqual(['iter', `${w.name}/m`, `${w.name}/v`]);
    const snapshot = saved.map((s) => ({ name: s.name, tensor: tf.clone(s.tensor) }));
    const ref = tf.train.adam(0.05);
    await ref.setWeights(snapshot.map((s) => ({ name: s.name, tensor: tf.clone(s.tensor) })));
    const b = fusedAdam(0.05);
    await b.setWeights(snapshot);
    expect(b.iterations).toBe(3);
    const w2 = tf.variable(tf.clone(w));
    a.minimize(() => tf.sum(tf.square(w)) as tf.Scalar);
    ref.minimize(() => tf.sum(tf.square(w2)) as tf.Scalar);
    // One more step from the restored state: the fused and the reference optimizer agree.
    const [after, refAfter] = [w.dataSync(), w2.dataSync()];
    for (let j = 0; j < 2; j++) expect(after[j]).toBeCloseTo(refAfter[j]!, 6);
    tf.dispose([w, w2]);
    [a, b, ref].forEach((o) => o.dispose());
  });
});

describe('adamUpdate', () => {
  beforeAll(async () => {
    await setupNodeBackend('cpu');
  });

  const attrs = { beta1: 0.8, beta2: 0.99, stepSize: 0.05, epsilon: 1e-3 };
  const w = () => tf.tensor1d([1, -2, 0.5, 3]);
  const g = () => tf.tensor1d([0.2, -1, 0, 4]);
  const m = () => tf.tensor1d([0.1, 0.1, -0.3, 0]);
  const v = () => tf.tensor1d([0.01, 2, 0.5, 0]);

  test('computes m′ = β₁m + (1−β₁)g, v′ = β₂v + (1−β₂)g², w′ = w − s·m′/(√v′ + e)', () => {
    const [w2, m2, v2] = tf.tidy(() => adamUpdate(w(), g(), m(), v(), attrs).map((t) => t.dataSync()));
    const [W, G, M, V] = [w(), g(), m(), v()].map((t) => Array.from(t.dataSync())) as [
      number[],
      number[],
      number[],
      number[],
    ];
    for (let i = 0; i < 4; i++) {
      const mi = 0.8 * M[i]! + 0.2 * G[i]!;
      const vi = 0.99 * V[i]! + 0.01 * G[i]! ** 2;
      expect(m2![i]).toBeCloseTo(mi, 6);
      expect(v2![i]).toBeCloseTo(vi, 6);
      expect(w2![i]).toBeCloseTo(W[i]! - (0.05 * mi) / (Math.sqrt(vi) + 1e-3), 6);
    }
  });

  test('the tfjs-ops form (backends without the kernel) gives the same result as the kernel', () => {
    const fused = tf.tidy(() => adamUpdate(w(), g(), m(), v(), attrs).map((t) => Array.from(t.dataSync())));
    const plain = tf.tidy(() =>
      adamUpdateOps(w(), g(), m(), v(), attrs).map((t) => Array.from(t.dataSync())),
    );
    plain.forEach((p, k) => p.forEach((x, i) => expect(x).toBeCloseTo(fused[k]![i]!, 6)));
  });

  test('adamUpdate runs as the one kernel without an optimiser having registered it', async () => {
    tf.unregisterKernel(ADAM_KERNEL, 'cpu');
    const p = await tf.profile(() => tf.tidy(() => void adamUpdate(w(), g(), m(), v(), attrs)));
    expect(p.kernels.map((k) => k.name)).toContain('ManifoldExplorerAdam');
    expect(p.kernels.map((k) => k.name)).not.toContain('Sqrt');
  });
});

describe('the WebAssembly SIMD Adam loop', () => {
  test('assembles to a valid module that binds to the WASM backend’s memory', async () => {
    await setupNodeBackend('wasm');
    expect(WebAssembly.validate(adamModuleBytes())).toBe(true);
    const memory = wasmMemoryOf(tf.backend());
    expect(memory).toBeInstanceOf(WebAssembly.Memory);
    expect(simdAdamFor(memory!)).toBeTypeOf('function');
  });

  test.each([1, 3, 4, 1031, 200_704])(
    'on wasm equals the double-precision loop on cpu (n = %i, tail included)',
    async (n) => {
      const attrs = { beta1: 0.9, beta2: 0.999, stepSize: 3e-3, epsilon: 1e-7 };
      const make = () =>
        [1, 2, 3, 4].map((s) => tf.randomUniform([n], s === 4 ? 0 : -1, 1, 'float32', s)) as [
          tf.Tensor,
          tf.Tensor,
          tf.Tensor,
          tf.Tensor,
        ];
      const run = () =>
        tf.tidy(() => {
          const [w, g, m, v] = make();
          return adamUpdate(w, g, m, v, attrs).map((t) => t.dataSync() as Float32Array);
        });
      await setupNodeBackend('cpu');
      const ref = run();
      await setupNodeBackend('wasm');
      const simd = run();
      for (let k = 0; k < 3; k++) {
        let worst = 0;
        for (let i = 0; i < n; i++)
          worst = Math.max(worst, Math.abs(simd[k]![i]! - ref[k]![i]!) / (1e-3 + Math.abs(ref[k]![i]!)));
        // float32 lanes against a double loop: a few float32 ulps.
        expect(worst).toBeLessThan(1e-5);
      }
    },
  );
});
