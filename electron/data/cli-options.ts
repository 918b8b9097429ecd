/**
 * The command-line options that reach loadDataset, shared by every command that takes `--data`
 * (`train`, `datasets inspect`): add them with `addDataOptions(cmd)` and turn the parsed values
 * into LoadOptions with `loadOptionsFrom(opts)`. Bad values are DataErrors (exit status 2).
 */
import type { Command } from 'commander';
import { DataError } from './errors';
import type { LoadOptions } from './options';

export interface DataCliOptions {
  labels?: string;
  labelColumn?: string;
  missing?: string;
  delimiter?: string;
  decimal?: string;
  header?: boolean;
  categorical?: string;
  imageSize?: string;
  color?: string;
  rawPixels?: boolean;
  transposeImages?: boolean;
  maxMemory?: string;
  maxGzipRatio?: string;
}

export function addDataOptions(cmd: Command): Command {
  return cmd
    .option('--labels <path>', 'labels file: IDX, .npy, .json array, or one label per line')
    .option('--label-column <name|index>', 'CSV/JSON: the label column, by header name or 0-based index')
    .option('--missing <policy>', 'missing values: error (default), drop the row, or mean (impute)')
    .option(
      '--delimiter <char>',
      'CSV: the field delimiter (default: detected; "tab" or "whitespace" work too)',
    )
    .option(
      '--decimal <mark>',
      'CSV: the decimal mark, "." or "," (default: detected; "12,5" in a ;- or tab-delimited file is read as 12.5)',
    )
    .option('--header', 'CSV: the first row is a header (default: detected)')
    .option('--no-header', 'CSV: the first row is data')
    .option('--categorical <cols>', 'CSV: comma-separated columns to one-hot encode even if numeric')
    .option('--image-size <WxH|N>', 'image folders: resize every image to this size')
    .option('--color <grey|rgb>', 'image folders: greyscale or RGB (default: detected)')
    .option('--raw-pixels', '8-bit images: keep 0–255 instead of scaling to [0, 1]')
    .option('--transpose-images', 'IDX: transpose each image (EMNIST)')
    .option(
      '--max-memory <size>',
      'refuse datasets needing more memory than this (e.g. 512M, 4G; default 2G); the limits on lines, fields and columns grow with it, and training may use 4 × it',
    )
    .option('--max-gzip-ratio <n>', 'gzip: refuse a stream that inflates more than n:1 (default 1000)');
}

/** "2G", "512M", "1.5GiB", "1000000" → bytes. */
export function parseByteSize(s: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([kmgt]?)(?:i?b)?\s*$/i.exec(s);
  if (!m)
    throw new DataError(
      'data.bad-option',
      `--max-memory: expected a size such as 512M or 4G, got ${JSON.stringify(s)}`,
    );
  const pow = { '': 0, k: 1, m: 2, g: 3, t: 4 }[m[2]!.toLowerCase() as '' | 'k' | 'm' | 'g' | 't'];
  const v = Number(m[1]) * 1024 ** pow;
  if (!(v > 0))
    throw new DataError('data.bad-option', `--max-memory must be positive, got ${JSON.stringify(s)}`);
  return v;
}

export function loadOptionsFrom(o: DataCliOptions): LoadOptions {
  const out: LoadOptions = {};
  if (o.labels !== undefined) out.labels = o.labels;
  if (o.labelColumn !== undefined)
    out.labelColumn = /^-?\d+$/.test(o.labelColumn) ? Number(o.labelColumn) : o.labelColumn;
  if (o.missing !== undefined) {
    if (o.missing !== 'error' && o.missing !== 'drop' && o.missing !== 'mean')
      throw new DataError(
        'data.bad-option',
        `--missing: expected error, drop or mean, got ${JSON.stringify(o.missing)}`,
      );
    out.missing = o.missing;
  }
  if (o.delimiter !== undefined) {
    const d =
      { tab: '\t', '\\t': '\t', whitespace: 'whitespace', space: 'whitespace' }[o.delimiter] ?? o.delimiter;
    if (d !== 'whitespace' && d.length !== 1)
      throw new DataError(
        'data.bad-option',
        `--delimiter: expected one character, "tab" or "whitespace", got ${JSON.stringify(o.delimiter)}`,
      );
    out.delimiter = d;
  }
  if (o.decimal !== undefined) {
    const d = { '.': '.', ',': ',', point: '.', comma: ',' }[o.decimal];
    if (d !== '.' && d !== ',')
      throw new DataError(
        'data.bad-option',
        `--decimal: expected "." or ",", got ${JSON.stringify(o.decimal)}`,
      );
    out.decimal = d;
  }
  if (o.header !== undefined) out.header = o.header;
  if (o.categorical !== undefined)
    out.categorical = o.categorical.split(',').map((s) => (/^-?\d+$/.test(s.trim()) ? Number(s) : s.trim()));
  if (o.imageSize !== undefined) {
    const m = /^(\d+)(?:x(\d+))?$/i.exec(o.imageSize.trim());
    if (!m)
      throw new DataError(
        'data.bad-option',
        `--image-size: expected WxH or N (pixels), got ${JSON.stringify(o.imageSize)}`,
      );
    out.imageSize = { width: Number(m[1]), height: Number(m[2] ?? m[1]) };
  }
  if (o.color !== undefined) {
    const c = o.color === 'gray' ? 'grey' : o.color;
    if (c !== 'grey' && c !== 'rgb')
      throw new DataError('data.bad-option', `--color: expected grey or rgb, got ${JSON.stringify(o.color)}`);
    out.color = c;
  }
  if (o.rawPixels) out.rawPixels = true;
  if (o.transposeImages) out.transposeImages = true;
  if (o.maxMemory !== undefined) out.maxBytes = parseByteSize(o.maxMemory);
  if (o.maxGzipRatio !== undefined) {
    const r = Number(o.maxGzipRatio);
    if (!(Number.isFinite(r) && r >= 1))
      throw new DataError(
        'data.bad-option',
        `--max-gzip-ratio: expected a number ≥ 1, got ${JSON.stringify(o.maxGzipRatio)}`,
      );
    out.maxGzipRatio = r;
  }
  return out;
}
