import { tf } from '../../../electron/engine/tf';
import {
  installKernelOverrides,
  installedKernelOverrides,
  uninstallKernelOverrides,
} from '../../../electron/engine/kernels';
import { setupNodeBackend } from '../../../electron/hosts/node/backends';

// Every WASM override against the kernel it replaces: same values (to float rounding), same
// gradients, no leaked buffers, and the original's errors.

const rand = (shape: number[], seed: number) => tf.randomUniform(shape, -1, 1, 'float32', seed);

/** Run `ref` with the original kernels and `fast` (default: `ref`) with the overrides. */
function both(
  ref: () => tf.Tensor | tf.Tensor[],
  fast: () => tf.Tensor | tf.Tensor[] = ref,
): { ref: Float32Array[]; fast: Float32Array[] } {
  const run = (f: () => tf.Tensor | tf.Tensor[]) =>
    tf.tidy(() => {
      const r = f();
      return (Array.isArray(r) ? r : [r]).map((t) => t.dataSync() as Float32Array);
    });
  uninstallKernelOverrides();
  const r = run(ref);
  installKernelOverrides('wasm');
  return { ref: r, fast: run(fast) };
}

function expectClose(ref: Float32Array[], fast: Float32Array[], tol = 1e-4) {
  expect(fast.length).toBe(ref.length);
  ref.forEach((r, i) => {
    const f = fast[i]!;
    expect(f.length).toBe(r.length);
    let worst = 0;
    for (let j = 0; j < r.length; j++)
      worst = Math.max(worst, Math.abs(f[j]! - r[j]!) / (1 + Math.abs(r[j]!)));
    expect(worst).toBeLessThanOrEqual(tol);
  });
}

const buffers = () => tf.engine().backend.numDataIds();

describe('WASM kernel overrides', () => {
  beforeAll(async () => {
    await setupNodeBackend('wasm');
  });
  afterAll(() => installKernelOverrides('wasm'));

  test('the WASM backend is set up with the overrides installed', () => {
    expect(tf.getBackend()).toBe('wasm');
    expect(installedKernelOverrides()).toEqual(
      expect.arrayContaining(['wasm/BatchMatMul', 'wasm/_FusedMatMul', 'wasm/GatherV2']),
    );
  });

  // [a shape, b shape] before transposition; m = 5, k = 7, n = 3 (odd sizes, no block multiples).
  const cases: [string, number[], number[]][] = [
    ['2-D', [5, 7], [7, 3]],
    ['batched both sides', [4, 5, 7], [4, 7, 3]],
    ['batched left, shared right', [4, 5, 7], [7, 3]],
    ['batched left, right batch 1', [2, 3, 5, 7], [1, 7, 3]],
    ['batch 1 left, batched right', [1, 5, 7], [4, 7, 3]],
  ];
  const batchOf = (s: number[]) => s.slice(0, -2).reduce((p, d) => p * d, 1);
  const swap = (s: number[]) => [...s.slice(0, -2), s[s.length - 1]!, s[s.length - 2]!];

  for (const [name, sa, sb] of cases)
    for (const ta of [false, true])
      for (const tb of [false, true])
        test(`matMul ${name}, transposeA=${ta}, transposeB=${tb}: values and gradients`, () => {
          const a = rand(ta ? swap(sa) : sa, 1);
          const b = rand(tb ? swap(sb) : sb, 2);
          // tfjs-core's BatchMatMul gradient cannot reduce a broadcast batch: differentiate with
          // respect to the operand that is not broadcast only.
          const sameBatch = sa.slice(0, -2).join() === sb.slice(0, -2).join();
          const { ref, fast } = both(() => {
            const y = tf.matMul(a, b, ta, tb);
            // d/da, d/db of sum(y ⊙ w) for a fixed w: exercises both backward products.
            const w = rand(y.shape, 3);
            const loss = (x: tf.Tensor, z: tf.Tensor) => tf.sum(tf.mul(tf.matMul(x, z, ta, tb), w));
            const g = sameBatch
              ? tf.grads(loss)([a, b])
              : batchOf(sa) >= batchOf(sb)
                ? [tf.grad((x: tf.Tensor) => loss(x, b))(a)]
                : [tf.grad((z: tf.Tensor) => loss(a, z))(b)];
            return [y, ...g];
          });
          expectClose(ref, fast);
          tf.dispose([a, b]);
        });

  // The reference is the unfused composition: the original _FusedMatMul adds the bias wrongly
  // when an operand is transposed (its scalar fallback indexes the bias by i·n + j, clamped, not
  // by j — tfjs-backend-wasm batch_mat_mul_impl.cc), which the override's XNNPACK path does not.
  const activate = (y: tf.Tensor, activation: 'linear' | 'relu' | 'sigmoid') =>
    activation === 'relu' ? tf.relu(y) : activation === 'sigmoid' ? tf.sigmoid(y) : y;
  for (const activation of ['linear', 'relu', 'sigmoid'] as const)
    for (const [ta, tb] of [
      [false, false],
      [true, false],
      [false, true],
      [true, true],
    ] as const)
      test(`fused matMul + bias + ${activation}, transposeA=${ta}, transposeB=${tb}`, () => {
        const a = rand(ta ? [7, 5] : [5, 7], 4);
        const b = rand(tb ? [3, 7] : [7, 3], 5);
        const bias = rand([3], 6);
        const fused = (x: tf.Tensor, z: tf.Tensor, c: tf.Tensor) =>
          tf.fused.matMul({
            a: x as tf.Tensor2D,
            b: z as tf.Tensor2D,
            bias: c,
            activation,
            transposeA: ta,
            transposeB: tb,
          });
        const plain = (x: tf.Tensor, z: tf.Tensor, c: tf.Tensor) =>
          activate(tf.add(tf.matMul(x, z, ta, tb), c), activation);
        const withGrads = (f: typeof fused) => () => [
          f(a, b, bias),
          ...tf.grads((x: tf.Tensor, z: tf.Tensor, c: tf.Tensor) => tf.sum(tf.square(f(x, z, c))))([
            a,
            b,
            bias,
          ]),
        ];
        const { ref, fast } = both(withGrads(plain), withGrads(fused));
        expectClose(ref, fast);
        tf.dispose([a, b, bias]);
      });

  test('a bias that is not one value per column is left to the original kernel', () => {
    const a = rand([4, 6], 7);
    const b = rand([3, 6], 8);
    const bias = rand([1], 9);
    const { ref, fast } = both(() => tf.fused.matMul({ a, b, bias, transposeB: true }));
    expectClose(ref, fast);
    tf.dispose([a, b, bias]);
  });

  test('matMul on training-sized operands (784 × 256, batch 128) matches the original', () => {
    const x = rand([128, 784], 10);
    const w = rand([784, 256], 11);
    const dy = rand([128, 256], 12);
    const { ref, fast } = both(() => [tf.matMul(x, dy, true, false), tf.matMul(dy, w, false, true)]);
    expectClose(ref, fast);
    tf.dispose([x, w, dy]);
  });

  test('gather along axis 0: rows, repeated and scalar indices, higher rank', () => {
    const x = rand([10, 3, 4], 13);
    const idx = tf.tensor1d([9, 0, 3, 3, 7], 'int32');
    const scalar = tf.scalar(4, 'int32');
    const idx2 = tf.tensor2d(
      [
        [1, 2],
        [8, 1],
      ],
      [2, 2],
      'int32',
    );
    const { ref, fast } = both(() => [
      tf.gather(x, idx),
      tf.gather(x, scalar),
      tf.gather(x, idx2),
      tf.gather(x, idx, -3), // axis −3 of a rank-3 tensor is axis 0
    ]);
    expectClose(ref, fast, 0);
    expect(tf.gather(x, idx2).shape).toEqual([2, 2, 3, 4]);
    tf.dispose([x, idx, scalar, idx2]);
  });

  // (tfjs-backend-wasm's own GatherV2 returns wrong values with batchDims > 0, so that case is not
  // a reference for anything and is not tested here.)
  test('gather along another axis goes to the original kernel', () => {
    const x = rand([4, 6], 14);
    const idx = tf.tensor1d([5, 0, 2], 'int32');
    const { ref, fast } = both(() => [tf.gather(x, idx, 1), tf.gather(x, idx, -1)]);
    expectClose(ref, fast, 0);
    tf.dispose([x, idx]);
  });

  test('gather rejects an index outside the rows, like the original', () => {
    const x = rand([3, 2], 15);
    const idx = tf.tensor1d([0, 3], 'int32');
    expect(() => tf.gather(x, idx)).toThrow(/index value 3 is not in \[0, 2\]/);
    tf.dispose([x, idx]);
  });

  test('the overrides free their temporaries: no buffer or tensor is left behind', () => {
    installKernelOverrides('wasm');
    const a = rand([3, 5, 7], 16);
    const b = rand([7, 4], 17);
    const x = rand([20, 7], 18);
    const idx = tf.tensor1d([1, 2, 3], 'int32');
    const step = () =>
      tf.tidy(() => {
        tf.matMul(a, b).dataSync();
        tf.matMul(a, a, true, false).dataSync();
        tf.fused.matMul({ a: x, b, activation: 'relu' }).dataSync();
        tf.gather(x, idx).dataSync();
        tf.grads((p: tf.Tensor, q: tf.Tensor) => tf.sum(tf.matMul(p, q, false, true)))([x, x]);
      });
    step();
    const before = { tensors: tf.memory().numTensors, buffers: buffers() };
    for (let i = 0; i < 5; i++) step();
    expect({ tensors: tf.memory().numTensors, buffers: buffers() }).toEqual(before);
    tf.dispose([a, b, x, idx]);
  });
});

describe('WASM Sum override', () => {
  beforeAll(async () => {
    await setupNodeBackend('wasm');
  });
  afterAll(() => installKernelOverrides('wasm'));

  test('sums over leading axes match the original, with and without keepDims', () => {
    const x = rand([6, 5, 4], 20);
    const { ref, fast } = both(() => [
      tf.sum(x, 0),
      tf.sum(x, [0, 1]),
      tf.sum(x, [1, 0], true),
      tf.sum(x, -3),
      tf.sum(x, 2), // innermost: the original kernel
      tf.sum(x, [0, 2]), // not a prefix: the original kernel
      tf.sum(x), // every axis: the original kernel
    ]);
    expectClose(ref, fast, 1e-6);
    expect(tf.sum(x, [0, 1], true).shape).toEqual([1, 1, 4]);
    tf.dispose(x);
  });

  test('the bias gradient of a dense layer (Σ over the batch) matches, and int32 sums still work', () => {
    const dy = rand([128, 784], 21);
    const { ref, fast } = both(() => tf.sum(dy, 0));
    expectClose(ref, fast, 1e-6);
    expect(
      Array.from(
        tf
          .sum(
            tf.tensor2d(
              [
                [1, 2],
                [3, 4],
              ],
              [2, 2],
              'int32',
            ),
            0,
          )
          .dataSync(),
      ),
    ).toEqual([4, 6]);
    tf.dispose(dy);
  });
});

describe('WASM Transpose override', () => {
  beforeAll(async () => {
    await setupNodeBackend('wasm');
  });
  afterAll(() => installKernelOverrides('wasm'));

  test('swapping the last two axes matches the original (odd sizes, batched, int32); other permutations too', () => {
    const a = rand([37, 70], 30);
    const b = rand([3, 33, 5], 31);
    const c = tf.tensor3d(
      Array.from({ length: 24 }, (_, i) => i),
      [2, 3, 4],
      'int32',
    );
    const d = rand([2, 3, 4, 5], 32);
    const { ref, fast } = both(() => [
      tf.transpose(a),
      tf.transpose(b, [0, 2, 1]),
      tf.cast(tf.transpose(c, [0, 2, 1]), 'float32'),
      tf.transpose(d, [0, 1, 3, 2]),
      tf.transpose(d, [1, 0, 2, 3]), // not a swap of the last two: the original kernel
      tf.transpose(b), // [2, 1, 0]: the original kernel
    ]);
    expectClose(ref, fast, 0);
    tf.dispose([a, b, c, d]);
  });
});

describe('Identity and the Sum/Mean gradients', () => {
  beforeAll(async () => {
    await setupNodeBackend('wasm');
  });
  afterAll(() => installKernelOverrides('wasm'));

  test('a clone shares the buffer: same values, still valid after the original is disposed, freed with the last reference', () => {
    installKernelOverrides('wasm');
    const before = buffers();
    const a = rand([3, 4], 40);
    const values = Array.from(a.dataSync());
    const b = tf.clone(a);
    expect(buffers()).toBe(before + 1); // shared, not copied
    a.dispose();
    expect(Array.from(b.dataSync())).toEqual(values);
    b.dispose();
    expect(buffers()).toBe(before);
  });

  test('gradients of sum and mean over every axis choice match tfjs-core’s', () => {
    const x = rand([4, 3, 5], 41);
    const { ref, fast } = both(() => {
      const out: tf.Tensor[] = [];
      for (const axis of [undefined, 0, 1, 2, -1, [0, 2]] as (number | number[] | undefined)[])
        for (const keepDims of [false, true]) {
          const w = rand(tf.sum(x, axis, keepDims).shape, 42);
          out.push(tf.grad((v: tf.Tensor) => tf.sum(tf.mul(tf.sum(v, axis, keepDims), w)))(x));
          out.push(tf.grad((v: tf.Tensor) => tf.sum(tf.mul(tf.mean(v, axis, keepDims), w)))(x));
        }
      return out;
    });
    expectClose(ref, fast, 0);
    x.dispose();
  });
});
