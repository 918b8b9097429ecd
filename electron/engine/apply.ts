/**
 * A trained (or loaded) model on new data in original units: normalise with the training
 * normaliser, run the model in chunks, map reconstructions back.
 */
import { denormalize, normalize, type Normalizer } from './data/normalize';
import type { Autoencoder } from './models/autoencoder';
import { mapRows } from './inference';
import { UserError } from '../shared/errors';

function input(model: Autoencoder, normalizer: Normalizer, data: Float32Array, rows: number): Float32Array {
  if (data.length !== rows * model.inputDims)
    throw new UserError(
      'bad-shape',
      `expected ${rows} rows × ${model.inputDims} columns, got ${data.length} values`,
    );
  return normalize(normalizer, data);
}

/** codes.npy's content for new rows: rows × k. */
export async function encodeRows(
  model: Autoencoder,
  normalizer: Normalizer,
  data: Float32Array,
  rows: number,
) {
  return (await mapRows(input(model, normalizer, data, rows), rows, model.inputDims, (x) => model.codes(x)))
    .values;
}

/** Reconstructions in original units: rows × d. */
export async function reconstructRows(
  model: Autoencoder,
  normalizer: Normalizer,
  data: Float32Array,
  rows: number,
) {
  const r = await mapRows(input(model, normalizer, data, rows), rows, model.inputDims, (x) =>
    model.reconstruct(x),
  );
  return denormalize(normalizer, r.values);
}

/** Decode codes (rows × k) to original units: rows × d. */
export async function decodeRows(
  model: Autoencoder,
  normalizer: Normalizer,
  codes: Float32Array,
  rows: number,
) {
  if (codes.length !== rows * model.latent)
    throw new UserError(
      'bad-shape',
      `expected ${rows} codes of length ${model.latent}, got ${codes.length} values`,
    );
  const r = await mapRows(codes, rows, model.latent, (h) => model.decode(h));
  return denormalize(normalizer, r.values);
}
