/** Options every loader understands (see load.ts for the dispatch). */
import type { MissingPolicy } from './validate';

export interface LoadOptions {
  /** A labels file: IDX (idx1), .npy, .json (an array) or text/CSV with one label per line. */
  labels?: string;
  /** CSV/TSV/JSON records: the label column, by header name or 0-based index (negative: from the end). */
  labelColumn?: string | number;
  /** Missing values (empty cells, NA, NaN, null): refuse (default), drop the row, or impute the column mean. */
  missing?: MissingPolicy;
  /** CSV: the field delimiter; detected when absent (`,` `\t` `;` `|`, or runs of spaces). */
  delimiter?: string;
  /**
   * CSV/TSV: the decimal mark. Detected when absent: a file delimited by `;`, tabs, `|` or spaces
   * whose numeric-looking cells are written `12,5` is read with decimal commas (and says so in a
   * warning). `.` turns the detection off.
   */
  decimal?: '.' | ',';
  /** CSV: whether the first row is a header; detected when absent. */
  header?: boolean;
  /** CSV: columns to one-hot encode even though they hold numbers (names or 0-based indices). */
  categorical?: (string | number)[];
  /** CSV: refuse a categorical column with more distinct values than this (default 256). */
  maxLevels?: number;
  /** Image folders: resize every image to this size (pixels); without it all images must share one size. */
  imageSize?: number | { width: number; height: number };
  /** Image folders: greyscale (1 channel) or RGB (3); default: grey when every image is grey. */
  color?: 'grey' | 'rgb';
  /** 8-bit images (folders, IDX ubyte): keep 0–255 instead of scaling to [0, 1]. */
  rawPixels?: boolean;
  /** IDX: transpose each image (EMNIST's files store them column by column; default: when the name contains "emnist"). */
  transposeImages?: boolean;
  /**
   * Memory limit in bytes for the loaded data (default 2 GiB); the estimate is checked before
   * loading, and the limits on lines, fields, columns and gzip streams derive from it (limits.ts).
   */
  maxBytes?: number;
  /** gzip: refuse a stream that inflates more than this many times its compressed size (default 1000). */
  maxGzipRatio?: number;
  /** Fewest rows accepted (default 2: one to train on, one to validate). */
  minRows?: number;
  /** Built-in samples: defaults for the spec's rows, noise and seed. */
  rows?: number;
  noise?: number;
  seed?: number;
}

export interface ResolvedOptions extends LoadOptions {
  missing: MissingPolicy;
  maxBytes: number;
  minRows: number;
}
