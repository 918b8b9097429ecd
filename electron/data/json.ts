/**
 * JSON datasets: an array of rows (`[[1, 2], [3, 4]]`), an array of numbers (one column), an array
 * of records (`[{"x": 1, "y": 2, "label": "a"}]`, keys as feature names), or an object
 * `{"data": [...], "labels": [...], "labelNames"?: [...], "featureNames"?: [...]}`. `null` is a
 * missing value. JSON cannot be parsed piecewise with the built-in parser, so the file is read whole
 * after a memory estimate.
 */
import { readFile } from 'node:fs/promises';
import type { ErrorPlace } from '../shared/errors';
import { DataError, fmtBytes, fmtInt, quote } from './errors';
import { encodeLabels, jsonLabel, labelText } from './label-values';
import type { ResolvedOptions } from './options';
import { fsError } from './source';
import { sha256OfFile } from './hash';
import { allocFloat32, applyMissing, checkMemory, checkShape, type LoadedBody } from './validate';

/** JSON.parse's error position → line and column (1-based). */
function syntaxError(e: unknown, text: string, file: string): DataError {
  const msg = e instanceof Error ? e.message : String(e);
  const m = /position (\d+)/.exec(msg);
  const where: ErrorPlace = { file };
  if (m) {
    const pos = Number(m[1]);
    const before = text.slice(0, pos);
    where.row = before.split('\n').length;
    where.column = pos - before.lastIndexOf('\n');
  }
  return new DataError(
    'data.syntax',
    `not valid JSON (${msg.replace(/\s*\(line \d+ column \d+\)/, '')}); expected an array of rows or {"data": …, "labels": …}`,
    where,
  );
}

export async function loadJson(file: string, size: number, opts: ResolvedOptions): Promise<LoadedBody> {
  checkMemory(
    file,
    size * 6,
    `about 6 bytes per byte of a ${fmtInt(size)}-byte JSON file while parsing`,
    opts.maxBytes,
  );
  // JavaScript strings stop at 2^29 − 24 characters; JSON.parse needs the whole text as one.
  if (size > 0x1fffffe8)
    throw new DataError(
      'data.too-large',
      `a ${fmtBytes(size)} JSON file; JSON over 512 MiB cannot be parsed here: convert it to .npy or CSV`,
      {
        file,
      },
    );
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    throw fsError(e, file);
  }
  if (text.trim() === '')
    throw new DataError('data.empty', 'empty file; expected a JSON array of rows', { file });
  let root: unknown;
  try {
    root = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (e) {
    throw syntaxError(e, text, file);
  }
  let rowsJson: unknown;
  let labelsJson: unknown;
  let labelNamesJson: unknown;
  let featureNamesJson: unknown;
  if (Array.isArray(root)) rowsJson = root;
  else if (root !== null && typeof root === 'object' && 'data' in root) {
    const o = root as Record<string, unknown>;
    rowsJson = o.data;
    labelsJson = o.labels;
    labelNamesJson = o.labelNames;
    featureNamesJson = o.featureNames;
    if (!Array.isArray(rowsJson))
      throw new DataError('data.bad-header', '"data" must be an array of rows', { file, field: 'data' });
  } else
    throw new DataError(
      'data.bad-header',
      'expected a JSON array of rows, or an object with "data" (and optionally "labels")',
      {
        file,
      },
    );
  const rowsArr = rowsJson as unknown[];
  const n = rowsArr.length;
  const prefix = Array.isArray(root) ? '' : 'data';
  const at = (r: number, c?: number): ErrorPlace => ({
    file,
    row: r + 1,
    ...(c === undefined ? {} : { column: c + 1 }),
    field: `element ${prefix}[${r}]${c === undefined ? '' : `[${c}]`}`,
  });
  if (n === 0) throw new DataError('data.empty', 'an empty array; expected rows of numbers', { file });
  const first = rowsArr[0];
  let dims: number;
  let featureNames: string[] | undefined;
  let recordKeys: string[] | undefined;
  let labelKey: string | undefined;
  if (typeof first === 'number' || first === null) dims = 1;
  else if (Array.isArray(first)) dims = first.length;
  else if (first !== null && typeof first === 'object') {
    recordKeys = Object.keys(first);
    if (opts.labelColumn !== undefined) {
      const lc = opts.labelColumn;
      labelKey = typeof lc === 'number' ? recordKeys.at(lc) : lc;
      if (labelKey === undefined || !recordKeys.includes(labelKey))
        throw new DataError(
          'data.bad-option',
          `no key ${JSON.stringify(lc)} for the label column; the records have ${recordKeys.join(', ')}`,
          {
            file,
          },
        );
    }
    featureNames = recordKeys.filter((k) => k !== labelKey);
    dims = featureNames.length;
  } else
    throw new DataError(
      'data.non-numeric',
      `expected a row (an array of numbers), got ${quote(JSON.stringify(first))}`,
      at(0),
    );
  checkShape(file, n, dims, opts.minRows);
  checkMemory(
    file,
    n * dims * 4 + size * 6,
    `${fmtInt(n)} rows × ${fmtInt(dims)} columns × 4 bytes plus the parsed JSON`,
    opts.maxBytes,
  );
  const data = allocFloat32(n * dims, file);
  const recordLabels: string[] = [];
  const cell = (v: unknown, r: number, c: number): number => {
    if (typeof v === 'number') {
      if (!Number.isFinite(Math.fround(v)))
        throw new DataError(
          'data.non-finite',
          `the value ${v} does not fit in float32 (|x| ≤ 3.4e38)`,
          at(r, c),
        );
      return v;
    }
    if (v === null) return NaN;
    if (typeof v === 'string' && /^[+-]?(inf|infinity)$/i.test(v.trim()))
      throw new DataError('data.non-finite', `expected a finite number, got ${quote(v)}`, at(r, c));
    throw new DataError(
      'data.non-numeric',
      `expected a number, got ${typeof v === 'string' ? quote(v) : (JSON.stringify(v) ?? String(v))}`,
      at(r, c),
    );
  };
  for (let r = 0; r < n; r++) {
    const row = rowsArr[r];
    if (recordKeys) {
      if (row === null || typeof row !== 'object' || Array.isArray(row))
        throw new DataError(
          'data.ragged',
          `expected a record like the first one, got ${quote(JSON.stringify(row) ?? String(row))}`,
          at(r),
        );
      const rec = row as Record<string, unknown>;
      const keys = Object.keys(rec);
      if (keys.length !== recordKeys.length || !recordKeys.every((k) => k in rec))
        throw new DataError(
          'data.ragged',
          `expected the keys ${recordKeys.join(', ')} (as in the first record), got ${keys.join(', ')}`,
          at(r),
        );
      featureNames!.forEach((k, c) => (data[r * dims + c] = cell(rec[k], r, c)));
      if (labelKey !== undefined) recordLabels.push(jsonLabel(rec[labelKey], file, r));
    } else if (dims === 1 && !Array.isArray(row)) data[r] = cell(row, r, 0);
    else {
      if (!Array.isArray(row))
        throw new DataError(
          'data.ragged',
          `expected a row of ${dims} numbers, got ${quote(JSON.stringify(row) ?? String(row))}`,
          at(r),
        );
      if (row.length !== dims)
        throw new DataError(
          'data.ragged',
          `expected ${dims} values (as in the first row), found ${row.length}`,
          at(r),
        );
      for (let c = 0; c < dims; c++) data[r * dims + c] = cell(row[c], r, c);
    }
  }
  const m = applyMissing(data, n, dims, opts.missing, (r, c) => at(r, c));
  checkShape(file, m.rows, dims, opts.minRows);
  const ds: LoadedBody = {
    sha256: await sha256OfFile(file),
    rows: m.rows,
    dims,
    data: m.data,
  };
  if (m.kept) ds.dropped = { from: n, kept: m.kept };
  if (featureNames) ds.featureNames = featureNames;
  else if (
    Array.isArray(featureNamesJson) &&
    featureNamesJson.length === dims &&
    featureNamesJson.every((s) => typeof s === 'string')
  )
    ds.featureNames = featureNamesJson as string[];
  let labelValues: string[] | undefined;
  if (labelKey !== undefined) labelValues = recordLabels;
  else if (labelsJson !== undefined) {
    if (!Array.isArray(labelsJson))
      throw new DataError('data.bad-labels', '"labels" must be an array', { file, field: 'labels' });
    if (labelsJson.length !== n)
      throw new DataError(
        'data.label-mismatch',
        `"labels" has ${fmtInt(labelsJson.length)} entries but "data" has ${fmtInt(n)} rows; expected one label per row`,
        {
          file,
          field: 'labels',
        },
      );
    const names = Array.isArray(labelNamesJson) ? labelNamesJson : undefined;
    labelValues = labelsJson.map((x, i) => {
      const t = jsonLabel(x, file, i);
      // Integer labels indexing "labelNames" are shown by name.
      return names && typeof x === 'number' && Number.isInteger(x) && typeof names[x] === 'string'
        ? labelText(names[x])
        : t;
    });
  }
  if (labelValues) {
    const kept = m.kept ? Array.from(m.kept, (r) => labelValues[r]!) : labelValues;
    const enc = encodeLabels(kept);
    ds.labels = enc.labels;
    ds.labelNames = enc.labelNames;
  }
  return ds;
}
