/**
 * PSD's alternating training (docs/theory.md, "PSD"): each step first infers h* by ISTA/FISTA from f(x) with
 * D and f fixed (`prepare`, not differentiated), then takes a gradient step on D and f with h*
 * fixed, then renormalises D's atoms. Parts: reconstruction ‖x − Dh*‖², penalty λ‖h*‖₁ (constant
 * in the parameters, reported), prediction γ‖h* − f(x)‖².
 */
import { tf } from '../tf';
import { matMul } from '../layers/dense';
import { inferSparseCodes } from '../psd/ista';
import type { PsdAutoencoder } from '../models/psd';
import type { Objective } from './objective';

export function psdCodingOptions(model: PsdAutoencoder, steps = model.config.psd.steps) {
  const { lambda, psd } = model.config;
  return { lambda, gamma: psd.gamma, steps, fista: psd.fista };
}

export function psdObjective(model: PsdAutoencoder): Objective {
  const { lambda, psd } = model.config;
  return {
    variables: model.variables,
    partNames: ['reconstruction', 'penalty', 'prediction'],
    prepare(x) {
      const f = model.encode(x);
      return [inferSparseCodes(x, model.dict as tf.Tensor2D, f, f, psdCodingOptions(model))];
    },
    parts(x, _seed, prepared) {
      const h = prepared[0] as tf.Tensor2D;
      const rec = tf.mean(tf.sum(tf.square(tf.sub(x, matMul(h, model.dict as tf.Tensor2D))), 1)) as tf.Scalar;
      const pen = tf.mul(lambda, tf.mean(tf.sum(tf.abs(h), 1))) as tf.Scalar;
      const pred = tf.mul(psd.gamma, tf.mean(tf.sum(tf.square(tf.sub(h, model.encode(x))), 1))) as tf.Scalar;
      return [rec, pen, pred];
    },
    afterUpdate() {
      model.normalizeDictionary();
    },
    dispose() {},
  };
}
