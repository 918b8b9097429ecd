/**
 * Checks every loader shares: the memory needed (estimated before loading, refused past a limit),
 * enough rows to train, finite values, missing values (refused, dropped or imputed by the column
 * mean), labels that match the rows. Isomorphic.
 */
import type { Dataset } from '../shared/dataset';
import type { ErrorPlace } from '../shared/errors';
import { DataError, fmtBytes, fmtInt, quote } from './errors';

/** Rows dropped for missing values: how many there were, and which were kept (for external labels). */
export interface DroppedRows {
  from: number;
  kept: Uint32Array;
}

/** What a loader returns: the dataset without its name and source, plus any dropped rows. */
export type LoadedBody = Omit<Dataset, 'name' | 'source'> & { dropped?: DroppedRows };

/** Default memory limit for one dataset: 2 GiB. */
export const DEFAULT_MAX_BYTES = 2 * 1024 ** 3;
/** Default minimum rows: one to train on and one to validate on. */
export const DEFAULT_MIN_ROWS = 2;

export type MissingPolicy = 'error' | 'drop' | 'mean';

/** Refuse to start loading when the estimate is past the limit; `how` says what the figure is made of. */
export function checkMemory(file: string, bytes: number, how: string, limit: number): void {
  if (bytes > limit)
    throw new DataError(
      'data.too-large',
      `loading needs about ${fmtBytes(bytes)} of memory (${how}); the limit is ${fmtBytes(limit)} (raise it with --max-memory, or load fewer rows)`,
      { file },
    );
}

/** "60,000 rows × 784 columns × 4 bytes". */
export function matrixHow(rows: number, dims: number, source: string): string {
  return `${fmtInt(rows)} rows × ${fmtInt(dims)} columns × 4 bytes, ${source}`;
}

/**
 * A Float32Array of n values, or a DataError when the machine refuses the memory (possible when the
 * limit was raised past what is free).
 */
export function allocFloat32(n: number, file: string): Float32Array {
  try {
    return new Float32Array(n);
  } catch (e) {
    if (e instanceof RangeError)
      throw new DataError(
        'data.too-large',
        `could not allocate ${fmtBytes(n * 4)} for the data (${e.message})`,
        { file },
      );
    throw e;
  }
}

/** A growable Float32Array that enforces the memory limit as it grows. */
export class FloatBuffer {
  data: Float32Array;
  length = 0;

  constructor(
    initial: number,
    private readonly limit: number,
    private readonly file: string,
    /** Bytes held beside the values (per-row ids of text cells and labels), counted at each growth. */
    private readonly extra: () => number = () => 0,
  ) {
    this.data = allocFloat32(Math.max(16, initial), file);
  }

  push(v: number): void {
    if (this.length === this.data.length) this.grow(this.length + 1);
    this.data[this.length++] = v;
  }

  grow(min: number): void {
    let cap = this.data.length;
    while (cap < min) cap *= 2;
    // The old and the new array live together while copying.
    checkMemory(
      this.file,
      (this.data.length + cap) * 4 + this.extra(),
      'the values read so far, while growing the buffer',
      this.limit,
    );
    const next = allocFloat32(cap, this.file);
    next.set(this.data.subarray(0, this.length));
    this.data = next;
  }

  /**
   * The values, trimmed to length. Always an array of its own (never a view into a larger buffer),
   * so that consumers may transfer `data.buffer` to a worker.
   */
  take(): Float32Array {
    return this.length === this.data.length ? this.data : this.data.slice(0, this.length);
  }
}

/**
 * "duplicate column names: "x" (columns 2, 5), …; a column given by name … is the first of them",
 * or undefined when the names are distinct (empty names do not count).
 */
export function duplicateNames(names: readonly string[], what: string): string | undefined {
  const firstAt = new Map<string, number>();
  const at = new Map<string, number[]>();
  names.forEach((n, i) => {
    if (n === '') return;
    const f = firstAt.get(n);
    if (f === undefined) firstAt.set(n, i + 1);
    else if (at.has(n)) at.get(n)!.push(i + 1);
    else at.set(n, [f, i + 1]);
  });
  const dups = [...at];
  if (dups.length === 0) return undefined;
  const list = dups
    .slice(0, 10)
    .map(
      ([n, cols]) => `${quote(n)} (columns ${cols.slice(0, 10).join(', ')}${cols.length > 10 ? ', …' : ''})`,
    )
    .join(', ');
  return `duplicate ${what}: ${list}${dups.length > 10 ? `, and ${fmtInt(dups.length - 10)} more` : ''}; a column given by name (--label-column, --categorical) is the first of them`;
}

/** Where a value of an array format sits: 1-based row and column, plus the array index. */
export function arrayPlace(file: string, row: number, col: number, byteOffset?: number): ErrorPlace {
  const where: ErrorPlace = { file, row: row + 1, column: col + 1 };
  if (byteOffset !== undefined) where.byteOffset = byteOffset;
  where.field = `index [${row}, ${col}]`;
  return where;
}

/**
 * Missing values are NaN in `data` (rows × dims). `error`: refuse at the first one; `drop`: remove
 * the rows that have any; `mean`: replace each by its column's mean over the rows that have a value.
 * Returns the kept row indices (all rows unless dropping).
 */
export function applyMissing(
  data: Float32Array,
  rows: number,
  dims: number,
  policy: MissingPolicy,
  placeOf: (row: number, col: number) => ErrorPlace,
): { data: Float32Array; rows: number; kept: Uint32Array | undefined } {
  let first = -1;
  for (let i = 0; i < rows * dims; i++)
    if (Number.isNaN(data[i]!)) {
      first = i;
      break;
    }
  if (first < 0) return { data, rows, kept: undefined };
  const r0 = Math.floor(first / dims);
  const c0 = first % dims;
  if (policy === 'error')
    throw new DataError(
      'data.missing-value',
      'missing value (empty, NA or NaN); expected a number (use --missing drop to skip such rows or --missing mean to impute the column mean)',
      placeOf(r0, c0),
    );
  if (policy === 'drop') {
    const keep: number[] = [];
    for (let r = 0; r < rows; r++) {
      let ok = true;
      for (let c = 0; c < dims; c++)
        if (Number.isNaN(data[r * dims + c]!)) {
          ok = false;
          break;
        }
      if (ok) keep.push(r);
    }
    const out = new Float32Array(keep.length * dims);
    keep.forEach((r, i) => out.set(data.subarray(r * dims, r * dims + dims), i * dims));
    return { data: out, rows: keep.length, kept: Uint32Array.from(keep) };
  }
  const sum = new Float64Array(dims);
  const count = new Float64Array(dims);
  for (let r = 0; r < rows; r++)
    for (let c = 0; c < dims; c++) {
      const v = data[r * dims + c]!;
      if (!Number.isNaN(v)) {
        sum[c]! += v;
        count[c]! += 1;
      }
    }
  for (let c = 0; c < dims; c++)
    if (count[c] === 0)
      throw new DataError(
        'data.missing-value',
        'every value of this column is missing; there is no mean to impute',
        {
          ...placeOf(0, c),
          row: undefined,
          field: undefined,
        },
      );
  for (let r = 0; r < rows; r++)
    for (let c = 0; c < dims; c++)
      if (Number.isNaN(data[r * dims + c]!)) data[r * dims + c] = sum[c]! / count[c]!;
  return { data, rows, kept: undefined };
}

/** Enough rows to train on, at least one column. */
export function checkShape(file: string, rows: number, dims: number, minRows: number, what = 'row'): void {
  if (rows === 0)
    throw new DataError('data.empty', `no data ${what}s; expected at least ${minRows}`, { file });
  if (dims === 0) throw new DataError('data.empty', 'no columns of data; expected at least one', { file });
  if (rows < minRows)
    throw new DataError(
      'data.too-few-rows',
      `only ${fmtInt(rows)} data ${what}${rows === 1 ? '' : 's'}; at least ${fmtInt(minRows)} are needed to train (one to train on and one to validate)`,
      { file },
    );
}

/** Labels must match the rows one to one. */
export function checkLabelCount(dataFile: string, rows: number, labelFile: string, count: number): void {
  if (count !== rows)
    throw new DataError(
      'data.label-mismatch',
      `${labelFile === dataFile ? 'the labels' : `the labels in ${labelFile}`} number ${fmtInt(count)} but the data has ${fmtInt(rows)} rows; expected one label per row`,
      { file: dataFile },
    );
}

/** Final structural check of a dataset (used by the tests and the fuzz test as the oracle too). */
export function isValidDataset(ds: Dataset): boolean {
  if (!(ds.rows > 0 && ds.dims > 0 && ds.data.length === ds.rows * ds.dims)) return false;
  for (let i = 0; i < ds.data.length; i++) if (!Number.isFinite(ds.data[i]!)) return false;
  if (ds.labels) {
    if (ds.labels.length !== ds.rows) return false;
    const k = ds.labelNames?.length;
    if (k !== undefined) for (const l of ds.labels) if (l < 0 || l >= k) return false;
  }
  if (ds.featureNames && ds.featureNames.length !== ds.dims) return false;
  if (ds.image && ds.image.width * ds.image.height * ds.image.channels !== ds.dims) return false;
  return /^[0-9a-f]{64}$/.test(ds.sha256);
}
