/**
 * The VAE's evidence lower bound by parts (docs/theory.md, "VAE"), per row, averaged:
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

export async function vaeFigures(
  model: VaeAutoencoder,
  x: tf.Tensor2D,
  samples = 4,
  seed = 0x5eed,
): Promise<VaeFigures> {
  // [reconstruction averaged over the samples, KL, KL per unit…], computed on the device, read once.
  const packed = tf.tidy(() => {
    const { mu, logvar } = model.posterior(x);
    const recs = Array.from({ length: samples }, (_, s) =>
      tf.mean(
        rowNll(
          x,
          model.decodeLogits(reparameterize(mu, logvar, seed + s)),
          model.output,
          model.outputLogvar as tf.Tensor1D | undefined,
        ),
      ),
    );
    const perUnit = tf.mean(tf.mul(0.5, tf.sub(tf.add(tf.square(mu), tf.exp(logvar)), tf.add(logvar, 1))), 0);
    return tf.concat([tf.stack([tf.div(tf.addN(recs), samples), tf.mean(gaussianKl(mu, logvar))]), perUnit]);
  });
  const v = await packed.data();
  packed.dispose();
  const rec = v[0]! + nllConstant(model.output);
  const kl = v[1]!;
  return {
    elbo: -(rec + kl),
    reconstruction: rec,
    kl,
    activeUnits: Array.from(v.subarray(2)).filter((u) => u > 0.01).length,
    samples,
  };
}
