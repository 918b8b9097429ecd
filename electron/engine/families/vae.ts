/**
 * The VAE's loss, the negative ELBO (docs/theory.md, "VAE"): E_{ε}[−log p(x | μ + σ⊙ε)] + β·KL(q(h|x) ‖ N(0, I)),
 * one reparameterised sample per point, β = λ (1 by default, warmed up from 0 over the first
 * epochs: config.klWarmup); a gaussian decoder's variance is
 * learned per feature by default (config.outputVariance).
 */
import { tf } from '../tf';
import { reconstructionLoss } from '../losses';
import { gaussianKl, reparameterize } from '../regularizers/kl';
import type { VaeAutoencoder } from '../models/vae';
import type { Objective } from './objective';

export function vaeObjective(model: VaeAutoencoder): Objective {
  const beta = model.config.lambda;
  const warmup = model.config.klWarmup;
  let factor = 1;
  return {
    warmup,
    setProgress(epoch, epochs) {
      factor = warmup > 0 && Number.isFinite(epoch) ? Math.min(1, epoch / (warmup * epochs)) : 1;
    },
    variables: model.variables,
    partNames: ['reconstruction', 'kl'],
    parts(x, seed) {
      const { mu, logvar } = model.posterior(x);
      const h = reparameterize(mu, logvar, seed);
      const logvarOut = model.outputLogvar as tf.Tensor1D | undefined;
      return [
        reconstructionLoss(x, model.decodeLogits(h), model.output, logvarOut),
        tf.mul(beta * factor, tf.mean(gaussianKl(mu, logvar))),
      ];
    },
    dispose() {},
  };
}
