/**
 * Objectives of the dense families over a codec view (the whole model, or one greedy stage):
 *   linear, undercomplete, deep:  −log p(x | g(f(x)))
 *   sparse:                       + λ Σ_i |h_i|
 *   denoising:                    −log p(x | g(f(x̃))), x̃ ~ C(x̃ | x)
 *   contractive:                  + λ ‖J_f(x)‖²_F (closed form, exact or stochastic)
 */
import { tf } from '../tf';
import type { ModelConfig } from '../../shared/model-config';
import { reconstructionLoss } from '../losses';
import { corrupt, type ColumnRange } from '../corruption';
import { l1Penalty } from '../regularizers/sparsity';
import { contractiveClosedForm, contractiveDense, contractiveStochastic } from '../regularizers/contractive';
import { decodeLogits, encodeView, type CodecView } from '../models/stack';
import type { Objective } from './objective';

/** ‖J_f(x)‖²_F per point for a view's encoder, by the configured method. Closed form applies only
 *  when the encoder is one sigmoid layer; otherwise `closed-form` falls back to the exact VJPs. */
export function contractivePenalty(
  view: CodecView,
  cfg: ModelConfig['contractive'],
  x: tf.Tensor2D,
  seed: number,
): tf.Tensor1D {
  const f = (xx: tf.Tensor2D) => encodeView(view, xx);
  const only = view.encoder.length === 1 ? view.encoder[0]! : undefined;
  if (cfg.method === 'stochastic') return contractiveStochastic(f, x, cfg.sigma, cfg.samples, seed);
  if (cfg.method === 'closed-form' && only?.activation === 'sigmoid')
    return contractiveClosedForm(x, only.w as tf.Tensor2D, only.b as tf.Tensor1D);
  // Exact: the dense chain-rule product (same value as the k vector-Jacobian products of
  // contractiveExact, checked in tests, at a fraction of the work).
  return contractiveDense(
    view.encoder.map((l) => ({
      w: l.w as tf.Tensor2D,
      b: l.b as tf.Tensor1D,
      activation: l.activation,
      transposeW: l.transposeW,
    })),
    x,
  );
}

export function denseObjective(view: CodecView, cfg: ModelConfig, range?: ColumnRange): Objective {
  const family = cfg.family;
  const hasPenalty = family === 'sparse' || family === 'contractive';
  return {
    variables: view.variables,
    partNames: hasPenalty ? ['reconstruction', 'penalty'] : ['reconstruction'],
    parts(x, seed) {
      const input = family === 'denoising' ? corrupt(x, cfg.noise, seed, range) : x;
      const h = encodeView(view, input);
      const rec = reconstructionLoss(x, decodeLogits(view, h), view.output);
      if (family === 'sparse') return [rec, tf.mean(l1Penalty(h, cfg.lambda))];
      if (family === 'contractive')
        return [rec, tf.mul(cfg.lambda, tf.mean(contractivePenalty(view, cfg.contractive, x, seed)))];
      return [rec];
    },
    dispose() {},
  };
}
