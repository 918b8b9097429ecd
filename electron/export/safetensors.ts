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
