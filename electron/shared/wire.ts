/**
 * The browser-mode wire format: one binary WebSocket frame per message, carrying a JSON value whose
 * typed arrays travel as raw bytes (no number lists, no base64).
 *
 *   frame = u32 headerBytes (little-endian) | header (UTF-8 JSON) | zero padding to 8 | buffers…
 *
 * In the header, each typed array is replaced by {"$ta": kind, "o": byteOffset, "n": length} with
 * offsets relative to the first buffer. Every array is copied into an 8-byte aligned slot, so the
 * decoder can view it without another copy.
 */
type TypedArray =
  Float32Array | Float64Array | Int32Array | Uint32Array | Uint8Array | Int8Array | Int16Array | Uint16Array;

const KINDS = {
  f32: Float32Array,
  f64: Float64Array,
  i32: Int32Array,
  u32: Uint32Array,
  u8: Uint8Array,
  i8: Int8Array,
  i16: Int16Array,
  u16: Uint16Array,
} as const;
type Kind = keyof typeof KINDS;

function kindOf(v: unknown): Kind | null {
  for (const k of Object.keys(KINDS) as Kind[]) if (v instanceof KINDS[k]) return k;
  return null;
}

const align8 = (n: number): number => (n + 7) & ~7;

export class WireError extends Error {
  override readonly name = 'WireError';
}

export function encodeFrame(value: unknown): Uint8Array {
  const arrays: TypedArray[] = [];
  let offset = 0;
  const header = JSON.stringify(value, function (this: unknown, _key, v: unknown) {
    const kind = kindOf(v);
    if (!kind) return v;
    const a = v as TypedArray;
    const ref = { $ta: kind, o: offset, n: a.length };
    arrays.push(a);
    offset += align8(a.byteLength);
    return ref;
  });
  const headerBytes = new TextEncoder().encode(header ?? 'null');
  const start = align8(4 + headerBytes.length);
  const frame = new Uint8Array(start + offset);
  new DataView(frame.buffer).setUint32(0, headerBytes.length, true);
  frame.set(headerBytes, 4);
  let at = start;
  for (const a of arrays) {
    frame.set(new Uint8Array(a.buffer, a.byteOffset, a.byteLength), at);
    at += align8(a.byteLength);
  }
  return frame;
}

export function decodeFrame(bytes: Uint8Array): unknown {
  if (bytes.byteLength < 4) throw new WireError('frame shorter than its header length');
  // Copy once into an aligned buffer we own, so typed-array views are safe and aligned.
  const frame = bytes.byteOffset % 8 === 0 ? bytes : bytes.slice();
  const headerLength = new DataView(frame.buffer, frame.byteOffset, 4).getUint32(0, true);
  if (4 + headerLength > frame.byteLength) throw new WireError('header runs past the end of the frame');
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(frame.subarray(4, 4 + headerLength));
  } catch {
    throw new WireError('header is not UTF-8');
  }
  const start = align8(4 + headerLength);
  const body = frame.byteOffset + start;
  try {
    return JSON.parse(text, (_key, v: unknown) => {
      if (!v || typeof v !== 'object' || !('$ta' in v)) return v;
      const { $ta, o, n } = v as { $ta: unknown; o: unknown; n: unknown };
      if (typeof $ta !== 'string' || !Object.hasOwn(KINDS, $ta))
        throw new WireError(`unknown array kind ${String($ta)}`);
      const Ctor = KINDS[$ta as Kind];
      if (!Number.isInteger(o) || !Number.isInteger(n) || (o as number) < 0 || (n as number) < 0) {
        throw new WireError('bad array reference');
      }
      const byteStart = body + (o as number);
      const byteLength = (n as number) * Ctor.BYTES_PER_ELEMENT;
      if (byteStart + byteLength > frame.byteOffset + frame.byteLength)
        throw new WireError('array runs past the end of the frame');
      return new Ctor(frame.buffer.slice(byteStart, byteStart + byteLength) as ArrayBuffer);
    }) as unknown;
  } catch (e) {
    if (e instanceof WireError) throw e;
    throw new WireError('header is not valid JSON');
  }
}
