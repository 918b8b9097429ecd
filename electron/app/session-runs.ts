/**
 * A session's runs, checked before they are adopted: the CRC only says the file is as written, not
 * that whoever wrote it wrote a consistent run. Each model (the result's and the checkpoint's) must
 * have a manifest whose weight specs tile its weights buffer exactly — in order, without gaps or
 * overlaps, each weight rows × cols × … float32s — for the dataset's width; codes and
 * reconstructions must have the dataset's rows. Anything else is `session.corrupt`, naming the run,
 * instead of a run that imports as ok and fails (or silently misbehaves) at analysis.
 *
 * The check repeats the parts of engine/serialize.ts's manifest that decide how bytes are read, so
 * the main process does not load TensorFlow.js to open a session.
 */
import { z } from 'zod';
import { UserError } from '../shared/errors';
import type { SessionRun } from './session-file';

const WeightManifest = z.object({
  format: z.literal('manifold-explorer-model'),
  version: z.literal(1),
  inputDims: z.number().int().min(1),
  latent: z.number().int().min(1),
  normalizer: z.object({ offset: z.array(z.number()), scale: z.array(z.number()) }),
  weights: z.array(
    z.object({
      name: z.string(),
      shape: z.array(z.number().int().min(1)),
      offset: z.number().int().min(0),
    }),
  ),
  byteLength: z.number().int().min(0),
});

/** Why these model bytes cannot be the model of a `dims`-wide dataset, or null when they can. */
export function modelProblem(model: { manifest: unknown; weights: Uint8Array }, dims: number): string | null {
  const parsed = WeightManifest.safeParse(model.manifest);
  if (!parsed.success) return 'its model manifest is not valid';
  const m = parsed.data;
  if (m.inputDims !== dims) return `its model reads ${m.inputDims} columns, the dataset has ${dims}`;
  if (m.normalizer.offset.length !== dims || m.normalizer.scale.length !== dims)
    return `its normaliser has ${m.normalizer.offset.length} columns, the dataset ${dims}`;
  if (m.weights.length === 0) return 'its model has no weights';
  let at = 0;
  for (const w of m.weights) {
    if (w.offset !== at) return `weight ${w.name} starts at byte ${w.offset}, expected ${at}`;
    at += 4 * w.shape.reduce((a, b) => a * b, 1);
  }
  if (m.byteLength !== at)
    return `the manifest declares ${m.byteLength} weight bytes, its weights need ${at}`;
  if (model.weights.byteLength !== at)
    return `the weights hold ${model.weights.byteLength} bytes, the manifest expects ${at} (truncated or mismatched)`;
  return null;
}

/** Throw `session.corrupt` naming the run when its saved arrays cannot be this dataset's. */
export function checkRun(r: SessionRun, rows: number, dims: number, file: string): void {
  const id = r.summary.runId;
  const fail = (why: string) => new UserError('session.corrupt', `run ${id}: ${why}`, { file });
  const tensor = (what: string, t: { data: Float32Array; shape: number[] }, cols?: number) => {
    if (t.shape.length !== 2 || t.shape[0] !== rows || (cols !== undefined && t.shape[1] !== cols))
      throw fail(`its ${what} have shape ${JSON.stringify(t.shape)}, expected ${rows} rows × ${cols ?? 'k'}`);
    if (t.data.length !== t.shape[0]! * t.shape[1]!)
      throw fail(`its ${what} hold ${t.data.length} values for ${t.shape.join(' × ')}`);
  };
  if (r.model) {
    const why = modelProblem(r.model, dims);
    if (why) throw fail(why);
  }
  if (r.checkpoint) {
    const why = modelProblem(r.checkpoint.model, dims);
    if (why) throw fail(`checkpoint (epoch ${r.checkpoint.epoch}): ${why}`);
  }
  const latent = (r.model?.manifest as { latent?: number } | undefined)?.latent;
  if (r.codes) tensor('codes', r.codes, latent);
  if (r.reconstructions) tensor('reconstructions', r.reconstructions, dims);
}
