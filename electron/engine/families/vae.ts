/**
 * The VAE's loss, the negative ELBO (THEORY.md §4): E_{ε}[−log p(x | μ + σ⊙ε)] + β·KL(q(h|x) ‖ N(0, I)),
 * one reparameterised sample per point, β = λ (1 by default).
 */
import { tf } from '../tf';
import { reconstructionLoss } from '../losses';
import { gaussianKl, reparameterize } from '../regularizers/kl';
import type { VaeAutoencoder } from '../models/vae';
import type { Objective } from './objective';

export function vaeObjective(model: VaeAutoencoder): Objective {
  const beta = model.config.lambda;
  return {
    variables: model.variables,
    partNames: ['reconstruction', 'kl'],
    parts(x, seed) {
      const { mu, logvar } = model.posterior(x);
      const h = reparameterize(mu, logvar, seed);
      return [
        reconstructionLoss(x, model.decodeLogits(h), model.output),
        tf.mul(beta, tf.mean(gaussianKl(mu, logvar))),
      ];
    },
    dispose() {},
  };
}
