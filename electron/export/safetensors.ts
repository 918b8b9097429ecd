/**
 * The safetensors format (Hugging Face), written here without a dependency: an 8-byte little-endian
 * unsigned header length N, N bytes of UTF-8 JSON — {name: {dtype, shape, data_offsets: [begin,
 * end]}, "__metadata__": {string: string}} — padded with spaces to a multiple of 8, then the raw
 * little-endian tensor bytes, each tensor at its offsets (relative to the end of the header).
 * Chosen over PyTorch's .pt (a pickle): it holds only numbers, loads without running code, and is
 * read in a dozen lines of Python with torch alone (model.py read_safetensors) or by the
 * `safetensors` package. Isomorphic.
 */
export interface TensorEntry {
  name: string;
  shape: readonly number[];
  /** float32 values, row-major. */
  data: Float32Array;
}

export function encodeSafetensors(
  tensors: readonly TensorEntry[],
  metadata: Record<string, string> = {},
): Uint8Array {
  const header: Record<string, unknown> = {};
  let at = 0;
  for (const t of tensors) {
    const n = t.shape.reduce((a, b) => a * b, 1);
    if (n !== t.data.length)
      throw new RangeError(
        `safetensors: ${t.name} has ${t.data.length} values, shape [${t.shape}] needs ${n}`,
      );
    if (t.name === '__metadata__' || t.name in header)
      throw new RangeError(`safetensors: tensor name ${t.name} used twice or reserved`);
    header[t.name] = { dtype: 'F32', shape: [...t.shape], data_offsets: [at, at + 4 * n] };
    at += 4 * n;
  }
  if (Object.keys(metadata).length) header.__metadata__ = metadata;
  const json = new TextEncoder().encode(JSON.stringify(header));
  const padded = Math.ceil(json.length / 8) * 8;
  const out = new Uint8Array(8 + padded + at);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, BigInt(padded), true);
  out.set(json, 8);
  out.fill(0x20, 8 + json.length, 8 + padded);
  let offset = 8 + padded;
  for (const t of tensors) {
    for (let i = 0; i < t.data.length; i++) view.setFloat32(offset + 4 * i, t.data[i]!, true);
    offset += 4 * t.data.length;
  }
  return out;
}

/** The inverse (tests, and a package's weights read back): {name: {shape, data}}. */
export function decodeSafetensors(bytes: Uint8Array): {
  tensors: Map<string, { shape: number[]; data: Float32Array }>;
  metadata: Record<string, string>;
} {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length < 8) throw new RangeError('safetensors: shorter than its 8-byte header length');
  const n = Number(view.getBigUint64(0, true));
  if (8 + n > bytes.length) throw new RangeError(`safetensors: a header of ${n} bytes runs past the end`);
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + n))) as Record<
    string,
    { dtype: string; shape: number[]; data_offsets: [number, number] } | Record<string, string>
  >;
  const tensors = new Map<string, { shape: number[]; data: Float32Array }>();
  let metadata: Record<string, string> = {};
  for (const [name, e] of Object.entries(header)) {
    if (name === '__metadata__') {
      metadata = e as Record<string, string>;
      continue;
    }
    const t = e as { dtype: string; shape: number[]; data_offsets: [number, number] };
    if (t.dtype !== 'F32') throw new RangeError(`safetensors: ${name} has dtype ${t.dtype}; expected F32`);
    const [begin, end] = t.data_offsets;
    const data = new Float32Array((end - begin) / 4);
    for (let i = 0; i < data.length; i++) data[i] = view.getFloat32(8 + n + begin + 4 * i, true);
    tensors.set(name, { shape: t.shape, data });
  }
  return { tensors, metadata };
}
