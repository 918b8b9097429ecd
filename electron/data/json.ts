/**
 * JSON datasets: an array of rows (`[[1, 2], [3, 4]]`), an array of numbers (one column), an array
 * of records (`[{"x": 1, "y": 2, "label": "a"}]`, keys as feature names), or an object
 * `{"data": [...], "labels": [...], "labelNames"?: [...], "featureNames"?: [...]}`. `null` is a
 * missing value. Parsed as a stream (json-stream.ts, json-builder.ts) straight into the float32
 * matrix: memory is the matrix plus four bytes a label whatever the text holds, every growth is
 * checked against the memory limit, and the event loop gets a turn every few milliseconds.
 */
import { isAscii, isUtf8 } from 'node:buffer';
import { DataError, fmtInt } from './errors';
import { JsonBuilder } from './json-builder';
import { JsonTokenizer } from './json-stream';
import { limitsOf } from './limits';
import type { ResolvedOptions } from './options';
import { openBytes } from './source';
import { Utf8Check } from './text-guard';
import { applyMissing, checkShape, duplicateNames, type LoadedBody } from './validate';

export async function loadJson(file: string, opts: ResolvedOptions): Promise<LoadedBody> {
  const limits = limitsOf(opts);
  const src = openBytes(file, false, limits);
  const b = new JsonBuilder(file, opts, limits);
  const tok = new JsonTokenizer(b, file, limits);
  const decoder = new TextDecoder('utf-8');
  const utf8 = new Utf8Check(
    () => tok.lineNumber,
    (c) => isUtf8(c),
  );
  let first = true;
  // ASCII chunks skip the UTF-8 decoder (Latin-1 is a byte copy) when no sequence is pending.
  let clean = true;
  for await (const chunk of src.chunks) {
    if (chunk.length === 0) continue;
    const b = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    const ascii = isAscii(b);
    utf8.check(chunk, ascii);
    let text = clean && ascii ? b.toString('latin1') : decoder.decode(chunk, { stream: true });
    clean = chunk[chunk.length - 1]! < 0x80;
    if (first && text.length > 0) {
      first = false;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    tok.feed(text);
  }
  tok.feed(decoder.decode());
  tok.end();
  utf8.end();
  if (b.rowDepth === 0)
    throw new DataError(
      'data.bad-header',
      'expected a JSON array of rows, or an object with "data" (and optionally "labels")',
      { file },
    );
  const n = b.rows;
  if (n === 0) throw new DataError('data.empty', 'an empty array; expected rows of numbers', { file });
  const dims = Math.max(0, b.dims);
  checkShape(file, n, dims, opts.minRows);
  const m = applyMissing(b.buf.take(), n, dims, opts.missing, (r, c) => b.at(r, c));
  checkShape(file, m.rows, dims, opts.minRows);
  const ds: LoadedBody = { sha256: src.digest(), rows: m.rows, dims, data: m.data };
  if (m.kept) ds.dropped = { from: n, kept: m.kept };
  const names = b.featureNamesJson;
  if (b.featureNames) ds.featureNames = b.featureNames;
  else if (names && names.length === dims && names.every((s) => s !== undefined))
    ds.featureNames = names as string[];
  const warnings = b.warnings;
  const bad = utf8.problem;
  if (bad)
    warnings.push(
      `invalid UTF-8 at byte ${fmtInt(bad.byteOffset)} (line ${bad.row})${bad.count > 1 ? ` and ${fmtInt(bad.count - 1)} more place${bad.count > 2 ? 's' : ''}` : ''}: read as U+FFFD (�); expected UTF-8 text (re-save the file as UTF-8)`,
    );
  const dup =
    ds.featureNames && !b.featureNames ? duplicateNames(ds.featureNames, 'feature names') : undefined;
  if (dup) warnings.push(dup);
  const labels = b.labelKey !== undefined ? b.recordLabels : b.labelsGiven ? b.labels : undefined;
  if (labels && b.labelKey === undefined && labels.count !== n)
    throw new DataError(
      'data.label-mismatch',
      `"labels" has ${fmtInt(labels.count)} entries but "data" has ${fmtInt(n)} rows; expected one label per row`,
      { file, field: 'labels' },
    );
  if (labels) {
    const enc = labels.encode(b.labelKey === undefined ? b.labelNames : undefined, m.kept);
    ds.labels = enc.labels;
    ds.labelNames = enc.labelNames;
  }
  if (warnings.length > 0) ds.warnings = warnings;
  return ds;
}
