/**
 * Labels: from a label column, a `{data, labels}` JSON, or a separate file (IDX idx1, .npy, .json
 * array, or text with one label per line). Labels become indices into sorted label names: numeric
 * labels in numeric order (so MNIST's 0–9 map to themselves), others alphabetically.
 */
import { readFile } from 'node:fs/promises';
import { DataError, fmtBytes, quote } from './errors';
import { readIdxLabels } from './idx';
import { NUMERIC, encodeLabels, jsonLabel, labelText, labelsFromNumbers, type Labels } from './label-values';
import { loadNpy } from './npy';
import { isGzip, readHead, statPath, fsError } from './source';
import type { ResolvedOptions } from './options';

/** Read a labels file given with --labels. */
export async function loadLabelsFile(file: string, opts: ResolvedOptions): Promise<Labels> {
  const st = await statPath(file);
  if (st.isDirectory())
    throw new DataError('data.not-a-file', 'is a folder; expected a labels file', { file });
  if (st.size === 0)
    throw new DataError('data.empty', 'empty labels file (0 bytes); expected one label per row', { file });
  if (st.size > opts.maxBytes)
    throw new DataError(
      'data.too-large',
      `the labels file is ${fmtBytes(st.size)}, past the limit of ${fmtBytes(opts.maxBytes)}`,
      {
        file,
      },
    );
  const head = await readHead(file, 16);
  const lower = file.toLowerCase();
  if (isGzip(head) || (head[0] === 0 && head[1] === 0 && head[2]! >= 0x08 && head[2]! <= 0x0e)) {
    return readIdxLabels(file, opts);
  }
  if (head[0] === 0x93 && lower.endsWith('.npy')) {
    const ds = await loadNpy(file, false, { ...opts, minRows: 0, missing: 'error' });
    if (ds.dims !== 1)
      throw new DataError(
        'data.bad-labels',
        `a labels array must be 1-D (or n × 1), got ${ds.rows} × ${ds.dims}`,
        { file },
      );
    return labelsFromNumbers(ds.data, file);
  }
  if (st.size > 0x1fffffe8)
    throw new DataError(
      'data.too-large',
      `a ${fmtBytes(st.size)} labels file; text labels over 512 MiB cannot be read: use IDX or .npy`,
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
  if (lower.endsWith('.json')) return labelsFromJson(text, file);
  return labelsFromText(text, file);
}

function labelsFromJson(text: string, file: string): Labels {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (e) {
    throw new DataError(
      'data.syntax',
      `not valid JSON (${e instanceof Error ? e.message : String(e)}); expected an array of labels`,
      {
        file,
      },
    );
  }
  if (!Array.isArray(v)) throw new DataError('data.bad-labels', 'expected a JSON array of labels', { file });
  return encodeLabels(v.map((x, i) => jsonLabel(x, file, i)));
}

/** One label per line; a first line that is a name over numeric labels is a header and skipped. */
function labelsFromText(text: string, file: string): Labels {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  while (lines.length > 0 && lines[lines.length - 1]!.trim() === '') lines.pop();
  const values = lines.map((l) => labelText(l.trim().replace(/^"(.*)"$/, '$1')));
  let start = 0;
  if (values.length > 1 && !NUMERIC.test(values[0]!) && values.slice(1).every((v) => NUMERIC.test(v)))
    start = 1;
  for (let i = start; i < values.length; i++) {
    const l = lines[i]!;
    if (values[i] === '')
      throw new DataError('data.bad-labels', 'empty line; expected one label per line', { file, row: i + 1 });
    if (/[,\t;]/.test(l) && !/^".*"$/.test(l.trim()))
      throw new DataError('data.bad-labels', `expected one label per line, got several fields: ${quote(l)}`, {
        file,
        row: i + 1,
      });
  }
  return encodeLabels(values.slice(start));
}

export { encodeLabels, labelsFromNumbers, labelText, jsonLabel, type Labels };
