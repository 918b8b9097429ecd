/**
 * NumPy .npy: a streaming reader (header first, then the body chunk by chunk into the float32
 * matrix; float16/32/64, int8–64, uint8–64 and bool; C or Fortran order; 1-D, 2-D and N-D, image
 * stacks flattened) and a writer whose files NumPy reads (`np.load`). Object, string, complex and
 * structured arrays are refused.
 */
import { rename, unlink, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { BodyDecoder, Scatter, type BadValue, type DType } from './decode';
import { DataError, fmtInt } from './errors';
import { arrayLayout, elementCount, type Layout } from './layout';
import { encodeNpyHeader, npyPrefixLength, parseDescr, parseNpyDict, type NpyHeader } from './npy-header';
import { limitsOf } from './limits';
import type { ResolvedOptions } from './options';
import { ByteReader, openBytes, truncated } from './source';
import {
  allocFloat32,
  applyMissing,
  arrayPlace,
  checkMemory,
  checkShape,
  matrixHow,
  type DroppedRows,
  type LoadedBody,
} from './validate';

export { encodeNpyHeader, type NpyHeader };

const MAX_HEADER = 1 << 20;

/** Read and parse the header from the stream; leaves the reader at the first data byte. */
export async function readNpyHeader(reader: ByteReader, file: string): Promise<NpyHeader> {
  let prefix = await reader.read(10);
  if (prefix.length === 0)
    throw new DataError('data.empty', 'empty file (0 bytes); expected a NumPy .npy array', { file });
  if (prefix.length >= 7 && prefix[6]! >= 2) {
    const more = await reader.read(2);
    const p = new Uint8Array(prefix.length + more.length);
    p.set(prefix);
    p.set(more, prefix.length);
    prefix = p;
  }
  const { headerLength, start } = npyPrefixLength(prefix, file);
  // A header is a short dict (NumPy itself refuses more than 10,000 bytes by default): refused
  // before it is read, so a length field of 4 GiB cannot make us buffer the whole file.
  if (headerLength > MAX_HEADER)
    throw new DataError(
      'data.bad-header',
      `a .npy header of ${fmtInt(headerLength)} bytes; expected at most ${fmtInt(MAX_HEADER)} (a dict of the dtype, order and shape)`,
      { file, byteOffset: 8 },
    );
  const dictBytes = await reader.read(headerLength);
  if (dictBytes.length < headerLength)
    throw truncated(file, `the .npy header`, headerLength, dictBytes.length, reader.offset);
  let text = '';
  for (const b of dictBytes) text += String.fromCharCode(b);
  const dict = parseNpyDict(text, file, start);
  const dtype = parseDescr(dict.descr, file, start);
  return { dtype, fortran: dict.fortran, shape: dict.shape, dataStart: start + headerLength };
}

function badValueError(file: string, bad: BadValue, layout: Layout, dataStart: number, dt: DType): DataError {
  const row = Math.floor(bad.pos / layout.dims);
  const col = bad.pos % layout.dims;
  const where = arrayPlace(file, row, col, dataStart + bad.element * dt.size);
  if (bad.kind === 'nan')
    return new DataError(
      'data.missing-value',
      'missing value (NaN); expected a number (use --missing drop to skip such rows or --missing mean to impute the column mean)',
      where,
    );
  if (bad.kind === 'inf')
    return new DataError(
      'data.non-finite',
      `expected a finite number, got ${bad.value > 0 ? 'Infinity' : '-Infinity'}`,
      where,
    );
  return new DataError(
    'data.non-finite',
    `the value ${bad.value} does not fit in float32 (|x| ≤ 3.4e38)`,
    where,
  );
}

export interface ArrayBody {
  data: Float32Array;
  layout: Layout;
  /** Rows before missing-value handling, and the ones kept (when rows were dropped). */
  dropped?: DroppedRows;
}

/**
 * Decode an array body from a chunk stream: `shape`, element type, axis order. Shared with IDX.
 * Refuses (before reading) shapes past the memory limit or with too few rows.
 */
export async function readArrayBody(
  chunks: AsyncIterable<Uint8Array>,
  file: string,
  opts: ResolvedOptions,
  h: { dtype: DType; shape: number[]; fortran: boolean; dataStart: number; transposeImages?: boolean },
  what: string,
): Promise<ArrayBody> {
  const layout = arrayLayout(h.shape, file, h.transposeImages);
  const count = elementCount(h.shape, file);
  checkMemory(file, count * 4, matrixHow(layout.rows, layout.dims, `from the ${what} header`), opts.maxBytes);
  checkShape(file, layout.rows, layout.dims, opts.minRows);
  const data = allocFloat32(count, file);
  const nd = h.shape.length;
  const order = h.fortran ? [...Array(nd).keys()] : [...Array(nd).keys()].reverse();
  const identity = Scatter.isIdentity(h.shape, layout.outStride, order);
  const dec = new BodyDecoder(
    h.dtype,
    data,
    new Scatter(h.shape, layout.outStride, order),
    identity,
    opts.missing === 'error',
  );
  const expected = count * h.dtype.size;
  for await (const chunk of chunks) {
    if (dec.done) {
      if (chunk.length > 0) throw trailing(file, h.dataStart + expected, what);
      continue;
    }
    const r = dec.feed(chunk);
    if (r.bad) throw badValueError(file, r.bad, layout, h.dataStart, h.dtype);
    if (r.extra > 0) throw trailing(file, h.dataStart + expected, what);
  }
  if (!dec.done)
    throw truncated(
      file,
      `the shape (${h.shape.join(', ')}) of ${h.dtype.name}`,
      expected,
      dec.bytesSeen,
      h.dataStart + dec.bytesSeen,
    );
  if (opts.missing === 'error') return { data, layout };
  const m = applyMissing(data, layout.rows, layout.dims, opts.missing, (r, c) => arrayPlace(file, r, c));
  checkShape(file, m.rows, layout.dims, opts.minRows);
  const out: ArrayBody = { data: m.data, layout: { ...layout, rows: m.rows } };
  if (m.kept) out.dropped = { from: layout.rows, kept: m.kept };
  return out;
}

function trailing(file: string, at: number, what: string): DataError {
  return new DataError(
    'data.trailing-bytes',
    `unexpected bytes after the end of the array data; the ${what} header's shape and type say the file ends here`,
    { file, byteOffset: at },
  );
}

/** Load a .npy (or .npy.gz) file as a dataset (labels are attached by the caller). */
export async function loadNpy(file: string, gzip: boolean, opts: ResolvedOptions): Promise<LoadedBody> {
  const src = openBytes(file, gzip, limitsOf(opts));
  const reader = new ByteReader(src.chunks);
  const h = await readNpyHeader(reader, file);
  const { data, layout, dropped } = await readArrayBody(reader.rest(), file, opts, h, '.npy');
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

/** Parse a whole .npy file held in memory into its values (float32, row-major) and shape. */
export async function parseNpy(
  bytes: Uint8Array,
  file = '(buffer)',
): Promise<{ data: Float32Array; shape: number[]; dtype: string }> {
  async function* one(): AsyncGenerator<Uint8Array> {
    yield bytes;
  }
  const reader = new ByteReader(one());
  const h = await readNpyHeader(reader, file);
  const opts: ResolvedOptions = { missing: 'mean', maxBytes: Number.MAX_SAFE_INTEGER, minRows: 0 };
  const { data } = await readArrayBody(reader.rest(), file, opts, h, '.npy');
  return { data, shape: h.shape, dtype: h.dtype.name };
}

type Writable = Float32Array | Int32Array | Uint8Array;

function descrOf(data: Writable): string {
  if (data instanceof Float32Array) return '<f4';
  if (data instanceof Int32Array) return '<i4';
  return '|u1';
}

/** A .npy file (version 1.0, C order, little-endian) holding `data` with `shape`. */
export function encodeNpy(data: Writable, shape: readonly number[]): Uint8Array {
  let n = 1;
  for (const s of shape) {
    if (!Number.isSafeInteger(s) || s < 0) throw new RangeError(`encodeNpy: bad shape (${shape.join(', ')})`);
    n *= s;
  }
  if (n !== data.length)
    throw new RangeError(
      `encodeNpy: shape (${shape.join(', ')}) holds ${n} values but the data has ${data.length}`,
    );
  const header = encodeNpyHeader(descrOf(data), shape);
  const out = new Uint8Array(header.length + data.byteLength);
  out.set(header);
  out.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), header.length);
  return out;
}

/** Write a .npy file atomically: to a temporary file beside it, then rename. */
export async function writeNpy(path: string, data: Writable, shape: readonly number[]): Promise<void> {
  const bytes = encodeNpy(data, shape);
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${Date.now()}.tmp`);
  try {
    await writeFile(tmp, bytes);
    await rename(tmp, path);
  } catch (e) {
    await unlink(tmp).catch(() => undefined);
    throw e;
  }
}
