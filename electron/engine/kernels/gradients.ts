/**
 * Gradients of Sum and Mean without a host-side array of ones. tfjs-core writes both as
 * dy (reshaped to keep the reduced axes) · ones(x.shape) (÷ the reduced size for Mean): ones()
 * fills a JavaScript array the size of x and uploads it every step (a [128, 784] array for a
 * mean-squared error). Here the ones are the backend's Fill kernel; the expression, and so the
 * result, are otherwise tfjs-core's (gradients/Sum_grad.ts, Mean_grad.ts). Backend-independent.
 */
import { tf } from '../tf';

type Attrs = { axis?: number | number[] | null };

/** The reduced axes: all of them when the op was called without an axis (attrs.axis null). */
const axesOf = (axis: Attrs['axis'], x: tf.Tensor): number[] =>
  axis === undefined || axis === null ? [...x.shape.keys()] : tf.util.parseAxisParam(axis, x.shape);

/** dy with the reduced axes of x kept as size 1, times ones of x's shape. */
function spread(dy: tf.Tensor, x: tf.Tensor, axes: number[]): tf.Tensor {
  const expanded = x.shape.slice();
  for (const a of axes) expanded[a] = 1;
  return tf.mul(tf.reshape(dy, expanded), tf.fill(x.shape, 1, 'float32'));
}

const sumGrad: tf.GradConfig = {
  kernelName: 'Sum',
  inputsToSave: ['x'],
  gradFunc: (dy, saved, attrs) => {
    const [x] = saved as tf.Tensor[];
    const derX = spread(dy as tf.Tensor, x!, axesOf((attrs as Attrs).axis, x!));
    return { x: () => derX };
  },
};

const meanGrad: tf.GradConfig = {
  kernelName: 'Mean',
  inputsToSave: ['x'],
  gradFunc: (dy, saved, attrs) => {
    const [x] = saved as tf.Tensor[];
    const axes = axesOf((attrs as Attrs).axis, x!);
    const reduceSize = tf.util.sizeFromShape(axes.map((a) => x!.shape[a]!));
    return { x: () => tf.div(spread(dy as tf.Tensor, x!, axes), reduceSize) };
  },
};

const OVERRIDES = [sumGrad, meanGrad];
let originals: tf.GradConfig[] | undefined;

/** Register the gradients above (idempotent). */
export function installGradientOverrides(): void {
  if (originals) return;
  originals = OVERRIDES.map((g) => tf.getGradient(g.kernelName)).filter((g): g is tf.GradConfig => !!g);
  for (const g of OVERRIDES) tf.registerGradient(g);
}

/** Put tfjs-core's gradients back. */
export function uninstallGradientOverrides(): void {
  if (!originals) return;
  for (const g of originals) tf.registerGradient(g);
  originals = undefined;
}
