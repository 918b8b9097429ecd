/**
 * CSV/TSV, the last step: the feature matrix from the raw cells, once csv-matrix.ts has classified
 * the columns, applied the missing-value policy and laid out the one-hot blocks. Isomorphic.
 */
import type { ErrorPlace } from '../shared/errors';
import type { Column } from './csv-matrix';
import { DataError } from './errors';
import { allocFloat32 } from './validate';

export type Kind = 'num' | 'cat';

/** Rows kept after dropping: all of them (null) or the listed ones. */
export type Kept = Uint32Array | null;
export const keptCount = (kept: Kept, rows: number) => (kept ? kept.length : rows);
export const keptRow = (kept: Kept, i: number) => (kept ? kept[i]! : i);

/** What building the matrix needs: the raw cells, the rows kept and the feature layout. */
export interface MatrixPlan {
  raw: Float32Array;
  width: number;
  kept: Kept;
  nKept: number;
  used: number[];
  kind: Kind[];
  cols: Column[];
  levelOf: (string[] | undefined)[];
  dims: number;
  where: (c: number) => ErrorPlace;
}

const allMissing = (p: MatrixPlan, c: number) =>
  new DataError(
    'data.missing-value',
    'every value of this column is missing; there is no mean to impute',
    p.where(c),
  );

/** Per numeric column with missing cells, the mean of its present values over the kept rows. */
function columnMeans(p: MatrixPlan): number[] {
  const { raw, width, kept, nKept, cols } = p;
  const mean: number[] = [];
  for (const c of p.used) {
    if (p.kind[c] !== 'num' || cols[c]!.missing === 0) continue;
    let sum = 0;
    let n = 0;
    for (let i = 0; i < nKept; i++) {
      const v = raw[keptRow(kept, i) * width + c]!;
      if (!Number.isNaN(v)) {
        sum += v;
        n++;
      }
    }
    if (n === 0 && nKept > 0) throw allMissing(p, c);
    mean[c] = sum / n;
  }
  return mean;
}

/** A categorical cell's level (−1: missing): its text's id, or the number's place among the levels. */
function levelReader(p: MatrixPlan): (c: number, r: number) => number {
  const levelIndex: (Map<string, number> | undefined)[] = [];
  for (const c of p.used)
    if (p.kind[c] === 'cat') levelIndex[c] = new Map(p.levelOf[c]!.map((l, i) => [l, i]));
  return (c, r) => {
    const id = p.cols[c]!.ids?.[r] ?? -1;
    if (id >= 0) return id;
    const v = p.raw[r * p.width + c]!;
    return Number.isNaN(v) ? -1 : levelIndex[c]!.get(String(v))!;
  };
}

/** Level frequencies of the categorical columns that have missing cells, over the kept rows. */
function levelFrequencies(
  p: MatrixPlan,
  levelAt: (c: number, r: number) => number,
): (Float32Array | undefined)[] {
  const freq: (Float32Array | undefined)[] = [];
  for (const c of p.used) {
    if (p.kind[c] !== 'cat' || p.cols[c]!.missing === 0) continue;
    const f = new Float32Array(p.levelOf[c]!.length);
    let present = 0;
    for (let i = 0; i < p.nKept; i++) {
      const l = levelAt(c, keptRow(p.kept, i));
      if (l >= 0) {
        f[l]! += 1;
        present++;
      }
    }
    if (present === 0 && p.nKept > 0) throw allMissing(p, c);
    for (let l = 0; l < f.length; l++) f[l] = f[l]! / present;
    freq[c] = f;
  }
  return freq;
}

/**
 * Build the matrix, row by row (the raw buffer is row-major: walking it column by column would
 * miss the cache on every value): numeric columns copied, categorical ones one-hot, missing values
 * imputed by the column mean (one-hot: the level frequencies).
 */
export function buildMatrix(p: MatrixPlan): Float32Array {
  const { raw, width, kept, nKept, used, kind, dims } = p;
  const offset: number[] = [];
  let off = 0;
  for (const c of used) {
    offset[c] = off;
    off += kind[c] === 'num' ? 1 : p.levelOf[c]!.length;
  }
  const mean = columnMeans(p);
  const levelAt = levelReader(p);
  const freq = levelFrequencies(p, levelAt);
  const data = allocFloat32(nKept * dims, p.where(0).file ?? '');
  for (let i = 0; i < nKept; i++) {
    const r = keptRow(kept, i);
    const src = r * width;
    const dst = i * dims;
    for (const c of used) {
      const o = dst + offset[c]!;
      if (kind[c] === 'num') {
        const v = raw[src + c]!;
        data[o] = Number.isNaN(v) ? mean[c]! : v;
      } else {
        const l = levelAt(c, r);
        if (l >= 0) data[o + l] = 1;
        else data.set(freq[c]!, o);
      }
    }
  }
  return data;
}
