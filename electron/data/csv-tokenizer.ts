/**
 * An RFC 4180 CSV/TSV tokenizer fed chunk by chunk: quoted fields with embedded delimiters,
 * newlines and doubled quotes; CRLF or LF line ends; a single-character delimiter or runs of
 * whitespace. It emits each record with the 1-based line on which it starts. A field longer than
 * the field limit, or a record with more fields than the column limit, is refused as it grows
 * (limits.ts), naming the line and the byte offset where it starts. Isomorphic.
 */
import type { ErrorPlace } from '../shared/errors';
import { DataError } from './errors';
import { fieldTooLong, readLimits, tooManyColumns, type ReadLimits } from './limits';

export type Delimiter = string | 'whitespace';

export interface CsvRecord {
  fields: string[];
  /** 1-based line of the file where the record starts. */
  line: number;
}

const QUOTE = 34;
const LF = 10;
const CR = 13;
const SPACE = 32;
const TAB = 9;

/** UTF-8 length of s[0, end): the byte offset of a position in a decoded piece. */
function utf8Length(s: string, end: number): number {
  let n = 0;
  for (let i = 0; i < end; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < end) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}

/** A position in the input: the piece of text it lies in, the index there, the piece's first byte. */
interface Mark {
  piece: string;
  index: number;
  byte: number;
}

export class CsvTokenizer {
  private fields: string[] = [];
  private buf = '';
  /** 0: outside quotes, 1: inside quotes, 2: just after a quote inside quotes. */
  private q = 0;
  private wasQuoted = false;
  private hasContent = false;
  private line = 1;
  private recLine = 1;
  private quoteLine = 1;
  private readonly delim: number;
  private readonly ws: boolean;
  /** The piece being fed and the byte offset of its first character (NaN when unknown). */
  private piece = '';
  private pieceByte = NaN;
  /** Where the record and the quoted field in progress start. */
  private recMark: Mark = { piece: '', index: 0, byte: 0 };
  private quoteMark: Mark = { piece: '', index: 0, byte: 0 };
  /**
   * Optional fast consumer of a quote-free line s[start, end) (no line end): returns true when it
   * took the line, false to have it split into fields and emitted as usual.
   */
  onLine: ((s: string, start: number, end: number, line: number) => boolean) | undefined;

  constructor(
    delimiter: Delimiter,
    private readonly emit: (r: CsvRecord) => void,
    private readonly file = '',
    private readonly limits: ReadLimits = readLimits(2 * 1024 ** 3),
  ) {
    this.ws = delimiter === 'whitespace';
    this.delim = this.ws ? -1 : delimiter.charCodeAt(0);
  }

  /** 1-based line of the next character to be fed. */
  get lineNumber(): number {
    return this.line;
  }

  private mark(index: number): Mark {
    return { piece: this.piece, index, byte: this.pieceByte };
  }

  private place(row: number, m: Mark): ErrorPlace {
    const where: ErrorPlace = { file: this.file, row };
    if (!Number.isNaN(m.byte)) where.byteOffset = m.byte + utf8Length(m.piece, m.index);
    return where;
  }

  private endField(tail: string): void {
    let v = this.buf + tail;
    if (!this.wasQuoted) v = v.trim();
    else v = v.replace(/[ \t\r]+$/, '');
    if (this.fields.length >= this.limits.columns)
      throw tooManyColumns(this.place(this.recLine, this.recMark), this.fields.length, this.limits);
    this.fields.push(v);
    this.buf = '';
    this.wasQuoted = false;
    this.hasContent = false;
  }

  private endRecord(): void {
    const f = this.fields;
    this.fields = [];
    // A blank line is no record.
    if (!(f.length === 1 && f[0] === '') && f.length > 0) this.emit({ fields: f, line: this.recLine });
    this.recLine = this.line + 1;
  }

  /** No field or record in progress: the next character starts a new record. */
  private get clean(): boolean {
    return this.q === 0 && this.fields.length === 0 && this.buf === '' && !this.wasQuoted && !this.hasContent;
  }

  /** Feed the next piece of text; `byteOffset` is where it starts in the file (for messages). */
  feed(s: string, byteOffset = NaN): void {
    this.piece = s;
    this.pieceByte = byteOffset;
    let i = 0;
    if (!this.clean) {
      // Finish the record in progress character by character, up to its line end.
      const nl = s.indexOf('\n');
      if (nl < 0) return this.scan(s, 0);
      this.scan(s, 0, nl + 1);
      i = nl + 1;
    }
    // Fast path: no quote in the rest of the chunk, so each line is a record and split() splits it.
    if (this.clean && !this.ws && s.indexOf('"', i) < 0) this.fast(s, i);
    else this.scan(s, i);
  }

  private fast(s: string, from: number): void {
    const delim = String.fromCharCode(this.delim);
    let pos = from;
    for (;;) {
      const nl = s.indexOf('\n', pos);
      if (nl < 0) break;
      let end = nl;
      if (end > pos && s.charCodeAt(end - 1) === CR) end--;
      if (end > pos && !this.onLine?.(s, pos, end, this.line)) {
        // A line is shorter than a piece (LineGuard), so splitting it costs at most a piece's worth.
        const fields = s.slice(pos, end).split(delim);
        if (fields.length > this.limits.columns)
          throw tooManyColumns(this.place(this.line, this.mark(pos)), fields.length, this.limits);
        for (let k = 0; k < fields.length; k++) {
          const f = fields[k]!;
          const a = f.charCodeAt(0);
          const b = f.charCodeAt(f.length - 1);
          // Trim as the character loop does (String.prototype.trim's whitespace: ≤ 32, NBSP, U+1680, ≥ U+2000).
          if (
            a <= 32 ||
            b <= 32 ||
            a === 160 ||
            b === 160 ||
            a === 0x1680 ||
            b === 0x1680 ||
            a >= 0x2000 ||
            b >= 0x2000
          )
            fields[k] = f.trim();
        }
        if (!(fields.length === 1 && fields[0] === '')) this.emit({ fields, line: this.line });
      }
      this.line++;
      this.recLine = this.line;
      pos = nl + 1;
    }
    if (pos < s.length) this.scan(s, pos);
  }

  /** The character loop over s[from, to). */
  private scan(s: string, from: number, to = s.length): void {
    let start = from;
    if (this.clean) this.recMark = this.mark(from);
    for (let i = from; i < to; i++) {
      const c = s.charCodeAt(i);
      if (this.q === 1) {
        if (c === QUOTE) {
          this.buf += s.slice(start, i);
          this.q = 2;
          start = i + 1;
        } else if (c === LF) this.line++;
        continue;
      }
      if (this.q === 2) {
        if (c === QUOTE) {
          // A doubled quote inside a quoted field is one quote.
          this.buf += '"';
          this.q = 1;
          start = i + 1;
          continue;
        }
        this.q = 0;
        start = i;
      }
      if (c === LF) {
        if (!this.ws || this.hasContent || this.wasQuoted || this.fields.length === 0)
          this.endField(s.slice(start, i));
        this.endRecord();
        this.line++;
        start = i + 1;
        this.recMark = this.mark(start);
      } else if (this.ws ? c === SPACE || c === TAB : c === this.delim) {
        if (!this.ws || this.hasContent || this.wasQuoted) this.endField(s.slice(start, i));
        start = i + 1;
      } else if (c === QUOTE && !this.hasContent && !this.wasQuoted) {
        // A quote after optional spaces opens a quoted field; the spaces are dropped.
        this.q = 1;
        this.wasQuoted = true;
        this.buf = '';
        this.quoteLine = this.line;
        this.quoteMark = this.mark(i);
        start = i + 1;
      } else if (c !== SPACE && c !== TAB && c !== CR) this.hasContent = true;
    }
    if (start < to) this.buf += s.slice(start, to);
    // One field growing past the limit is no CSV (or an unclosed quote): stop while it is small.
    if (this.buf.length > this.limits.field)
      throw fieldTooLong(
        this.q === 1 ? this.place(this.quoteLine, this.quoteMark) : this.place(this.recLine, this.recMark),
        this.q === 1 ? 'a quoted field' : 'a field',
        this.buf.length,
        this.limits,
        this.q === 1 ? 'expected a closing "' : 'expected delimited text (is this a CSV file?)',
      );
  }

  /** End of input: flush the last record; an open quote is an error. */
  end(): void {
    if (this.q === 1)
      throw new DataError(
        'data.syntax',
        'a quoted field is never closed; expected a closing " before the end of the file',
        {
          file: this.file,
          row: this.quoteLine,
        },
      );
    if (this.hasContent || this.wasQuoted || this.fields.length > 0) {
      if (!this.ws || this.hasContent || this.wasQuoted) this.endField('');
      this.endRecord();
    }
  }
}
