/**
 * PSD's figures (docs/theory.md, "PSD"): how close the fast predictor f(x) is to the optimised sparse code
 * h*, and how many ISTA iterations starting at f(x) saves over starting at 0 to reach the same
 * energy E(h) = ‖x − Dh‖² + λ‖h‖₁ + γ‖h − f(x)‖² (within a relative tolerance of E(h*)).
 * Values are read back asynchronously (WebGPU in Node cannot read synchronously).
 */
import { tf } from '../tf';
import type { PsdAutoencoder } from '../models/psd';
import { inferSparseCodes, sparseCodingEnergy } from '../psd/ista';
import { psdCodingOptions } from '../families/psd';

export interface PsdFigures {
  /** mean ‖f(x) − h*‖² / mean ‖h*‖². */
  predictionGap: number;
  /** Fraction of exactly-zero entries of h*. */
  codeSparsity: number;
  energyAtPrediction: number;
  energyOptimal: number;
  istaStepsFromZero: number;
  istaStepsFromPrediction: number;
  istaStepsSaved: number;
  /** The search stopped here without reaching the tolerance. */
  maxSteps: number;
  tolerance: number;
}

/** Mean energy after each of `maxSteps` iterations from h0: one read-back at the end. */
async function energyTrace(
  model: PsdAutoencoder,
  x: tf.Tensor2D,
  f: tf.Tensor2D,
  h0: tf.Tensor2D,
  maxSteps: number,
) {
  const { lambda, psd } = model.config;
  const dict = model.dict as tf.Tensor2D;
  const energies: tf.Scalar[] = [];
  const h = inferSparseCodes(x, dict, f, h0, psdCodingOptions(model, maxSteps), (hi) => {
    energies.push(tf.keep(tf.mean(sparseCodingEnergy(x, dict, f, hi, lambda, psd.gamma))));
  });
  const stacked = tf.stack(energies);
  const trace = await stacked.data();
  tf.dispose([h, stacked, ...energies]);
  return trace;
}

const firstAtOrBelow = (trace: ArrayLike<number>, target: number, cap: number) => {
  for (let i = 0; i < trace.length; i++) if (trace[i]! <= target) return i + 1;
  return cap;
};

export async function psdFigures(
  model: PsdAutoencoder,
  x: tf.Tensor2D,
  maxSteps = 300,
  tolerance = 1e-3,
): Promise<PsdFigures> {
  const { lambda, psd } = model.config;
  const dict = model.dict as tf.Tensor2D;
  const f = tf.tidy(() => model.encode(x));
  const zero = tf.zerosLike(f);
  const summary = tf.tidy(() => {
    const hStar = inferSparseCodes(x, dict, f, f, psdCodingOptions(model, maxSteps));
    return tf.stack([
      tf.mean(sparseCodingEnergy(x, dict, f, hStar, lambda, psd.gamma)),
      tf.mean(sparseCodingEnergy(x, dict, f, f, lambda, psd.gamma)),
      tf.mean(tf.sum(tf.square(tf.sub(f, hStar)), 1)),
      tf.mean(tf.sum(tf.square(hStar), 1)),
      tf.mean(tf.cast(tf.equal(hStar, 0), 'float32')),
    ]);
  });
  const [eOpt, eF, gapNum, gapDen, zeros] = Array.from(await summary.data());
  summary.dispose();
  const target = eOpt! + tolerance * Math.abs(eOpt!);
  const fromZero = firstAtOrBelow(await energyTrace(model, x, f, zero, maxSteps), target, maxSteps);
  const fromF =
    eF! <= target ? 0 : firstAtOrBelow(await energyTrace(model, x, f, f, maxSteps), target, maxSteps);
  tf.dispose([f, zero]);
  return {
    predictionGap: gapNum! / Math.max(1e-12, gapDen!),
    codeSparsity: zeros!,
    energyAtPrediction: eF!,
    energyOptimal: eOpt!,
    istaStepsFromZero: fromZero,
    istaStepsFromPrediction: fromF,
    istaStepsSaved: fromZero - fromF,
    maxSteps,
    tolerance,
  };
}
