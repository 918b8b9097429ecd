/**
 * `loadDataset(spec)`: the one entry point for `--data` and the app's "open dataset". `spec` is a
 * file, a folder of images, or `sample:NAME?rows=…&noise=…&seed=…`. The format is chosen by magic
 * bytes first (a file named .npy that is not one is reported as such), then by extension, then by
 * content (text starting with [ or { is JSON, other text is CSV/TSV). Every failure a user can fix
 * is a DataError (a UserError) naming the file and the place.
 */
import { createReadStream } from 'node:fs';
import { basename } from 'node:path';
import { createGunzip } from 'node:zlib';
import type { Dataset } from '../shared/dataset';
import { loadCsv } from './csv';
import { DataError, fmtBytes } from './errors';
import { findIdxLabels, loadIdx } from './idx';
import { loadJson } from './json';
import { loadLabelsFile, type Labels } from './labels';
import { loadNpy } from './npy';
import type { LoadOptions, ResolvedOptions } from './options';
import { loadDigits } from './digits';
import { generateSample, parseSampleSpec, sampleInfo, type SampleParams } from './samples/generate';
import { gzipDeclaredSize, isGzip, readHead, statPath } from './source';
import { checkLabelCount, DEFAULT_MAX_BYTES, DEFAULT_MIN_ROWS, type LoadedBody } from './validate';

export type { LoadOptions } from './options';

export type Format = 'csv' | 'npy' | 'idx' | 'json' | 'images' | 'sample';

function resolveOptions(o: LoadOptions): ResolvedOptions {
  const missing = o.missing ?? 'error';
  if (missing !== 'error' && missing !== 'drop' && missing !== 'mean')
    throw new DataError(
      'data.bad-option',
      `missing must be error, drop or mean, got ${JSON.stringify(missing)}`,
    );
  const maxBytes = o.maxBytes ?? DEFAULT_MAX_BYTES;
  if (!(maxBytes > 0))
    throw new DataError(
      'data.bad-option',
      `the memory limit must be a positive number of bytes, got ${maxBytes}`,
    );
  if (o.decimal !== undefined && o.decimal !== '.' && o.decimal !== ',')
    throw new DataError('data.bad-option', `decimal must be "." or ",", got ${JSON.stringify(o.decimal)}`);
  if (o.maxGzipRatio !== undefined && !(o.maxGzipRatio >= 1))
    throw new DataError('data.bad-option', `maxGzipRatio must be a number ≥ 1, got ${o.maxGzipRatio}`);
  const minRows = o.minRows ?? DEFAULT_MIN_ROWS;
  if (!(Number.isInteger(minRows) && minRows >= 0))
    throw new DataError('data.bad-option', `minRows must be a whole number ≥ 0, got ${minRows}`);
  return { ...o, missing, maxBytes, minRows };
}

/** The first bytes of a gzip file's content (not its compressed bytes), for format detection. */
async function peekGunzip(file: string, n: number): Promise<Uint8Array> {
  const raw = createReadStream(file, { start: 0, end: 1 << 16 });
  const gunzip = createGunzip();
  const out: Buffer[] = [];
  let have = 0;
  await new Promise<void>((resolve) => {
    const done = () => {
      raw.destroy();
      gunzip.destroy();
      resolve();
    };
    gunzip.on('data', (c: Buffer) => {
      out.push(c);
      have += c.length;
      if (have >= n) done();
    });
    // A truncated or corrupt stream is reported when the loader reads it in full.
    gunzip.on('error', done);
    gunzip.on('end', done);
    raw.on('error', done);
    raw.pipe(gunzip);
  });
  return new Uint8Array(Buffer.concat(out).subarray(0, n));
}

const IMAGE_MAGIC = [
  [0x89, 0x50, 0x4e, 0x47],
  [0xff, 0xd8, 0xff],
];

/** Which loader reads this file. */
export function detectFormat(
  file: string,
  head: Uint8Array,
): Exclude<Format, 'images' | 'sample'> | 'zip' | 'image' | 'other' {
  const name = file.toLowerCase().replace(/\.gz$/, '');
  const starts = (m: number[]) => m.every((b, i) => head[i] === b);
  if (starts([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59])) return 'npy';
  if (
    head.length >= 4 &&
    head[0] === 0 &&
    head[1] === 0 &&
    head[2]! >= 0x08 &&
    head[2]! <= 0x0e &&
    head[3]! >= 1 &&
    head[3]! <= 8
  )
    return 'idx';
  if (starts([0x50, 0x4b, 0x03, 0x04])) return 'zip';
  if (
    starts([0x50, 0x41, 0x52, 0x31]) ||
    starts([0x89, 0x48, 0x44, 0x46]) ||
    starts([0x25, 0x50, 0x44, 0x46])
  )
    return 'other';
  if (IMAGE_MAGIC.some(starts)) return 'image';
  // By extension: a binary format whose magic is wrong is reported by its own loader.
  if (name.endsWith('.npy')) return 'npy';
  if (/(\.idx\d?|[-.]idx\d-u?byte|[-.]u?byte)$/.test(name)) return 'idx';
  if (name.endsWith('.json')) return 'json';
  if (/\.(csv|tsv|txt|dat|data)$/.test(name)) return 'csv';
  let i = 0;
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) i = 3;
  while (i < head.length && (head[i] === 0x20 || head[i] === 0x09 || head[i] === 0x0a || head[i] === 0x0d))
    i++;
  if (head[i] === 0x5b || head[i] === 0x7b) return 'json';
  return 'csv';
}

function datasetName(file: string): string {
  return (
    basename(file.replace(/[/\\]+$/, ''))
      .replace(/(\.gz)$/i, '')
      .replace(/\.[^.]+$/, '') || file
  );
}

async function loadSample(spec: string, opts: ResolvedOptions): Promise<Dataset> {
  const { name, params } = parseSampleSpec(spec);
  const merged: Partial<SampleParams> = { ...params };
  if (merged.rows === undefined && opts.rows !== undefined) merged.rows = opts.rows;
  if (merged.noise === undefined && opts.noise !== undefined) merged.noise = opts.noise;
  if (merged.seed === undefined && opts.seed !== undefined) merged.seed = opts.seed;
  const info = sampleInfo(name, spec);
  const ds = info.real
    ? await loadDigits(merged, opts, name === 'digits-8x8' ? 'digits-8x8' : 'digits')
    : generateWithin(spec, name, info.dims, info.intrinsicDims, info.defaultRows, merged, opts);
  if (ds.rows < opts.minRows)
    throw new DataError(
      'data.too-few-rows',
      `only ${ds.rows} rows; at least ${opts.minRows} are needed to train`,
      { file: spec },
    );
  return ds;
}

/** Generate a synthetic sample after checking its size against the memory limit. */
function generateWithin(
  spec: string,
  name: string,
  dims: number,
  intrinsicDims: number,
  defaultRows: number,
  merged: Partial<SampleParams>,
  opts: ResolvedOptions,
): Dataset {
  const rows = merged.rows ?? defaultRows;
  // Per row, float32: the point and the score (d each), coordinates (m) and tangents (m × d).
  const bytes = rows * 4 * (2 * dims + intrinsicDims * (1 + dims));
  if (bytes > opts.maxBytes)
    throw new DataError(
      'data.too-large',
      `generating ${rows} rows needs about ${fmtBytes(bytes)}; the limit is ${fmtBytes(opts.maxBytes)}`,
      {
        file: spec,
      },
    );
  return generateSample(name, merged);
}

/** Fashion-MNIST's ten classes (Xiao, Rasul & Vollgraf 2017), in label order. */
const FASHION_CLASSES = [
  'T-shirt/top',
  'Trouser',
  'Pullover',
  'Dress',
  'Coat',
  'Sandal',
  'Shirt',
  'Sneaker',
  'Bag',
  'Ankle boot',
];

/** IDX files from a Fashion-MNIST folder get the class names instead of the digits 0–9. */
function fashionNames(file: string, names: string[] | undefined): string[] | undefined {
  if (!/fashion/i.test(file) || !names || names.length !== 10) return undefined;
  return names.every((n, i) => n === String(i)) ? [...FASHION_CLASSES] : undefined;
}

/** Load any supported dataset. See LoadOptions for the options. */
export async function loadDataset(spec: string, options: LoadOptions = {}): Promise<Dataset> {
  if (typeof spec !== 'string' || spec.trim() === '')
    throw new DataError('data.bad-option', 'no dataset given; expected a file, a folder or sample:NAME');
  const opts = resolveOptions(options);
  if (spec.startsWith('sample:')) return loadSample(spec, opts);
  const file = spec;
  const st = await statPath(file);
  let body: LoadedBody;
  let labelsFile = opts.labels;
  if (
    st.isDirectory() &&
    /\.(csv|tsv|txt|dat|data|npy|json|gz|idx\d?|u?byte)$/i.test(file.replace(/[/\\]+$/, ''))
  )
    throw new DataError('data.not-a-file', 'is a folder; expected a file', { file });
  if (st.isDirectory()) {
    const { loadImageFolder } = await import('./images');
    body = await loadImageFolder(file, opts);
  } else {
    if (!st.isFile())
      throw new DataError(
        'data.not-a-file',
        'is not a regular file; expected a data file or a folder of images',
        { file },
      );
    if (st.size === 0)
      throw new DataError('data.empty', 'empty file (0 bytes); expected a dataset', { file });
    const rawHead = await readHead(file, 16);
    const gzip = isGzip(rawHead);
    const head = gzip ? await peekGunzip(file, 16) : rawHead;
    const kind = detectFormat(file, head);
    const declared = gzip ? Math.max(await gzipDeclaredSize(file, st.size), st.size) : st.size;
    switch (kind) {
      case 'zip':
        throw new DataError(
          'data.unknown-format',
          /\.xlsx?$/i.test(file)
            ? 'an Excel workbook; expected CSV: save the sheet as CSV'
            : 'a ZIP archive; expected a single data file (for .npz: extract the array with np.load(f)["x"] and save it with np.save)',
          { file, byteOffset: 0 },
        );
      case 'other':
        throw new DataError(
          'data.unknown-format',
          `a ${{ PAR1: 'Parquet', '\x89HDF': 'HDF5', '%PDF': 'PDF' }[String.fromCharCode(...head.subarray(0, 4))] ?? 'binary'} file; expected CSV/TSV, .npy, IDX, JSON or a folder of images`,
          { file, byteOffset: 0 },
        );
      case 'image':
        throw new DataError(
          'data.unknown-format',
          'a single image; expected a folder of images (one sub-folder per label) or a data file',
          {
            file,
          },
        );
      case 'npy':
        body = await loadNpy(file, gzip, opts);
        break;
      case 'idx':
        body = await loadIdx(file, gzip, opts);
        labelsFile ??= await findIdxLabels(file);
        break;
      case 'json':
        if (gzip)
          throw new DataError(
            'data.unknown-format',
            'gzipped JSON is not supported; expected a plain .json file',
            { file },
          );
        body = await loadJson(file, opts);
        break;
      default:
        body = await loadCsv(file, gzip, opts, declared);
    }
  }
  if (labelsFile !== undefined) {
    if (body.labels && opts.labels !== undefined)
      throw new DataError(
        'data.bad-option',
        'labels were given twice: by the file itself and by --labels; expected one',
        { file },
      );
    const lab: Labels = await loadLabelsFile(labelsFile, opts);
    // Labels number the rows of the file, before rows with missing values were dropped.
    checkLabelCount(file, body.dropped?.from ?? body.rows, labelsFile, lab.labels.length);
    body.labels = body.dropped ? Int32Array.from(body.dropped.kept, (r) => lab.labels[r]!) : lab.labels;
    body.labelNames = fashionNames(file, lab.labelNames) ?? lab.labelNames;
  }
  const { dropped: _dropped, ...rest } = body;
  return { name: datasetName(file), source: file, ...rest };
}
