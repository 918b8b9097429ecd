/**
 * The VAE's evidence lower bound by parts (THEORY.md §4), per row, averaged:
 *   ELBO = E_q[log p(x | h)] − KL(q(h | x) ‖ N(0, I)),
 * the expectation estimated with `samples` reparameterised draws; log p includes its constant.
 */
import { tf } from '../tf';
import type { VaeAutoencoder } from '../models/vae';
import { nllConstant, rowNll } from '../losses';
import { gaussianKl, reparameterize } from '../regularizers/kl';

export interface VaeFigures {
  elbo: number;
  /** E_q[−log p(x | h)], constant included. */
  reconstruction: number;
  kl: number;
  /** Code units whose mean KL exceeds 0.01 nats (the others are unused: posterior = prior). */
  activeUnits: number;
  samples: number;
}

export function vaeFigures(model: VaeAutoencoder, x: tf.Tensor2D, samples = 4, seed = 0x5eed): VaeFigures {
  return tf.tidy(() => {
    const { mu, logvar } = model.posterior(x);
    let rec = 0;
    for (let s = 0; s < samples; s++) {
      const h = reparameterize(mu, logvar, seed + s);
      rec += tf.mean(rowNll(x, model.decodeLogits(h), model.output)).dataSync()[0]!;
    }
    rec = rec / samples + nllConstant(model.output);
    const kl = tf.mean(gaussianKl(mu, logvar)).dataSync()[0]!;
    const perUnit = tf
      .mean(tf.mul(0.5, tf.sub(tf.add(tf.square(mu), tf.exp(logvar)), tf.add(logvar, 1))), 0)
      .dataSync();
    return {
      elbo: -(rec + kl),
      reconstruction: rec,
      kl,
      activeUnits: Array.from(perUnit).filter((v) => v > 0.01).length,
      samples,
    };
  });
}
