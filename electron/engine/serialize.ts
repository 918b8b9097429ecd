/**
 * A trained model as bytes, isomorphic (hosts write the files): a JSON manifest — the resolved
 * config, the input width, the categorical groups, the training normaliser and each weight's name,
 * shape and place — and one little-endian float32 buffer holding every weight in manifest order.
 * Loading rebuilds the same model class and reproduces encode/decode/reconstruct exactly.
 */
import { z } from 'zod';
import { ModelConfigSchema, describeZodError, type ModelConfig } from '../shared/model-config';
import type { CategoricalGroup } from '../shared/dataset';
import { UserError } from '../shared/errors';
import { normalizerFromJSON, normalizerToJSON, type Normalizer } from './data/normalize';
import { createAutoencoder, type AnyAutoencoder } from './models/create';
import type { NamedWeight } from './models/params';

export const MODEL_FORMAT = 'manifold-explorer-model';
export const MODEL_MANIFEST_FILE = 'model.json';
export const MODEL_WEIGHTS_FILE = 'weights.bin';

const finiteArray = z.array(z.number().refine(Number.isFinite, 'must be finite'));

export const ModelManifestSchema = z.object({
  format: z.literal(MODEL_FORMAT),
  version: z.literal(1),
  config: ModelConfigSchema,
  inputDims: z.number().int().min(1),
  latent: z.number().int().min(1),
  categorical: z
    .array(z.object({ name: z.string(), start: z.number().int().min(0), levels: z.array(z.string()) }))
    .optional(),
  normalizer: z.object({
    kind: z.enum(['none', 'standard', 'minmax']),
    offset: finiteArray,
    scale: finiteArray,
  }),
  weights: z.array(
    z.object({
      name: z.string(),
      shape: z.array(z.number().int().min(1)),
      /** Offset in the weights buffer, in bytes (a multiple of 4). */
      offset: z.number().int().min(0).multipleOf(4),
    }),
  ),
  byteLength: z.number().int().min(0),
});
export type ModelManifest = z.output<typeof ModelManifestSchema>;

export interface SavedModel {
  manifest: ModelManifest;
  weights: Uint8Array;
}

export async function saveModel(
  model: AnyAutoencoder,
  normalizer: Normalizer,
  categorical?: readonly CategoricalGroup[],
): Promise<SavedModel> {
  const ws = await model.readWeights();
  const byteLength = ws.reduce((a, w) => a + w.data.length * 4, 0);
  const buf = new ArrayBuffer(byteLength);
  const view = new DataView(buf);
  let offset = 0;
  const entries = ws.map((w) => {
    const e = { name: w.name, shape: w.shape, offset };
    for (let i = 0; i < w.data.length; i++) view.setFloat32(offset + 4 * i, w.data[i]!, true);
    offset += w.data.length * 4;
    return e;
  });
  const manifest: ModelManifest = {
    format: MODEL_FORMAT,
    version: 1,
    config: model.config,
    inputDims: model.inputDims,
    latent: model.latent,
    ...(categorical?.length
      ? { categorical: categorical.map((g) => ({ ...g, levels: [...g.levels] })) }
      : {}),
    normalizer: normalizerToJSON(normalizer),
    weights: entries,
    byteLength,
  };
  return { manifest, weights: new Uint8Array(buf) };
}

export interface LoadedModel {
  model: AnyAutoencoder;
  normalizer: Normalizer;
  config: ModelConfig;
}

export function loadModel(manifestJson: unknown, weights: Uint8Array, file = 'model'): LoadedModel {
  const parsed = ModelManifestSchema.safeParse(manifestJson);
  if (!parsed.success)
    throw new UserError('bad-model', `${file}: not a model manifest: ${describeZodError(parsed.error)}`);
  const m = parsed.data;
  if (m.normalizer.offset.length !== m.inputDims || m.normalizer.scale.length !== m.inputDims)
    throw new UserError(
      'bad-model',
      `${file}: the normaliser has ${m.normalizer.offset.length} columns, the model ${m.inputDims}`,
    );
  if (weights.byteLength !== m.byteLength)
    throw new UserError(
      'bad-model',
      `${file}: the weights hold ${weights.byteLength} bytes, the manifest expects ${m.byteLength}`,
    );
  const view = new DataView(weights.buffer, weights.byteOffset, weights.byteLength);
  const named: NamedWeight[] = m.weights.map((w) => {
    const n = w.shape.reduce((a, b) => a * b, 1);
    if (w.offset + 4 * n > weights.byteLength)
      throw new UserError('bad-model', `${file}: weight ${w.name} runs past the end of the weights`, {
        byteOffset: w.offset,
      });
    const data = new Float32Array(n);
    for (let i = 0; i < n; i++) data[i] = view.getFloat32(w.offset + 4 * i, true);
    return { name: w.name, shape: w.shape, data };
  });
  const model = createAutoencoder(m.config, m.inputDims, m.categorical ? { categorical: m.categorical } : {});
  try {
    model.setWeights(named);
  } catch (e) {
    model.dispose();
    throw new UserError('bad-model', `${file}: ${e instanceof Error ? e.message : String(e)}`);
  }
  return { model, normalizer: normalizerFromJSON(m.normalizer), config: model.config };
}
