/**
 * Numeric element types of binary array files (.npy, IDX) and their decoding, chunk by chunk, into
 * the float32 matrix a dataset holds. Isomorphic.
 */
export interface DType {
  /** f: IEEE float, i: signed integer, u: unsigned integer, b: boolean (one byte, 0 or not). */
  kind: 'f' | 'i' | 'u' | 'b';
  size: 1 | 2 | 4 | 8;
  little: boolean;
  /** As the format spells it, for messages. */
  name: string;
}

const F32_MAX = 3.4028234663852886e38;

/** IEEE 754 half precision → number. */
export function halfToFloat(h: number): number {
  const s = h & 0x8000 ? -1 : 1;
  const e = (h >> 10) & 0x1f;
  const f = h & 0x3ff;
  if (e === 0) return s * f * 2 ** -24;
  if (e === 31) return f ? NaN : s * Infinity;
  return s * (1 + f / 1024) * 2 ** (e - 15);
}

/** Decode `n` elements from `bytes` (which holds at least n·size bytes) into `out[0..n)`. */
export function decodeInto(bytes: Uint8Array, n: number, dt: DType, out: Float64Array): void {
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const le = dt.little;
  switch (`${dt.kind}${dt.size}`) {
    case 'f2':
      for (let i = 0; i < n; i++) out[i] = halfToFloat(v.getUint16(2 * i, le));
      break;
    case 'f4':
      for (let i = 0; i < n; i++) out[i] = v.getFloat32(4 * i, le);
      break;
    case 'f8':
      for (let i = 0; i < n; i++) out[i] = v.getFloat64(8 * i, le);
      break;
    case 'i1':
      for (let i = 0; i < n; i++) out[i] = v.getInt8(i);
      break;
    case 'u1':
      for (let i = 0; i < n; i++) out[i] = bytes[i]!;
      break;
    case 'b1':
      for (let i = 0; i < n; i++) out[i] = bytes[i] ? 1 : 0;
      break;
    case 'i2':
      for (let i = 0; i < n; i++) out[i] = v.getInt16(2 * i, le);
      break;
    case 'u2':
      for (let i = 0; i < n; i++) out[i] = v.getUint16(2 * i, le);
      break;
    case 'i4':
      for (let i = 0; i < n; i++) out[i] = v.getInt32(4 * i, le);
      break;
    case 'u4':
      for (let i = 0; i < n; i++) out[i] = v.getUint32(4 * i, le);
      break;
    case 'i8':
      for (let i = 0; i < n; i++) out[i] = Number(v.getBigInt64(8 * i, le));
      break;
    case 'u8':
      for (let i = 0; i < n; i++) out[i] = Number(v.getBigUint64(8 * i, le));
      break;
    default:
      throw new Error(`decodeInto: no decoder for ${dt.name}`);
  }
}

/**
 * Where each element read from the file goes in the row-major output: the file's axis order (C:
 * last axis fastest; Fortran: first axis fastest) walked with counters, each axis adding its output
 * stride. This also lets an N×C×H×W stack land as N×H×W×C.
 */
export class Scatter {
  private readonly idx: number[];
  pos = 0;
  /** Elements placed so far. */
  count = 0;

  constructor(
    private readonly shape: readonly number[],
    private readonly outStride: readonly number[],
    /** Axes from the fastest-varying in the file to the slowest. */
    private readonly order: readonly number[],
  ) {
    this.idx = shape.map(() => 0);
  }

  /** True when the file order equals the output order (a plain copy suffices). */
  static isIdentity(
    shape: readonly number[],
    outStride: readonly number[],
    order: readonly number[],
  ): boolean {
    let stride = 1;
    for (const a of order) {
      if (shape[a]! > 1 && outStride[a] !== stride) return false;
      stride *= shape[a]!;
    }
    return true;
  }

  /** Advance to the next element's output position. */
  next(): void {
    this.count++;
    for (const a of this.order) {
      this.idx[a]!++;
      this.pos += this.outStride[a]!;
      if (this.idx[a]! < this.shape[a]!) return;
      this.pos -= this.outStride[a]! * this.shape[a]!;
      this.idx[a] = 0;
    }
  }
}

/** Row-major strides of `shape`. */
export function cStrides(shape: readonly number[]): number[] {
  const s = new Array<number>(shape.length);
  let acc = 1;
  for (let a = shape.length - 1; a >= 0; a--) {
    s[a] = acc;
    acc *= shape[a]!;
  }
  return s;
}

export type BadValue = { kind: 'nan' | 'inf' | 'range'; value: number; element: number; pos: number };

/**
 * Decode a stream of body bytes into `out` (float32) through `scatter`. Carries partial elements
 * across chunks. Stops at the first value that is ±Infinity or too large for float32 and returns
 * it (NaN is kept in `out` as a missing value unless `stopAtNaN`). Returns the bytes consumed and
 * any bad value.
 */
export class BodyDecoder {
  private carry = new Uint8Array(0);
  private readonly tmp: Float64Array;
  readonly total: number;

  constructor(
    private readonly dt: DType,
    private readonly out: Float32Array,
    private readonly scatter: Scatter,
    private readonly identity: boolean,
    private readonly stopAtNaN: boolean,
    chunkElements = 1 << 16,
  ) {
    this.tmp = new Float64Array(chunkElements);
    this.total = out.length;
  }

  get done(): boolean {
    return this.scatter.count >= this.total;
  }

  /** Feed bytes; returns how many bytes of `chunk` were beyond the end of the body (0 if none). */
  feed(chunk: Uint8Array): { extra: number; bad?: BadValue } {
    const size = this.dt.size;
    let bytes = chunk;
    if (this.carry.length > 0) {
      const b = new Uint8Array(this.carry.length + chunk.length);
      b.set(this.carry);
      b.set(chunk, this.carry.length);
      bytes = b;
      this.carry = new Uint8Array(0);
    }
    let off = 0;
    if (this.identity && this.dt.kind === 'f' && size === 4 && this.dt.little) {
      // float32 little-endian in file order: copy the bytes, then check the values.
      const start = this.scatter.count;
      const n = Math.min(Math.floor(bytes.length / 4), this.total - start);
      new Uint8Array(this.out.buffer, this.out.byteOffset + start * 4, n * 4).set(bytes.subarray(0, n * 4));
      for (let i = start; i < start + n; i++) {
        const v = this.out[i]!;
        if (v - v !== 0 && !(Number.isNaN(v) && !this.stopAtNaN))
          return { extra: 0, bad: { kind: Number.isNaN(v) ? 'nan' : 'inf', value: v, element: i, pos: i } };
      }
      this.scatter.count += n;
      off = n * 4;
    } else if (this.identity && this.dt.kind === 'u' && size === 1) {
      const start = this.scatter.count;
      const n = Math.min(bytes.length, this.total - start);
      for (let i = 0; i < n; i++) this.out[start + i] = bytes[i]!;
      this.scatter.count += n;
      off = n;
    }
    while (!this.done && bytes.length - off >= size) {
      const n = Math.min(
        this.tmp.length,
        Math.floor((bytes.length - off) / size),
        this.total - this.scatter.count,
      );
      decodeInto(bytes.subarray(off, off + n * size), n, this.dt, this.tmp);
      for (let i = 0; i < n; i++) {
        const v = this.tmp[i]!;
        const pos = this.identity ? this.scatter.count : this.scatter.pos;
        if (!(Math.abs(v) <= F32_MAX)) {
          if (Number.isNaN(v)) {
            if (this.stopAtNaN)
              return { extra: 0, bad: { kind: 'nan', value: v, element: this.scatter.count, pos } };
          } else
            return {
              extra: 0,
              bad: { kind: Number.isFinite(v) ? 'range' : 'inf', value: v, element: this.scatter.count, pos },
            };
        }
        this.out[pos] = v;
        if (this.identity) this.scatter.count++;
        else this.scatter.next();
      }
      off += n * size;
    }
    if (this.done) return { extra: bytes.length - off };
    this.carry = bytes.slice(off);
    return { extra: 0 };
  }

  /** Bytes of the body received so far (whole elements plus a partial one). */
  get bytesSeen(): number {
    return this.scatter.count * this.dt.size + this.carry.length;
  }
}
