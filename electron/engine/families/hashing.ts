/**
 * Semantic hashing (Salakhutdinov & Hinton 2009; docs/theory.md, "Hashing"): the code layer's logits a(x) pass
 * through a sigmoid after Gaussian noise, h = σ(a + ε), ε ~ N(0, s²), so only saturated codes carry
 * information reliably; or through a straight-through binariser, h = 1[σ(a) > ½] forward with the
 * gradient of σ(a) backward. Loss: −log p(x | g(h)).
 */
import { tf } from '../tf';
import type { ModelConfig } from '../../shared/model-config';
import { reconstructionLoss } from '../losses';
import { decodeLogits, encodePre, type CodecView } from '../models/stack';
import type { Objective } from './objective';

/** 1[p > ½] forward; the identity backward (the straight-through estimator). */
export const straightThrough = tf.customGrad((p) => ({
  value: tf.cast(tf.greater(p as tf.Tensor, 0.5), 'float32'),
  gradFunc: (dy) => dy as tf.Tensor,
}));

/** The training-time code from the logits a [n, k]. */
export function hashingTrainCode(a: tf.Tensor2D, cfg: ModelConfig['hashing'], seed: number): tf.Tensor2D {
  if (cfg.method === 'straight-through') return straightThrough(tf.sigmoid(a)) as tf.Tensor2D;
  if (cfg.noiseStd === 0) return tf.sigmoid(a);
  return tf.sigmoid(tf.add(a, tf.randomNormal(a.shape, 0, cfg.noiseStd, 'float32', seed))) as tf.Tensor2D;
}

export function hashingObjective(view: CodecView, cfg: ModelConfig): Objective {
  return {
    variables: view.variables,
    partNames: ['reconstruction'],
    parts(x, seed) {
      const h = hashingTrainCode(encodePre(view, x), cfg.hashing, seed);
      return [reconstructionLoss(x, decodeLogits(view, h), view.output)];
    },
    dispose() {},
  };
}
