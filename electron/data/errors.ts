/**
 * Errors for bad dataset input. A `DataError` is a `UserError` (the command line prints it as one
 * `error:` line and exits 2; the app shows it and keeps what was loaded before) whose `where` names
 * the file and the place — row and column (1-based, as an editor or spreadsheet counts them), byte
 * offset, or an array index — and whose message says what was expected.
 */
import { UserError, type ErrorPlace } from '../shared/errors';

export type DataErrorCode =
  | 'data.missing-file'
  | 'data.not-a-file'
  | 'data.unknown-format'
  | 'data.empty'
  | 'data.header-only'
  | 'data.too-few-rows'
  | 'data.ragged'
  | 'data.non-numeric'
  | 'data.non-finite'
  | 'data.missing-value'
  | 'data.bad-magic'
  | 'data.bad-header'
  | 'data.truncated'
  | 'data.trailing-bytes'
  | 'data.corrupt'
  | 'data.syntax'
  | 'data.unsupported-dtype'
  | 'data.label-mismatch'
  | 'data.bad-labels'
  | 'data.mixed-image-sizes'
  | 'data.bad-image'
  | 'data.too-large'
  | 'data.too-many-levels'
  | 'data.bad-option'
  | 'data.unknown-sample';

export class DataError extends UserError {
  declare readonly code: DataErrorCode;

  constructor(code: DataErrorCode, message: string, where?: ErrorPlace) {
    super(code, message, where);
  }
}

/** "1,234,567" — figures in messages are easier to read grouped. */
export function fmtInt(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

/** "1.5 GiB", "12.0 MiB", "800 bytes". */
export function fmtBytes(n: number): string {
  const units = ['bytes', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = n;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return u === 0 ? `${fmtInt(v)} bytes` : `${v.toFixed(1)} ${units[u]}`;
}

/** A cell or token quoted for a message, shortened so one bad line cannot flood the terminal. */
export function quote(s: string, max = 40): string {
  const t = s.length > max ? `${s.slice(0, max)}…` : s;
  return JSON.stringify(t);
}
