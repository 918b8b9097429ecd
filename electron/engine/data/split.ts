import { createRng, permutation } from '../random';
import { validationCount } from '../../shared/train-config';

/**
 * A deterministic train/validation split: the same seed, rows and fraction give the same indices on
 * every machine. Both index lists are sorted, so the training rows keep their input order.
 */
export interface Split {
  train: Uint32Array;
  validation: Uint32Array;
}

export { validationCount };

export function splitIndices(rows: number, valFraction: number, seed: number): Split {
  if (!(valFraction >= 0 && valFraction < 1))
    throw new RangeError(`validation fraction must be in [0, 1), got ${valFraction}`);
  const nVal = validationCount(rows, valFraction);
  const perm = permutation(rows, createRng(seed ^ 0x5eed5));
  const validation = perm.slice(0, nVal).sort();
  const train = perm.slice(nVal).sort();
  return { train, validation };
}

/** Gather rows (dims columns each) into a new contiguous array. */
export function takeRows(data: Float32Array, dims: number, rows: ArrayLike<number>): Float32Array {
  const out = new Float32Array(rows.length * dims);
  for (let i = 0; i < rows.length; i++)
    out.set(data.subarray(rows[i]! * dims, rows[i]! * dims + dims), i * dims);
  return out;
}
