/**
 * A run folder as `manifold-explorer train --out` writes it, read and checked before anything is
 * written: run.json (config, train options, dataset with sha256), model/model.json (the manifest:
 * resolved config, input width, categorical groups, normaliser, weight layout) and
 * model/weights.bin. Each problem is a UserError naming the file.
 */
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { UserError } from '../shared/errors';
import { describeZodError } from '../shared/model-config';
import {
  MODEL_MANIFEST_FILE,
  MODEL_WEIGHTS_FILE,
  ModelManifestSchema,
  type ModelManifest,
} from '../engine/serialize';
import type { NamedWeight } from '../engine/models/params';

export interface RunDataset {
  source?: string;
  name?: string;
  rows: number;
  dims: number;
  sha256?: string;
}

export interface RunDir {
  dir: string;
  /** run.json as written (the parts export and import read are checked). */
  run: Record<string, unknown> & { dataset: RunDataset };
  manifest: ModelManifest;
  weights: NamedWeight[];
}

export const RUN_FILE = 'run.json';
export const CODES_FILE = 'codes.npy';

async function readJson(file: string, what: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT')
      throw new UserError(
        'bad-run',
        `no ${what} here: expected a folder written by \`manifold-explorer train --out\``,
        {
          file,
        },
      );
    throw e;
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw new UserError('bad-run', `not valid JSON (${e instanceof Error ? e.message : String(e)})`, {
      file,
    });
  }
}

/** run.json alone (import needs no model). */
export async function readRunJson(dir: string): Promise<RunDir['run']> {
  const file = join(resolve(dir), RUN_FILE);
  const run = (await readJson(file, RUN_FILE)) as Record<string, unknown> | null;
  const ds = run && typeof run === 'object' ? (run.dataset as Partial<RunDataset> | undefined) : undefined;
  if (!ds || !Number.isInteger(ds.rows) || !Number.isInteger(ds.dims) || ds.rows! < 1 || ds.dims! < 1)
    throw new UserError('bad-run', 'no dataset {rows, dims} in run.json: not a run written by `train`', {
      file,
    });
  return run as RunDir['run'];
}

export async function readRunDir(dir: string): Promise<RunDir> {
  const root = resolve(dir);
  const run = await readRunJson(root);
  const manifestFile = join(root, 'model', MODEL_MANIFEST_FILE);
  const parsed = ModelManifestSchema.safeParse(await readJson(manifestFile, `model/${MODEL_MANIFEST_FILE}`));
  if (!parsed.success)
    throw new UserError('bad-model', `not a model manifest: ${describeZodError(parsed.error)}`, {
      file: manifestFile,
    });
  const manifest = parsed.data;
  const weightsFile = join(root, 'model', MODEL_WEIGHTS_FILE);
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await readFile(weightsFile));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT')
      throw new UserError('bad-run', `no model/${MODEL_WEIGHTS_FILE} beside the manifest`, {
        file: weightsFile,
      });
    throw e;
  }
  if (bytes.byteLength !== manifest.byteLength)
    throw new UserError(
      'bad-model',
      `holds ${bytes.byteLength} bytes; the manifest expects ${manifest.byteLength}`,
      { file: weightsFile },
    );
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const weights = manifest.weights.map((w) => {
    const n = w.shape.reduce((a, b) => a * b, 1);
    if (w.offset + 4 * n > bytes.byteLength)
      throw new UserError('bad-model', `weight ${w.name} runs past the end of the file`, {
        file: weightsFile,
        byteOffset: w.offset,
      });
    const data = new Float32Array(n);
    for (let i = 0; i < n; i++) data[i] = view.getFloat32(w.offset + 4 * i, true);
    return { name: w.name, shape: [...w.shape], data };
  });
  if (manifest.inputDims !== run.dataset.dims)
    throw new UserError(
      'bad-run',
      `the model reads ${manifest.inputDims} columns but run.json's dataset has ${run.dataset.dims}`,
      { file: manifestFile },
    );
  return { dir: root, run, manifest, weights };
}
