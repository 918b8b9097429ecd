/**
 * Codes trained elsewhere (train.py's codes.npy, or any NumPy array) checked against the run they
 * are to replace: a .npy of float32 ('<f4'), two dimensions, rows × k exactly as the run's
 * codes.npy, every value finite. Each refusal names the file and the place and says what was
 * expected. Isomorphic (the command line and the app both call it).
 */
import { UserError } from '../shared/errors';
import { npyPrefixLength, parseNpyDict } from '../data/npy-header';

export interface CodesLayout {
  rows: number;
  k: number;
  /** hashing: 0/1 bits are expected (other values are refused). */
  binary?: boolean;
}

export function checkCodesNpy(bytes: Uint8Array, file: string, want: CodesLayout): Float32Array {
  const { headerLength, start } = npyPrefixLength(bytes.subarray(0, 12), file);
  if (start + headerLength > bytes.length)
    throw new UserError('bad-codes', `truncated .npy header (${bytes.length} bytes)`, {
      file,
      byteOffset: bytes.length,
    });
  let text = '';
  for (const b of bytes.subarray(start, start + headerLength)) text += String.fromCharCode(b);
  const h = parseNpyDict(text, file, start);
  const dataStart = start + headerLength;
  const expected = `float32 codes of shape (${want.rows}, ${want.k}), the run's rows × k`;
  if (h.descr !== '<f4' && h.descr !== '=f4' && h.descr !== 'f4')
    throw new UserError(
      'bad-codes',
      `dtype '${h.descr}'; expected ${expected} (numpy: np.save(path, codes.astype(np.float32)))`,
      { file, byteOffset: start },
    );
  if (h.shape.length !== 2 || h.shape[0] !== want.rows || h.shape[1] !== want.k)
    throw new UserError('bad-codes', `shape (${h.shape.join(', ')}); expected ${expected}`, {
      file,
      byteOffset: start,
    });
  const n = want.rows * want.k;
  if (bytes.length !== dataStart + 4 * n)
    throw new UserError(
      'bad-codes',
      `${bytes.length - dataStart} data bytes; the header's shape needs ${4 * n}`,
      { file, byteOffset: Math.min(bytes.length, dataStart + 4 * n) },
    );
  const view = new DataView(bytes.buffer, bytes.byteOffset + dataStart, 4 * n);
  const codes = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    // Fortran order holds column after column: element (r, c) sits at c·rows + r.
    const r = h.fortran ? i % want.rows : Math.floor(i / want.k);
    const c = h.fortran ? Math.floor(i / want.rows) : i % want.k;
    const v = view.getFloat32(4 * i, true);
    if (!Number.isFinite(v))
      throw new UserError('bad-codes', `${v}; expected finite codes`, { file, row: r + 1, column: c + 1 });
    if (want.binary && v !== 0 && v !== 1)
      throw new UserError('bad-codes', `${v}; a hashing run's codes are bits, 0 or 1`, {
        file,
        row: r + 1,
        column: c + 1,
      });
    codes[r * want.k + c] = v;
  }
  return codes;
}
