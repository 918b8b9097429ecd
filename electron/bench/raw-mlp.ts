/**
 * torch_reference.py in tfjs: Sequential(Linear(d, h₁), ReLU, …, Linear(hₙ, k), ReLU,
 * Linear(k, hₙ), ReLU, …, Linear(h₁, d), Sigmoid), PyTorch's default initialisation
 * (U(±1/√fan_in) for weights and biases), loss mean((x̂ − x)²), Adam(lr), a fresh permutation each
 * epoch, and the loss read back once per epoch (float(loss) at the end, as the reference does).
 */
import { tf } from '../engine/tf';
import { createRng, permutation } from '../engine/random';
import { fusedAdam } from '../engine/kernels';
import type { TorchShape } from './models';

export interface RawMlp {
  vars: tf.Variable[];
  /** One epoch over `x` [rows, d]; resolves to the last batch's loss (read asynchronously: WebGPU
   *  has no synchronous read in Node). */
  epoch(x: tf.Tensor2D): Promise<number>;
  dispose(): void;
}

export function createRawMlp(
  shape: TorchShape,
  opts: { batch: number; lr: number; seed: number; optimizer: 'fused' | 'tfjs' },
): RawMlp {
  const widths = [shape.dims, ...shape.hidden, shape.latent, ...[...shape.hidden].reverse(), shape.dims];
  const rng = createRng(opts.seed);
  const vars: tf.Variable[] = [];
  for (let i = 0; i + 1 < widths.length; i++) {
    const [fin, fout] = [widths[i]!, widths[i + 1]!];
    const lim = 1 / Math.sqrt(fin);
    // tidy: tf.variable keeps the initial values' buffers, not the initial tensors.
    vars.push(tf.tidy(() => tf.variable(tf.randomUniform([fin, fout], -lim, lim, 'float32', rng.seed()))));
    vars.push(tf.tidy(() => tf.variable(tf.randomUniform([fout], -lim, lim, 'float32', rng.seed()))));
  }
  const layers = widths.length - 1;
  const forward = (x: tf.Tensor2D): tf.Tensor2D => {
    let h = x;
    for (let i = 0; i < layers; i++) {
      const z = tf.add(tf.matMul(h, vars[2 * i] as tf.Tensor2D), vars[2 * i + 1]!) as tf.Tensor2D;
      h = i === layers - 1 ? tf.sigmoid(z) : tf.relu(z);
    }
    return h;
  };
  const opt = opts.optimizer === 'fused' ? fusedAdam(opts.lr) : tf.train.adam(opts.lr);
  return {
    vars,
    async epoch(x) {
      const n = x.shape[0];
      const order = tf.tensor1d(Int32Array.from(permutation(n, rng)), 'int32');
      let last: tf.Scalar | null = null;
      for (let start = 0; start < n; start += opts.batch) {
        const size = Math.min(opts.batch, n - start);
        last?.dispose();
        last = tf.tidy(() => {
          const xb = tf.gather(x, tf.slice(order, [start], [size])) as tf.Tensor2D;
          return opt.minimize(() => tf.mean(tf.square(tf.sub(forward(xb), xb))) as tf.Scalar, true)!;
        });
      }
      order.dispose();
      const loss = last ? (await last.data())[0]! : NaN;
      last?.dispose();
      return loss;
    },
    dispose() {
      opt.dispose();
      tf.dispose(vars);
    },
  };
}
