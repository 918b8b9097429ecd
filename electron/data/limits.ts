/**
 * What a reader may hold while it reads, derived from the memory limit (`--max-memory`, default
 * 2 GiB) so that one knob scales them all. Every limit is checked while the bytes stream in, before
 * the memory is spent: a line, a field, a row's width, a gzip stream's inflated size and its ratio.
 * The defaults are far past any sane table (a 16 MiB line holds 700,000 numbers of 24 characters),
 * and each refusal names the figure, the limit and the flag that raises it. Isomorphic.
 */
import { DataError, fmtBytes, fmtInt } from './errors';
import type { ErrorPlace } from '../shared/errors';

const KiB = 1024;
const MiB = 1024 * KiB;

export interface ReadLimits {
  /** The memory limit they derive from, bytes. */
  maxBytes: number;
  /** Longest line of a text file (CSV, labels), bytes: the memory limit / 128, 1–256 MiB. */
  line: number;
  /** Longest field (a CSV cell, a JSON string), characters: the memory limit / 2048, 64 KiB–16 MiB. */
  field: number;
  /**
   * Most fields in a row (CSV, JSON records): the memory limit / 4096, at least 1,024. A column
   * costs its bookkeeping (≈150 bytes) while reading and a name, a mean and a spread afterwards.
   */
  columns: number;
  /** gzip: most bytes inflated, 8 × the memory limit (25-byte savetxt numbers still fit). */
  inflated: number;
  /** gzip: most inflated bytes per compressed byte once past `ratioGrace` inflated bytes. */
  ratio: number;
  /** Inflated bytes below which the ratio is not checked (a small file is quick whatever it holds). */
  ratioGrace: number;
}

/**
 * Deflate cannot exceed ≈1032:1. Real tables stay well under: measured, a 784-column CSV of
 * zeros 563:1, one of 90% zero rows 518:1, a 100-level one-hot CSV 104:1. A stream past 1000:1 is
 * one pattern repeated: a gzip bomb.
 */
export const DEFAULT_GZIP_RATIO = 1000;

const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, Math.floor(v)));

export function readLimits(maxBytes: number, ratio = DEFAULT_GZIP_RATIO): ReadLimits {
  return {
    maxBytes,
    line: clamp(maxBytes / 128, MiB, 256 * MiB),
    field: clamp(maxBytes / 2048, 64 * KiB, 16 * MiB),
    columns: clamp(maxBytes / 4096, 1024, 16 * MiB),
    inflated: 8 * maxBytes,
    ratio,
    ratioGrace: 64 * MiB,
  };
}

/** The limits of a load's options. */
export function limitsOf(o: { maxBytes: number; maxGzipRatio?: number }): ReadLimits {
  return readLimits(o.maxBytes, o.maxGzipRatio);
}

/** "… the limit is 16.0 MiB (1/128 of the memory limit of 2.0 GiB: raise it with --max-memory)". */
function derived(limit: string, share: string, l: ReadLimits): string {
  return `the limit is ${limit} (${share} of the memory limit of ${fmtBytes(l.maxBytes)}: raise it with --max-memory)`;
}

export function lineTooLong(where: ErrorPlace, seen: number, l: ReadLimits): DataError {
  return new DataError(
    'data.too-large',
    `a line of more than ${fmtBytes(seen)} without a line end; ${derived(fmtBytes(l.line), '1/128', l)}; expected lines of delimited text`,
    where,
  );
}

export function fieldTooLong(
  where: ErrorPlace,
  what: string,
  seen: number,
  l: ReadLimits,
  expected: string,
): DataError {
  return new DataError(
    'data.too-large',
    `${what} of more than ${fmtInt(seen)} characters; ${derived(`${fmtInt(l.field)} characters`, '1/2048', l)}; ${expected}`,
    where,
  );
}

export function tooManyColumns(where: ErrorPlace, seen: number, l: ReadLimits): DataError {
  return new DataError(
    'data.too-large',
    `a row of ${seen > l.columns ? fmtInt(seen) : `more than ${fmtInt(l.columns)}`} fields; ${derived(`${fmtInt(l.columns)} columns`, '1/4096', l)}`,
    where,
  );
}

/** Refuse a gzip stream past its size or ratio cap; called as each inflated chunk arrives. */
export function checkInflated(file: string, inflated: number, compressed: number, l: ReadLimits): void {
  if (inflated > l.inflated)
    throw new DataError(
      'data.too-large',
      `the gzip stream inflates past ${fmtBytes(inflated)} (from ${fmtBytes(compressed)}); the limit is ${fmtBytes(l.inflated)} (8 × the memory limit of ${fmtBytes(l.maxBytes)}: raise it with --max-memory)`,
      { file, byteOffset: compressed },
    );
  if (inflated > l.ratioGrace && inflated > l.ratio * compressed)
    throw new DataError(
      'data.too-large',
      `the gzip stream inflates ${fmtInt(inflated / Math.max(1, compressed))}:1 (${fmtBytes(inflated)} from ${fmtBytes(compressed)}), past the limit of ${fmtInt(l.ratio)}:1 (raise it with --max-gzip-ratio); this looks like a gzip bomb`,
      { file, byteOffset: compressed },
    );
}
