/**
 * `sample:digits`: 5,000 MNIST digits shipped in assets/digits (see its README for the source and
 * the licence), read with the IDX loader; `rows` takes a seeded random subset (all 5,000 by
 * default, in the file's balanced order).
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Dataset } from '../shared/dataset';
import { createRng, permutation } from '../engine/random';
import { DataError } from './errors';
import { loadIdx, readIdxLabels } from './idx';
import type { ResolvedOptions } from './options';
import { resolveSampleParams, sampleInfo, type SampleParams } from './samples/generate';

const IMAGES = 'digits-images-idx3-ubyte.gz';
const LABELS = 'digits-labels-idx1-ubyte.gz';

/**
 * The folder holding the digits files: assets/digits found by walking up from this module (the
 * source tree in tests, out/main/ in the build, app.asar/out/main/ when packaged), or
 * MANIFOLD_EXPLORER_ASSETS.
 */
export function digitsFolder(): string {
  const env = process.env.MANIFOLD_EXPLORER_ASSETS;
  if (env && existsSync(join(env, 'digits', IMAGES))) return join(env, 'digits');
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    const cand = join(dir, 'assets', 'digits');
    if (existsSync(join(cand, IMAGES))) return cand;
    dir = dirname(dir);
  }
  throw new DataError(
    'data.missing-file',
    'the built-in digits are missing from this installation (assets/digits); reinstall the app',
    {
      file: 'sample:digits',
    },
  );
}

export async function loadDigits(given: Partial<SampleParams>, opts: ResolvedOptions): Promise<Dataset> {
  const info = sampleInfo('digits');
  const p = resolveSampleParams(info, given);
  if (given.noise !== undefined && given.noise !== 0)
    throw new DataError(
      'data.bad-option',
      'noise does not apply to sample:digits (real data); add noise with the denoising model',
      {
        file: 'sample:digits',
      },
    );
  const folder = digitsFolder();
  const o: ResolvedOptions = {
    ...opts,
    missing: 'error',
    minRows: 0,
    rawPixels: false,
    transposeImages: false,
  };
  const body = await loadIdx(join(folder, IMAGES), true, o);
  const lab = await readIdxLabels(join(folder, LABELS), o);
  const total = body.rows;
  if (p.rows > total)
    throw new DataError('data.bad-option', `sample:digits has ${total} rows; asked for ${p.rows}`, {
      file: 'sample:digits',
    });
  let data = body.data;
  let labels = lab.labels;
  if (p.rows < total) {
    const pick = permutation(total, createRng(p.seed)).slice(0, p.rows).sort();
    data = new Float32Array(p.rows * body.dims);
    labels = new Int32Array(p.rows);
    pick.forEach((r, i) => {
      data.set(body.data.subarray(r * body.dims, (r + 1) * body.dims), i * body.dims);
      labels[i] = lab.labels[r]!;
    });
  }
  const ds: Dataset = {
    name: info.title,
    source: `sample:digits?rows=${p.rows}&seed=${p.seed}`,
    sha256: createHash('sha256')
      .update(new Uint8Array(data.buffer, data.byteOffset, data.byteLength))
      .digest('hex'),
    rows: p.rows,
    dims: body.dims,
    data,
    labels,
    labelNames: lab.labelNames,
  };
  if (body.image) ds.image = body.image;
  return ds;
}
