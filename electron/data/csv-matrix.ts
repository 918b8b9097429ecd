/**
 * CSV/TSV, second half: from the cells read (csv.ts) to the feature matrix. Decides each column's
 * kind (numeric, or categorical and one-hot encoded), applies the missing-value policy (refuse, drop
 * the row, or impute the column mean — for a one-hot block, the level frequencies) and builds the
 * matrix row by row. Isomorphic.
 */
import type { CategoricalGroup } from '../shared/dataset';
import type { ErrorPlace } from '../shared/errors';
import { DECIMAL_COMMA } from './csv-cells';
import { DataError, fmtInt, quote } from './errors';
import { encodeLabelIds } from './label-values';
import type { ResolvedOptions } from './options';
import { allocFloat32, checkMemory, checkShape, type LoadedBody } from './validate';

export const DEFAULT_MAX_LEVELS = 256;

export interface Column {
  name: string;
  numbers: number;
  texts: number;
  missing: number;
  firstText?: { row: number; line: number; value: string };
  firstMissing?: { row: number; line: number };
  /** Text cells: level id per row (−1 for numbers and missing), allocated at the first text. */
  ids?: Int32Array;
  levels?: Map<string, number>;
}

/** What csv.ts read: the raw cells (rows × width, text cells 0, missing NaN) and their columns. */
export interface CsvCells {
  file: string;
  sha256: string;
  opts: ResolvedOptions;
  cols: Column[];
  header: boolean;
  labelCol: number;
  raw: Float32Array;
  rows: number;
  /** The label column: an id per row into `texts` (−1: missing). */
  labels?: { ids: Int32Array; texts: string[] };
  warnings: string[];
  /** Cells were read with decimal commas (messages then need no hint). */
  decimalComma: boolean;
}

export function colLabel(cols: Column[], c: number, header: boolean): string | number {
  return header && cols[c]!.name !== '' ? `${c + 1} (${JSON.stringify(cols[c]!.name)})` : c + 1;
}

/** " (decimal comma? pass --decimal ,)" after a cell that reads as a number with a comma. */
export function decimalHint(value: string, decimalComma: boolean): string {
  return !decimalComma && DECIMAL_COMMA.test(value.trim())
    ? ' (a number with a decimal comma? pass --decimal , to read it as one)'
    : '';
}

export function resolveColumn(
  spec: string | number,
  names: string[],
  header: boolean,
  file: string,
  what: string,
): number {
  const n = names.length;
  if (typeof spec === 'string') {
    const byName = names.indexOf(spec);
    if (header && byName >= 0) return byName;
    if (/^-?\d+$/.test(spec.trim())) return resolveColumn(Number(spec), names, header, file, what);
    throw new DataError(
      'data.bad-option',
      header
        ? `no column named ${JSON.stringify(spec)} for the ${what}; the header has ${names
            .slice(0, 50)
            .map((s) => JSON.stringify(s))
            .join(', ')}${n > 50 ? `, … (${fmtInt(n)} columns)` : ''}`
        : `the file has no header, so the ${what} must be given by its 0-based index (0–${n - 1}), got ${JSON.stringify(spec)}`,
      { file },
    );
  }
  const i = spec < 0 ? n + spec : spec;
  if (!Number.isInteger(spec) || i < 0 || i >= n)
    throw new DataError(
      'data.bad-option',
      `${what} index ${spec} is out of range: the file has ${n} columns (indices 0–${n - 1})`,
      { file },
    );
  return i;
}

/** Rows kept after dropping: all of them (null) or the listed ones. */
type Kept = Uint32Array | null;
const keptCount = (kept: Kept, rows: number) => (kept ? kept.length : rows);
const keptRow = (kept: Kept, i: number) => (kept ? kept[i]! : i);

export function finish(cells: CsvCells): LoadedBody {
  const { file, opts, cols, header, labelCol, raw, rows } = cells;
  const width = cols.length;
  const place = (line: number, c: number): ErrorPlace => ({
    file,
    row: line,
    column: colLabel(cols, c, header),
  });
  const forced = new Set(
    (opts.categorical ?? []).map((s) =>
      resolveColumn(
        s,
        cols.map((c, i) => c.name || `column ${i + 1}`),
        header,
        file,
        'categorical column',
      ),
    ),
  );
  // Which columns make features: drop unnamed columns that are empty everywhere (a trailing delimiter).
  const used: number[] = [];
  const kind: ('num' | 'cat')[] = [];
  for (let c = 0; c < width; c++) {
    if (c === labelCol) continue;
    const col = cols[c]!;
    if (col.missing === rows && col.name === '') continue;
    // pandas' to_csv writes the row index as a first column with an empty header: not a feature.
    if (header && c === 0 && col.name === '' && col.numbers === rows && isRowIndex(raw, width, rows))
      continue;
    used.push(c);
    if (forced.has(c) || (col.texts > 0 && (col.numbers === 0 || col.texts > col.numbers))) kind[c] = 'cat';
    else if (col.texts > 0) {
      const t = col.firstText!;
      throw new DataError(
        'data.non-numeric',
        `expected a number, got ${quote(t.value)}${decimalHint(t.value, cells.decimalComma)} (${fmtInt(col.numbers)} other cells of this column are numbers)`,
        place(t.line, c),
      );
    } else kind[c] = 'num';
  }
  // Missing values: refuse at the first one (by row), or drop those rows.
  const missingCols = used.filter((c) => cols[c]!.missing > 0);
  if (missingCols.length > 0 && opts.missing === 'error') {
    let first = missingCols[0]!;
    for (const c of missingCols) if (cols[c]!.firstMissing!.row < cols[first]!.firstMissing!.row) first = c;
    throw new DataError(
      'data.missing-value',
      'missing value (empty, NA or NaN); expected a number (use --missing drop to skip such rows or --missing mean to impute the column mean)',
      place(cols[first]!.firstMissing!.line, first),
    );
  }
  let kept: Kept = null;
  if (opts.missing === 'drop') {
    const keep = new Uint8Array(rows).fill(1);
    const ids = cells.labels?.ids;
    for (let r = 0; r < rows; r++) {
      if (ids && ids[r]! < 0) keep[r] = 0;
      for (const c of missingCols) if (Number.isNaN(raw[r * width + c]!)) keep[r] = 0;
    }
    let n = 0;
    for (let r = 0; r < rows; r++) n += keep[r]!;
    if (n < rows) {
      kept = new Uint32Array(n);
      for (let r = 0, i = 0; r < rows; r++) if (keep[r]) kept[i++] = r;
    }
  }
  const nKept = keptCount(kept, rows);
  // Categorical levels: text levels in order of appearance, then numbers met in the column.
  const max = opts.maxLevels ?? DEFAULT_MAX_LEVELS;
  const groups: CategoricalGroup[] = [];
  const featureNames: string[] = [];
  const levelOf: (string[] | undefined)[] = [];
  let dims = 0;
  for (const c of used) {
    const col = cols[c]!;
    const name = col.name || `column ${c + 1}`;
    if (kind[c] === 'cat') {
      const levels = col.levels ? [...col.levels.keys()] : [];
      const extra = new Set<string>();
      for (let i = 0; i < nKept && levels.length + extra.size <= max; i++) {
        const r = keptRow(kept, i);
        const v = raw[r * width + c]!;
        if ((col.ids?.[r] ?? -1) < 0 && !Number.isNaN(v)) extra.add(String(v));
      }
      levels.push(...[...extra].sort((a, b) => Number(a) - Number(b)));
      if (levels.length > max)
        throw new DataError(
          'data.too-many-levels',
          `more than ${fmtInt(max)} distinct values in a categorical column; expected few levels (remove ID or free-text columns)`,
          { file, column: colLabel(cols, c, header) },
        );
      if (
        !forced.has(c) &&
        opts.decimal === undefined &&
        col.firstText &&
        DECIMAL_COMMA.test(col.firstText.value)
      )
        cells.warnings.push(
          `column ${colLabel(cols, c, header)} holds text such as ${quote(col.firstText.value)} (row ${col.firstText.line}), one-hot encoded into ${levels.length} columns: if these are numbers with a decimal comma, pass --decimal ,`,
        );
      groups.push({ name, start: dims, levels });
      levelOf[c] = levels;
      for (const l of levels) featureNames.push(`${name}=${l}`);
      dims += levels.length;
    } else {
      featureNames.push(name);
      dims += 1;
    }
  }
  checkShape(file, nKept, dims, opts.minRows);
  const plain =
    dims === width && !kept && !missingCols.length && used.every((c, i) => c === i && kind[c] === 'num');
  // Unless the raw buffer is the matrix, both live together while it is built.
  checkMemory(
    file,
    nKept * dims * 4 + (plain ? 0 : raw.byteLength),
    `${fmtInt(nKept)} rows × ${fmtInt(dims)} columns × 4 bytes after one-hot encoding${plain ? '' : ', plus the cells read'}`,
    opts.maxBytes,
  );
  const data = plain
    ? raw
    : buildMatrix(raw, width, kept, nKept, used, kind, cols, levelOf, dims, (c) => ({
        file,
        column: colLabel(cols, c, header),
      }));
  const ds: LoadedBody = { sha256: cells.sha256, rows: nKept, dims, data, featureNames };
  if (kept) ds.dropped = { from: rows, kept };
  if (groups.length > 0) ds.categorical = groups;
  if (cells.labels) {
    const enc = encodeLabelIds(cells.labels.ids, cells.labels.texts, rows, kept ?? undefined);
    ds.labels = enc.labels;
    ds.labelNames = enc.labelNames;
  }
  if (cells.warnings.length > 0) ds.warnings = cells.warnings;
  return ds;
}

/**
 * The feature matrix, row by row (the raw buffer is row-major: walking it column by column would
 * miss the cache on every value): numeric columns copied, categorical ones one-hot, missing values
 * imputed by the column mean (one-hot: the level frequencies).
 */
function buildMatrix(
  raw: Float32Array,
  width: number,
  kept: Kept,
  nKept: number,
  used: number[],
  kind: ('num' | 'cat')[],
  cols: Column[],
  levelOf: (string[] | undefined)[],
  dims: number,
  where: (c: number) => ErrorPlace,
): Float32Array {
  // Per column: its offset, and its fill value(s) for missing cells.
  const offset: number[] = [];
  const mean: number[] = [];
  const freq: (Float32Array | undefined)[] = [];
  const levelIndex: (Map<string, number> | undefined)[] = [];
  let off = 0;
  for (const c of used) {
    offset[c] = off;
    const col = cols[c]!;
    if (kind[c] === 'num') {
      off += 1;
      if (col.missing === 0) continue;
      let sum = 0;
      let n = 0;
      for (let i = 0; i < nKept; i++) {
        const v = raw[keptRow(kept, i) * width + c]!;
        if (!Number.isNaN(v)) {
          sum += v;
          n++;
        }
      }
      if (n === 0 && nKept > 0)
        throw new DataError(
          'data.missing-value',
          'every value of this column is missing; there is no mean to impute',
          where(c),
        );
      mean[c] = sum / n;
    } else {
      const levels = levelOf[c]!;
      off += levels.length;
      levelIndex[c] = new Map(levels.map((l, i) => [l, i]));
    }
  }
  const levelAt = (c: number, r: number): number => {
    const id = cols[c]!.ids?.[r] ?? -1;
    if (id >= 0) return id;
    const v = raw[r * width + c]!;
    return Number.isNaN(v) ? -1 : levelIndex[c]!.get(String(v))!;
  };
  // Level frequencies of the categorical columns that have missing cells, over the kept rows.
  for (const c of used) {
    if (kind[c] !== 'cat' || cols[c]!.missing === 0) continue;
    const f = new Float32Array(levelOf[c]!.length);
    let present = 0;
    for (let i = 0; i < nKept; i++) {
      const l = levelAt(c, keptRow(kept, i));
      if (l >= 0) {
        f[l]! += 1;
        present++;
      }
    }
    if (present === 0 && nKept > 0)
      throw new DataError(
        'data.missing-value',
        'every value of this column is missing; there is no mean to impute',
        where(c),
      );
    for (let l = 0; l < f.length; l++) f[l] = f[l]! / present;
    freq[c] = f;
  }
  const data = allocFloat32(nKept * dims, where(0).file ?? '');
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

/** Column 0 holds 0, 1, …, rows − 1 in order (a row index). */
function isRowIndex(raw: Float32Array, width: number, rows: number): boolean {
  for (let r = 0; r < rows; r++) if (raw[r * width] !== r) return false;
  return rows > 0;
}
