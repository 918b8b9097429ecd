/**
 * CSV/TSV, second half: from the cells read (csv.ts) to the feature matrix. Decides each column's
 * kind (numeric, or categorical and one-hot encoded), applies the missing-value policy (refuse, drop
 * the row, or impute the column mean — for a one-hot block, the level frequencies), lays out the
 * one-hot blocks and has csv-build.ts build the matrix row by row. Isomorphic.
 */
import type { CategoricalGroup } from '../shared/dataset';
import type { ErrorPlace } from '../shared/errors';
import { DECIMAL_COMMA } from './csv-cells';
import { DataError, fmtInt, quote } from './errors';
import { encodeLabelIds } from './label-values';
import type { ResolvedOptions } from './options';
import { checkMemory, checkShape, type LoadedBody } from './validate';
import { buildMatrix, keptCount, keptRow, type Kept, type Kind } from './csv-build';

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

/** Which columns make features (`used`, in file order) and their kind (indexed by column). */
interface Classified {
  used: number[];
  kind: Kind[];
  /** Columns named categorical by the options. */
  forced: Set<number>;
}

/** The feature columns after one-hot encoding: each categorical column's levels and group. */
interface Features {
  groups: CategoricalGroup[];
  featureNames: string[];
  levelOf: (string[] | undefined)[];
  dims: number;
}

const placeOf = (cells: CsvCells, line: number, c: number): ErrorPlace => ({
  file: cells.file,
  row: line,
  column: colLabel(cells.cols, c, cells.header),
});

/**
 * Classify the columns: drop unnamed columns that are empty everywhere (a trailing delimiter) and
 * a pandas row index; a column is categorical when forced or mostly text, numeric when all numbers,
 * and refused when a few texts sit among numbers.
 */
function classifyColumns(cells: CsvCells): Classified {
  const { file, opts, cols, header, labelCol, raw, rows } = cells;
  const width = cols.length;
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
  const used: number[] = [];
  const kind: Kind[] = [];
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
        placeOf(cells, t.line, c),
      );
    } else kind[c] = 'num';
  }
  return { used, kind, forced };
}

/** The missing-value policy: refuse at the first missing cell (by row), or drop those rows. */
function applyMissingPolicy(cells: CsvCells, used: number[]): { missingCols: number[]; kept: Kept } {
  const { opts, cols, raw, rows } = cells;
  const width = cols.length;
  const missingCols = used.filter((c) => cols[c]!.missing > 0);
  if (missingCols.length > 0 && opts.missing === 'error') {
    let first = missingCols[0]!;
    for (const c of missingCols) if (cols[c]!.firstMissing!.row < cols[first]!.firstMissing!.row) first = c;
    throw new DataError(
      'data.missing-value',
      'missing value (empty, NA or NaN); expected a number (use --missing drop to skip such rows or --missing mean to impute the column mean)',
      placeOf(cells, cols[first]!.firstMissing!.line, first),
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
  return { missingCols, kept };
}

/**
 * The feature columns: a numeric column is one, a categorical one a one-hot block of its levels
 * (text levels in order of appearance, then the numbers met in the column, at most maxLevels).
 */
function featureColumns(cells: CsvCells, cl: Classified, kept: Kept): Features {
  const { file, opts, cols, header, raw, rows } = cells;
  const width = cols.length;
  const nKept = keptCount(kept, rows);
  const max = opts.maxLevels ?? DEFAULT_MAX_LEVELS;
  const groups: CategoricalGroup[] = [];
  const featureNames: string[] = [];
  const levelOf: (string[] | undefined)[] = [];
  let dims = 0;
  for (const c of cl.used) {
    const col = cols[c]!;
    const name = col.name || `column ${c + 1}`;
    if (cl.kind[c] === 'cat') {
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
        !cl.forced.has(c) &&
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
  return { groups, featureNames, levelOf, dims };
}

/** The cells read → the feature matrix: classify the columns, the missing policy, one-hot, build. */
export function finish(cells: CsvCells): LoadedBody {
  const { file, opts, cols, header, raw, rows } = cells;
  const width = cols.length;
  const cl = classifyColumns(cells);
  const { missingCols, kept } = applyMissingPolicy(cells, cl.used);
  const nKept = keptCount(kept, rows);
  const f = featureColumns(cells, cl, kept);
  const { dims } = f;
  checkShape(file, nKept, dims, opts.minRows);
  const plain =
    dims === width &&
    !kept &&
    !missingCols.length &&
    cl.used.every((c, i) => c === i && cl.kind[c] === 'num');
  // Unless the raw buffer is the matrix, both live together while it is built.
  checkMemory(
    file,
    nKept * dims * 4 + (plain ? 0 : raw.byteLength),
    `${fmtInt(nKept)} rows × ${fmtInt(dims)} columns × 4 bytes after one-hot encoding${plain ? '' : ', plus the cells read'}`,
    opts.maxBytes,
  );
  const data = plain
    ? raw
    : buildMatrix({
        raw,
        width,
        kept,
        nKept,
        used: cl.used,
        kind: cl.kind,
        cols,
        levelOf: f.levelOf,
        dims,
        where: (c) => ({ file, column: colLabel(cols, c, header) }),
      });
  const ds: LoadedBody = { sha256: cells.sha256, rows: nKept, dims, data, featureNames: f.featureNames };
  if (kept) ds.dropped = { from: rows, kept };
  if (f.groups.length > 0) ds.categorical = f.groups;
  if (cells.labels) {
    const enc = encodeLabelIds(cells.labels.ids, cells.labels.texts, rows, kept ?? undefined);
    ds.labels = enc.labels;
    ds.labelNames = enc.labelNames;
  }
  if (cells.warnings.length > 0) ds.warnings = cells.warnings;
  return ds;
}

/** Column 0 holds 0, 1, …, rows − 1 in order (a row index). */
function isRowIndex(raw: Float32Array, width: number, rows: number): boolean {
  for (let r = 0; r < rows; r++) if (raw[r * width] !== r) return false;
  return rows > 0;
}
