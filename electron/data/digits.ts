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

/**
 * 28×28 images in [0, 1] → 8×8 counts 0–16, as UCI's optdigits were made from 32×32 bitmaps: the
 * image centred on a 32×32 grid, thresholded at ½, and the set pixels counted per 4×4 block.
 */
export function countBlocks(images: Float32Array, rows: number): Float32Array {
  const out = new Float32Array(rows * 64);
  for (let r = 0; r < rows; r++)
    for (let b = 0; b < 64; b++) {
      const by = Math.floor(b / 8);
      const bx = b % 8;
      let c = 0;
      for (let y = 0; y < 4; y++)
        for (let x = 0; x < 4; x++) {
          const yy = by * 4 + y - 2;
          const xx = bx * 4 + x - 2;
          if (yy >= 0 && yy < 28 && xx >= 0 && xx < 28 && images[r * 784 + yy * 28 + xx]! > 0.5) c++;
        }
      out[r * 64 + b] = c;
    }
  return out;
}

export async function loadDigits(
  given: Partial<SampleParams>,
  opts: ResolvedOptions,
  name: 'digits' | 'digits-8x8' = 'digits',
): Promise<Dataset> {
  const info = sampleInfo(name);
  const p = resolveSampleParams(info, given);
  if (given.noise !== undefined && given.noise !== 0)
    throw new DataError(
      'data.bad-option',
      `noise does not apply to sample:${name} (real data); add noise with the denoising model`,
      {
        file: `sample:${name}`,
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
    throw new DataError('data.bad-option', `sample:${name} has ${total} rows; asked for ${p.rows}`, {
      file: `sample:${name}`,
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
  const small = name === 'digits-8x8';
  if (small) data = countBlocks(data, p.rows);
  const ds: Dataset = {
    name: info.title,
    source: `sample:${name}?rows=${p.rows}&seed=${p.seed}`,
    sha256: createHash('sha256')
      .update(new Uint8Array(data.buffer, data.byteOffset, data.byteLength))
      .digest('hex'),
    rows: p.rows,
    dims: small ? 64 : body.dims,
    data,
    labels,
    labelNames: lab.labelNames,
  };
  if (small) ds.image = { width: 8, height: 8, channels: 1 };
  else if (body.image) ds.image = body.image;
  return ds;
}
