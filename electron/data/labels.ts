/**
 * Labels: from a label column, a `{data, labels}` JSON, or a separate file (IDX idx1, .npy, .json
 * array, or text with one label per line). Labels become indices into sorted label names: numeric
 * labels in numeric order (so MNIST's 0–9 map to themselves), others alphabetically.
 */
import { DataError, fmtBytes } from './errors';
import { readIdxLabels } from './idx';
import { labelsFromNumbers, type Labels } from './label-values';
import { readJsonLabels, readTextLabels } from './labels-text';
import { loadNpy } from './npy';
import { isGzip, readHead, statPath } from './source';
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
  return lower.endsWith('.json') ? readJsonLabels(file, opts) : readTextLabels(file, opts);
}

export { labelsFromNumbers, type Labels };
