/**
 * PSD's figures (THEORY.md §5): how close the fast predictor f(x) is to the optimised sparse code
 * h*, and how many ISTA iterations starting at f(x) saves over starting at 0 to reach the same
 * energy E(h) = ‖x − Dh‖² + λ‖h‖₁ + γ‖h − f(x)‖² (within a relative tolerance of E(h*)).
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

function stepsToReach(
  model: PsdAutoencoder,
  x: tf.Tensor2D,
  f: tf.Tensor2D,
  h0: tf.Tensor2D,
  target: number,
  maxSteps: number,
): number {
  let reached = maxSteps;
  let done = false;
  const h = inferSparseCodes(
    x,
    model.dict as tf.Tensor2D,
    f,
    h0,
    { ...psdCodingOptions(model, maxSteps) },
    (hi, i) => {
      if (done) return;
      const e = tf.tidy(
        () =>
          tf
            .mean(
              sparseCodingEnergy(
                x,
                model.dict as tf.Tensor2D,
                f,
                hi,
                model.config.lambda,
                model.config.psd.gamma,
              ),
            )
            .dataSync()[0]!,
      );
      if (e <= target) {
        reached = i;
        done = true;
      }
    },
  );
  h.dispose();
  return reached;
}

export function psdFigures(
  model: PsdAutoencoder,
  x: tf.Tensor2D,
  maxSteps = 300,
  tolerance = 1e-3,
): PsdFigures {
  return tf.tidy(() => {
    const { lambda, psd } = model.config;
    const dict = model.dict as tf.Tensor2D;
    const f = model.encode(x);
    const hStar = inferSparseCodes(x, dict, f, f, psdCodingOptions(model, maxSteps));
    const mean = (t: tf.Tensor) => tf.mean(t).dataSync()[0]!;
    const eOpt = mean(sparseCodingEnergy(x, dict, f, hStar, lambda, psd.gamma));
    const eF = mean(sparseCodingEnergy(x, dict, f, f, lambda, psd.gamma));
    const gap =
      mean(tf.sum(tf.square(tf.sub(f, hStar)), 1)) / Math.max(1e-12, mean(tf.sum(tf.square(hStar), 1)));
    const zeros = mean(tf.cast(tf.equal(hStar, 0), 'float32'));
    const target = eOpt + tolerance * Math.abs(eOpt);
    const fromZero = stepsToReach(model, x, f, tf.zerosLike(f), target, maxSteps);
    const fromF = eF <= target ? 0 : stepsToReach(model, x, f, f, target, maxSteps);
    return {
      predictionGap: gap,
      codeSparsity: zeros,
      energyAtPrediction: eF,
      energyOptimal: eOpt,
      istaStepsFromZero: fromZero,
      istaStepsFromPrediction: fromF,
      istaStepsSaved: fromZero - fromF,
      maxSteps,
      tolerance,
    };
  });
}
