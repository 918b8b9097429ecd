/**
 * IDX (LeCun's MNIST format, also Fashion-MNIST and EMNIST), plain or gzipped: a 4-byte magic
 * (0, 0, type, number of dimensions), the dimensions as big-endian uint32, then the values
 * big-endian. Image stacks (n, h, w) of unsigned bytes are scaled to [0, 1] unless `rawPixels`.
 * The labels file beside an images file is found by name (train-images-idx3-ubyte.gz ↔
 * train-labels-idx1-ubyte.gz).
 */
import { readdir } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { LoadedBody } from './validate';
import type { DType } from './decode';
import { DataError, fmtInt } from './errors';
import { labelsFromNumbers, type Labels } from './label-values';
import { readArrayBody } from './npy';
import { limitsOf } from './limits';
import type { ResolvedOptions } from './options';
import { ByteReader, isGzip, openBytes, readHead, truncated } from './source';

const TYPES: Record<number, DType> = {
  0x08: { kind: 'u', size: 1, little: false, name: 'unsigned byte' },
  0x09: { kind: 'i', size: 1, little: false, name: 'signed byte' },
  0x0b: { kind: 'i', size: 2, little: false, name: 'short (int16)' },
  0x0c: { kind: 'i', size: 4, little: false, name: 'int (int32)' },
  0x0d: { kind: 'f', size: 4, little: false, name: 'float (float32)' },
  0x0e: { kind: 'f', size: 8, little: false, name: 'double (float64)' },
};

interface IdxHeader {
  dtype: DType;
  shape: number[];
  dataStart: number;
}

async function readIdxHeader(reader: ByteReader, file: string): Promise<IdxHeader> {
  const magic = await reader.read(4);
  if (magic.length === 0)
    throw new DataError('data.empty', 'empty file (0 bytes); expected an IDX file', { file });
  if (magic.length < 4) throw truncated(file, 'the IDX magic number', 4, magic.length, magic.length);
  if (magic[0] !== 0 || magic[1] !== 0)
    throw new DataError(
      'data.bad-magic',
      `wrong magic number 0x${[...magic].map((b) => b.toString(16).padStart(2, '0')).join('')}; expected an IDX file starting 00 00 <type> <dimensions> (e.g. 0x00000803 for images)`,
      { file, byteOffset: 0 },
    );
  const dtype = TYPES[magic[2]!];
  if (!dtype)
    throw new DataError(
      'data.unsupported-dtype',
      `unknown IDX type code 0x${magic[2]!.toString(16).padStart(2, '0')}; expected 08 (ubyte), 09 (byte), 0b (short), 0c (int), 0d (float) or 0e (double)`,
      { file, byteOffset: 2 },
    );
  const nd = magic[3]!;
  if (nd === 0)
    throw new DataError('data.bad-header', 'an IDX file with 0 dimensions; expected at least 1', {
      file,
      byteOffset: 3,
    });
  const dimBytes = await reader.read(4 * nd);
  if (dimBytes.length < 4 * nd)
    throw truncated(
      file,
      `the IDX header (${nd} dimensions)`,
      4 + 4 * nd,
      4 + dimBytes.length,
      4 + dimBytes.length,
    );
  const view = new DataView(dimBytes.buffer, dimBytes.byteOffset, dimBytes.byteLength);
  const shape = Array.from({ length: nd }, (_, i) => view.getUint32(4 * i, false));
  return { dtype, shape, dataStart: 4 + 4 * nd };
}

/** Load an IDX file (images or any array) as a dataset; labels are attached by the caller. */
export async function loadIdx(file: string, gzip: boolean, opts: ResolvedOptions): Promise<LoadedBody> {
  const src = openBytes(file, gzip, limitsOf(opts));
  const reader = new ByteReader(src.chunks);
  const h = await readIdxHeader(reader, file);
  const { data, layout, dropped } = await readArrayBody(
    reader.rest(),
    file,
    opts,
    {
      ...h,
      fortran: false,
      // EMNIST's files store each image column by column: transposed by default when the name says EMNIST.
      transposeImages: (opts.transposeImages ?? /emnist/i.test(basename(file))) && h.shape.length === 3,
    },
    'IDX',
  );
  if (h.dtype.kind === 'u' && h.dtype.size === 1 && h.shape.length >= 3 && !opts.rawPixels)
    for (let i = 0; i < data.length; i++) data[i] = data[i]! / 255;
  const ds: LoadedBody = {
    sha256: src.digest(),
    rows: layout.rows,
    dims: layout.dims,
    data,
  };
  if (layout.image) ds.image = layout.image;
  if (dropped) ds.dropped = dropped;
  return ds;
}

/** Labels from a 1-D IDX file (idx1-ubyte). */
export async function readIdxLabels(file: string, opts: ResolvedOptions): Promise<Labels> {
  const gzip = isGzip(await readHead(file, 2));
  const src = openBytes(file, gzip, limitsOf(opts));
  const reader = new ByteReader(src.chunks);
  const h = await readIdxHeader(reader, file);
  if (h.shape.length !== 1 && !(h.shape.length === 2 && h.shape[1] === 1))
    throw new DataError(
      'data.bad-labels',
      `a labels file must be 1-D (idx1), got ${h.shape.length} dimensions (${h.shape.map(fmtInt).join(' × ')})`,
      { file, byteOffset: 3 },
    );
  const { data } = await readArrayBody(
    reader.rest(),
    file,
    { ...opts, minRows: 0, missing: 'error' },
    { ...h, fortran: false },
    'IDX',
  );
  return labelsFromNumbers(data, file);
}

/**
 * The labels file that goes with an IDX images file, if one lies beside it:
 * …images-idx3-ubyte[.gz] → …labels-idx1-ubyte[.gz] (also `images.idx3` spellings).
 */
export async function findIdxLabels(file: string): Promise<string | undefined> {
  const name = basename(file);
  const swapped = name.replace(/images([-.])idx3/i, 'labels$1idx1');
  if (swapped === name) return undefined;
  const stem = swapped.replace(/\.gz$/i, '');
  let names: string[];
  try {
    names = await readdir(dirname(file));
  } catch {
    return undefined;
  }
  for (const cand of [swapped, stem, `${stem}.gz`])
    if (names.includes(cand)) return join(dirname(file), cand);
  return undefined;
}
