/**
 * The NumPy .npy header (format versions 1.0, 2.0 and 3.0): a magic string, the version, the header
 * length, then a Python dict literal {'descr': '<f4', 'fortran_order': False, 'shape': (n, d), }
 * padded with spaces and a newline so the data starts on a 64-byte boundary. Isomorphic.
 * Reference: numpy/lib/format.py.
 */
import type { DType } from './decode';
import { DataError, quote } from './errors';

export const NPY_MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY

export interface NpyHeader {
  dtype: DType;
  fortran: boolean;
  shape: number[];
  /** Byte offset of the first data byte. */
  dataStart: number;
}

/** Bytes needed before the header can be parsed: the fixed prefix (10 or 12 bytes) tells how many. */
export function npyPrefixLength(head: Uint8Array, file: string): { headerLength: number; start: number } {
  for (let i = 0; i < NPY_MAGIC.length; i++) {
    if (i >= head.length)
      throw new DataError('data.truncated', 'truncated .npy header', { file, byteOffset: i });
    if (head[i] !== NPY_MAGIC[i])
      throw new DataError(
        'data.bad-magic',
        'not a NumPy .npy file: expected the magic bytes \\x93NUMPY at the start',
        {
          file,
          byteOffset: i,
        },
      );
  }
  if (head.length < 10)
    throw new DataError('data.truncated', 'truncated .npy header', { file, byteOffset: head.length });
  const major = head[6]!;
  const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
  if (major === 1) return { headerLength: view.getUint16(8, true), start: 10 };
  if (major === 2 || major === 3) {
    if (head.length < 12)
      throw new DataError('data.truncated', 'truncated .npy header', { file, byteOffset: head.length });
    return { headerLength: view.getUint32(8, true), start: 12 };
  }
  throw new DataError(
    'data.bad-header',
    `unsupported .npy format version ${major}.${head[7]}; expected 1.0, 2.0 or 3.0`,
    {
      file,
      byteOffset: 6,
    },
  );
}

const DTYPE_NAMES: Record<string, string> = {
  f2: 'float16',
  f4: 'float32',
  f8: 'float64',
  i1: 'int8',
  i2: 'int16',
  i4: 'int32',
  i8: 'int64',
  u1: 'uint8',
  u2: 'uint16',
  u4: 'uint32',
  u8: 'uint64',
  b1: 'bool',
};

/** Parse a descr such as '<f4', '|u1', '>i8', '|b1', '?'. */
export function parseDescr(descr: string, file: string, at: number): DType {
  const m = /^([<>|=]?)([a-zA-Z?])(\d*)$/.exec(descr);
  const unsupported = (what: string) =>
    new DataError(
      'data.unsupported-dtype',
      `unsupported dtype ${quote(descr)} (${what}); expected float16/32/64, int8–64, uint8–64 or bool`,
      { file, byteOffset: at },
    );
  if (!m) throw unsupported('not a simple numeric type');
  const order = m[1]!;
  let kind = m[2]!;
  let size = m[3] === '' ? 0 : Number(m[3]);
  if (kind === '?') {
    kind = 'b';
    size = size || 1;
  }
  if (kind === 'O')
    throw unsupported('an object array: Python objects cannot be read without running Python');
  if (kind === 'c') throw unsupported('complex numbers');
  if (kind === 'U' || kind === 'S' || kind === 'a') throw unsupported('strings');
  if (kind === 'M' || kind === 'm') throw unsupported('dates or times');
  const key = `${kind}${size}`;
  const name = DTYPE_NAMES[key];
  if (!name) throw unsupported(`kind ${kind} with ${size} bytes`);
  // '|' (not applicable) and '=' (native; every platform this app runs on is little-endian) read as little.
  return { kind: kind as DType['kind'], size: size as DType['size'], little: order !== '>', name };
}

/** Parse the header dict. `text` is the dict literal; `at` is its byte offset, for messages. */
export function parseNpyDict(
  text: string,
  file: string,
  at: number,
): { descr: string; fortran: boolean; shape: number[] } {
  const bad = (what: string) =>
    new DataError(
      'data.bad-header',
      `malformed .npy header: ${what}; expected {'descr': …, 'fortran_order': …, 'shape': (…)}`,
      {
        file,
        byteOffset: at,
      },
    );
  const t = text.trim();
  if (!t.startsWith('{') || !t.endsWith('}')) throw bad('not a Python dict literal');
  const descrList = /['"]descr['"]\s*:\s*\[/.exec(t);
  if (descrList)
    throw new DataError(
      'data.unsupported-dtype',
      'unsupported dtype: a structured (record) array; expected a plain numeric array',
      { file, byteOffset: at },
    );
  const descr = /['"]descr['"]\s*:\s*['"]([^'"]*)['"]/.exec(t);
  if (!descr) throw bad("no 'descr' entry");
  const fortran = /['"]fortran_order['"]\s*:\s*(True|False)\b/.exec(t);
  if (!fortran) throw bad("no 'fortran_order' entry (True or False)");
  const shape = /['"]shape['"]\s*:\s*\(([^()]*)\)/.exec(t);
  if (!shape) throw bad("no 'shape' tuple");
  const dims = shape[1]!
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')
    .map((s) => s.replace(/L$/, ''));
  const nums = dims.map((s) => (/^\d+$/.test(s) ? Number(s) : NaN));
  if (nums.some((n) => !Number.isSafeInteger(n)))
    throw bad(`shape (${shape[1]}) is not a tuple of whole numbers`);
  return { descr: descr[1]!, fortran: fortran[1] === 'True', shape: nums };
}

/** The header bytes for an array (version 1.0, or 2.0 when the dict is longer than 65535 bytes). */
export function encodeNpyHeader(descr: string, shape: readonly number[]): Uint8Array {
  const tuple = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  const dict = `{'descr': '${descr}', 'fortran_order': False, 'shape': ${tuple}, }`;
  // numpy pads with spaces and ends with '\n' so that prefix + header is a multiple of 64.
  let prefix = 10;
  let total = Math.ceil((prefix + dict.length + 1) / 64) * 64;
  if (total - prefix > 0xffff) {
    prefix = 12;
    total = Math.ceil((prefix + dict.length + 1) / 64) * 64;
  }
  const header = dict + ' '.repeat(total - prefix - dict.length - 1) + '\n';
  const out = new Uint8Array(total);
  out.set(NPY_MAGIC);
  out[6] = prefix === 10 ? 1 : 2;
  out[7] = 0;
  const view = new DataView(out.buffer);
  if (prefix === 10) view.setUint16(8, header.length, true);
  else view.setUint32(8, header.length, true);
  for (let i = 0; i < header.length; i++) out[prefix + i] = header.charCodeAt(i);
  return out;
}
