/**
 * Checks on the raw bytes of a text file, run on each chunk before it is decoded and parsed: the
 * line-length cap (so a file without line ends is refused after one line's worth of bytes, not
 * after the memory is spent) and a UTF-8 validator that finds where invalid sequences are (the
 * decoder silently turns them into U+FFFD). Both count byte offsets exactly. Isomorphic.
 */
import type { ErrorPlace } from '../shared/errors';
import { lineTooLong, type ReadLimits } from './limits';

const LF = 10;

/** Newlines in bytes[from, to). */
function newlines(bytes: Uint8Array, from: number, to: number): number {
  let k = 0;
  for (let i = bytes.indexOf(LF, from); i >= 0 && i < to; i = bytes.indexOf(LF, i + 1)) k++;
  return k;
}

/**
 * Refuses a line longer than `limits.line` bytes. `rowAt()` is the 1-based line number at the start
 * of the chunk being checked (the parser has read every chunk before it).
 */
export class LineGuard {
  /** Bytes of the line in progress, and the byte offset where it starts. */
  private run = 0;
  private start = 0;
  /** Byte offset of the next chunk. */
  private base = 0;

  constructor(
    private readonly file: string,
    private readonly limits: ReadLimits,
    private readonly rowAt: () => number,
  ) {}

  private fail(chunk: Uint8Array, at: number, lineStart: number, seen: number): never {
    const where: ErrorPlace = {
      file: this.file,
      row: this.rowAt() + newlines(chunk, 0, Math.max(0, at)),
      byteOffset: lineStart,
    };
    throw lineTooLong(where, seen, this.limits);
  }

  check(chunk: Uint8Array): void {
    const max = this.limits.line;
    const n = chunk.length;
    const first = chunk.indexOf(LF);
    if (first < 0) {
      this.run += n;
      if (this.run > max) this.fail(chunk, 0, this.start, this.run);
      this.base += n;
      return;
    }
    if (this.run + first > max) this.fail(chunk, 0, this.start, this.run + first);
    // Whole lines inside the chunk can be too long only when the limit is below the chunk size.
    if (max < n)
      for (let a = first + 1, b = chunk.indexOf(LF, a); b >= 0; a = b + 1, b = chunk.indexOf(LF, a))
        if (b - a > max) this.fail(chunk, a, this.base + a, b - a);
    const last = chunk.lastIndexOf(LF);
    this.run = n - last - 1;
    this.start = this.base + last + 1;
    if (this.run > max) this.fail(chunk, last + 1, this.start, this.run);
    this.base += n;
  }
}

/** The first invalid UTF-8 sequence met, and how many there were. */
export interface Utf8Problem {
  byteOffset: number;
  row: number;
  count: number;
}

/** Where the last, incomplete multi-byte sequence of `b` starts (b.length when there is none). */
function completeUpTo(b: Uint8Array): number {
  const n = b.length;
  for (let back = 1; back <= Math.min(3, n); back++) {
    const c = b[n - back]!;
    if (c < 0x80) return n;
    if (c >= 0xc0) {
      const len = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : 2;
      return len > back ? n - back : n;
    }
  }
  return n;
}

/**
 * A streaming UTF-8 validator (Unicode's Table 3-7 of well-formed byte sequences). ASCII chunks
 * and chunks a native `isValid` (Node's buffer.isUtf8) accepts whole are skipped; others are
 * walked byte by byte.
 */
export class Utf8Check {
  problem: Utf8Problem | undefined;
  /** Continuation bytes still expected, and the range of the next one. */
  private need = 0;
  private lo = 0x80;
  private hi = 0xbf;
  /** Byte offset where the sequence in progress started, and of the next chunk. */
  private seqStart = 0;
  private base = 0;

  constructor(
    private readonly rowAt: () => number,
    private readonly isValid?: (b: Uint8Array) => boolean,
  ) {}

  private bad(chunk: Uint8Array, offset: number): void {
    if (this.problem) {
      this.problem.count++;
      return;
    }
    const at = offset - this.base;
    this.problem = { byteOffset: offset, row: this.rowAt() + newlines(chunk, 0, Math.max(0, at)), count: 1 };
  }

  check(chunk: Uint8Array, ascii: boolean): void {
    const n = chunk.length;
    if (this.need === 0 && ascii) {
      this.base += n;
      return;
    }
    // A chunk usually ends inside a multi-byte sequence: the native check takes all but that tail.
    let from = 0;
    if (this.need === 0 && this.isValid) {
      const cut = completeUpTo(chunk);
      if (this.isValid(chunk.subarray(0, cut))) from = cut;
    }
    this.walk(chunk, from);
    this.base += n;
  }

  private walk(chunk: Uint8Array, from: number): void {
    const n = chunk.length;
    for (let i = from; i < n; i++) {
      const b = chunk[i]!;
      if (this.need > 0) {
        if (b >= this.lo && b <= this.hi) {
          this.need--;
          this.lo = 0x80;
          this.hi = 0xbf;
          continue;
        }
        // A sequence cut short: invalid where it started; this byte starts afresh.
        this.bad(chunk, this.seqStart);
        this.need = 0;
        this.lo = 0x80;
        this.hi = 0xbf;
      }
      if (b < 0x80) continue;
      this.seqStart = this.base + i;
      if (b >= 0xc2 && b <= 0xdf) this.need = 1;
      else if (b >= 0xe0 && b <= 0xef) {
        this.need = 2;
        if (b === 0xe0) this.lo = 0xa0;
        else if (b === 0xed) this.hi = 0x9f;
      } else if (b >= 0xf0 && b <= 0xf4) {
        this.need = 3;
        if (b === 0xf0) this.lo = 0x90;
        else if (b === 0xf4) this.hi = 0x8f;
      } else this.bad(chunk, this.base + i);
    }
  }

  /** End of input: a sequence still open is invalid. */
  end(): void {
    if (this.need > 0) {
      if (this.problem) this.problem.count++;
      else this.problem = { byteOffset: this.seqStart, row: this.rowAt(), count: 1 };
      this.need = 0;
    }
  }
}
