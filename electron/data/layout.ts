/**
 * How an N-D array becomes a rows × dims matrix: the first axis is the rows, the others are
 * flattened. 3-D stacks (n, h, w) and 4-D stacks (n, h, w, c) with c ∈ {1, 3} are images (HWC);
 * (n, c, h, w) with c ∈ {1, 3} (PyTorch's order) is transposed to HWC. Isomorphic.
 */
import type { ImageShape } from '../shared/dataset';
import { cStrides } from './decode';
import { DataError, fmtInt } from './errors';

export interface Layout {
  rows: number;
  dims: number;
  /** Output stride of each input axis. */
  outStride: number[];
  image?: ImageShape;
  /** True when the input was channels-first and is transposed. */
  transposed: boolean;
}

export function arrayLayout(shape: readonly number[], file: string, transposeImages = false): Layout {
  if (shape.length === 0)
    throw new DataError(
      'data.bad-header',
      'a 0-dimensional array (a single number); expected rows × columns',
      { file },
    );
  const rows = shape[0]!;
  let dims = 1;
  for (const s of shape.slice(1)) dims *= s;
  if (!Number.isSafeInteger(rows * dims))
    throw new DataError('data.bad-header', `the shape (${shape.join(', ')}) is too large to be real`, {
      file,
    });
  const plain: Layout = { rows, dims, outStride: cStrides(shape), transposed: false };
  const isCh = (c: number | undefined) => c === 1 || c === 3;
  if (shape.length === 3) {
    const [, h, w] = shape as [number, number, number];
    if (transposeImages)
      return {
        rows,
        dims,
        outStride: [h * w, 1, h],
        image: { height: w, width: h, channels: 1 },
        transposed: true,
      };
    return { ...plain, image: { height: h, width: w, channels: 1 } };
  }
  if (shape.length === 4) {
    const [, a, b, c] = shape as [number, number, number, number];
    if (isCh(c)) return { ...plain, image: { height: a, width: b, channels: c as 1 | 3 } };
    if (isCh(a))
      return {
        rows,
        dims,
        // (n, c, h, w) → row-major (n, h, w, c).
        outStride: [dims, 1, c * a, a],
        image: { height: b, width: c, channels: a as 1 | 3 },
        transposed: true,
      };
  }
  return plain;
}

/** Elements in the array, refusing shapes whose product is not a safe integer. */
export function elementCount(shape: readonly number[], file: string): number {
  let n = 1;
  for (const s of shape) n *= s;
  if (!Number.isSafeInteger(n))
    throw new DataError(
      'data.bad-header',
      `the shape (${shape.map(fmtInt).join(' × ')}) is too large to be real`,
      { file },
    );
  return n;
}
