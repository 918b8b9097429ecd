/**
 * CSV/TSV, the middle: records (or whole quote-free lines, the fast path) into the raw cell buffer
 * (rows × width float32: numbers, NaN for missing, 0 for text) with each column's counts, the text
 * cells' level ids and the label column's ids. Every per-row array is counted against the memory
 * limit as it grows. Isomorphic.
 */
import type { ErrorPlace } from '../shared/errors';
import type { CsvRecord, Delimiter } from './csv-tokenizer';
import { DECIMAL_COMMA, MISSING, classify, parseSimpleNumber, parseSimpleRange } from './csv-cells';
import { DEFAULT_MAX_LEVELS, colLabel, decimalHint, type Column } from './csv-matrix';
import { DataError, fmtInt, quote } from './errors';
import type { ResolvedOptions } from './options';
import { FloatBuffer, checkMemory } from './validate';

const F32_MAX = 3.4028234663852886e38;
const TEXT_CHECK = 16 * 2 ** 20;

export class CsvRows {
  readonly buffer: FloatBuffer;
  rows = 0;
  /** Rows taken by the line fast path (fastLine): every non-label cell a plain decimal. */
  fastRows = 0;
  private firstDataLine = 0;
  /** Label column: an id per row into labelTexts (−1: missing). */
  labelIds: Int32Array | undefined;
  readonly labelTexts: string[] = [];
  private readonly labelIndex = new Map<string, number>();
  private readonly point: number;
  private readonly maxLevels: number;
  /** The delimiter is no character of a number (so a number parse stops at it). */
  private readonly plainDelim: boolean;

  constructor(
    private readonly file: string,
    private readonly opts: ResolvedOptions,
    readonly cols: Column[],
    private readonly header: boolean,
    readonly labelCol: number,
    private readonly delim: Delimiter,
    /** Cells are written with decimal commas. */
    readonly comma: boolean,
    initialRows: number,
  ) {
    this.point = comma ? 44 : 46;
    this.plainDelim = delim === 'whitespace' || !(/[\d.+-]/.test(delim) || (comma && delim === ','));
    this.maxLevels = opts.maxLevels ?? DEFAULT_MAX_LEVELS;
    if (labelCol >= 0) this.labelIds = new Int32Array(Math.max(1024, initialRows));
    this.buffer = new FloatBuffer(initialRows * cols.length, opts.maxBytes, file, () => this.extraBytes());
  }

  /** What the rows hold beside the cells: per-row ids, and the distinct texts (two bytes a character). */
  private extraBytes(): number {
    let n = (this.labelIds?.byteLength ?? 0) + this.textBytes;
    for (const c of this.cols) n += c.ids?.byteLength ?? 0;
    return n;
  }

  /** Distinct texts kept (levels and labels), bytes; checked against the limit every 16 MiB. */
  private textBytes = 0;
  private nextTextCheck = TEXT_CHECK;

  private keepText(s: string): void {
    this.textBytes += 64 + 2 * s.length;
    if (this.textBytes < this.nextTextCheck) return;
    this.nextTextCheck += TEXT_CHECK;
    checkMemory(
      this.file,
      this.buffer.data.byteLength + this.extraBytes(),
      'the cells and the distinct texts read so far',
      this.opts.maxBytes,
    );
  }

  private place(line: number, c: number): ErrorPlace {
    return { file: this.file, row: line, column: colLabel(this.cols, c, this.header) };
  }

  /** A label cell's canonical text: numbers as JavaScript prints them ("1.0" → "1"). */
  private labelText(t: string): string {
    const v = parseSimpleNumber(t, this.point);
    if (v === v) return String(v);
    const u = this.comma && DECIMAL_COMMA.test(t) ? t.replace(',', '.') : t;
    return classify(u).kind === 'num' ? String(Number(u)) : t;
  }

  private pushLabel(text: string | undefined): void {
    let id = -1;
    if (text !== undefined) {
      id = this.labelIndex.get(text) ?? -1;
      if (id < 0) {
        id = this.labelTexts.length;
        this.labelIndex.set(text, id);
        this.labelTexts.push(text);
        this.keepText(text);
      }
    }
    let ids = this.labelIds!;
    if (this.rows >= ids.length) {
      const grown = new Int32Array(ids.length * 2);
      grown.set(ids);
      this.labelIds = ids = grown;
    }
    ids[this.rows] = id;
  }

  /** A record through the general path: any cell, checked and classified. */
  take(r: CsvRecord): void {
    if (this.firstDataLine === 0) this.firstDataLine = r.line;
    const f = r.fields;
    const cols = this.cols;
    const width = cols.length;
    if (f.length !== width)
      throw new DataError(
        'data.ragged',
        `expected ${width} field${width === 1 ? '' : 's'} (as in ${this.header ? 'the header' : `row ${this.firstDataLine}`}), found ${f.length}`,
        { file: this.file, row: r.line },
      );
    const buf = this.buffer;
    if (buf.length + width > buf.data.length) buf.grow(buf.length + width);
    const base = buf.length;
    const rows = this.rows;
    for (let c = 0; c < width; c++) {
      let s = f[c]!;
      if (c === this.labelCol) {
        if (MISSING.has(s.toLowerCase())) {
          if (this.opts.missing !== 'drop')
            throw new DataError(
              'data.missing-value',
              'missing label; expected a label in every row (or --missing drop)',
              this.place(r.line, c),
            );
          this.pushLabel(undefined);
        } else this.pushLabel(this.labelText(s));
        buf.data[base + c] = 0;
        continue;
      }
      // Numbers (the common case) without allocating a cell object.
      const simple = parseSimpleNumber(s, this.point);
      if (simple === simple && s.length > 0) {
        cols[c]!.numbers++;
        buf.data[base + c] = simple;
        continue;
      }
      if (this.comma && s.indexOf(',') >= 0 && DECIMAL_COMMA.test(s)) s = s.replace(',', '.');
      const c0 = s.charCodeAt(0);
      const c1 = s.charCodeAt(1) | 32; // not 0x…, 0b…, 0o…, which Number() would accept
      if (c0 >= 48 && c0 <= 57 && (c0 !== 48 || (c1 !== 120 && c1 !== 98 && c1 !== 111))) {
        const v = Number(s);
        if (v - v === 0 && Math.abs(v) <= F32_MAX) {
          cols[c]!.numbers++;
          buf.data[base + c] = v;
          continue;
        }
      }
      const col = cols[c]!;
      const cell = classify(s);
      if (cell.kind === 'num') {
        col.numbers++;
        buf.data[base + c] = cell.v;
        if (!Number.isFinite(Math.fround(cell.v)))
          throw new DataError(
            'data.non-finite',
            `the value ${s} does not fit in float32 (|x| ≤ 3.4e38)`,
            this.place(r.line, c),
          );
      } else if (cell.kind === 'missing') {
        col.missing++;
        col.firstMissing ??= { row: rows, line: r.line };
        buf.data[base + c] = NaN;
      } else if (cell.kind === 'inf') {
        throw new DataError(
          'data.non-finite',
          `expected a finite number, got ${quote(s)}`,
          this.place(r.line, c),
        );
      } else {
        this.text(col, c, s, r.line);
        buf.data[base + c] = 0;
      }
    }
    buf.length += width;
    this.rows++;
  }

  /** A text cell: its level id. More levels than maxLevels end the load here, whatever follows. */
  private text(col: Column, c: number, s: string, line: number): void {
    const rows = this.rows;
    col.texts++;
    col.firstText ??= { row: rows, line, value: s };
    if (!col.ids) {
      col.ids = new Int32Array(Math.max(1024, rows * 2)).fill(-1);
      col.levels = new Map();
    }
    if (rows >= col.ids.length) {
      let len = col.ids.length * 2;
      while (rows >= len) len *= 2;
      const ids = new Int32Array(len).fill(-1);
      ids.set(col.ids);
      col.ids = ids;
    }
    let id = col.levels!.get(s);
    if (id === undefined) {
      id = col.levels!.size;
      const max = this.maxLevels;
      if (id >= max) {
        // Too many levels for a categorical column; a mostly numeric one is refused for its text.
        if (col.numbers + this.fastRows < col.texts)
          throw new DataError(
            'data.too-many-levels',
            `column has more than ${fmtInt(max)} distinct text values; expected numbers, or a categorical column with few levels (an ID or free text column cannot be one-hot encoded: remove it)`,
            this.place(line, c),
          );
        const t = col.firstText;
        throw new DataError(
          'data.non-numeric',
          `expected a number, got ${quote(t.value)}${decimalHint(t.value, this.comma)} (${fmtInt(col.numbers + this.fastRows)} other cells of this column are numbers, and more than ${fmtInt(max)} distinct texts)`,
          this.place(t.line, c),
        );
      }
      col.levels!.set(s, id);
      this.keepText(s);
    }
    col.ids[rows] = id;
  }

  /** A quote-free line s[a, b): taken when every non-label cell is a plain decimal, else false. */
  fastLine(s: string, a: number, b: number, line: number): boolean {
    const delim = this.delim;
    if (delim === 'whitespace') return false;
    const width = this.cols.length;
    const buf = this.buffer;
    if (buf.length + width > buf.data.length) buf.grow(buf.length + width);
    const base = buf.length;
    const labelCol = this.labelCol;
    let label: string | undefined;
    let c = 0;
    let p = a;
    for (;;) {
      if (c >= width) return false;
      // The last field runs to the line end: no search for a delimiter that may only come far past
      // it (a one-column file has none: indexOf would scan the rest of the chunk on every line). A
      // delimiter inside it makes the number parse fail, or the label check below.
      let q = c === width - 1 && this.plainDelim ? b : s.indexOf(delim, p);
      if (q < 0 || q > b) q = b;
      if (c === labelCol) {
        const t = s.slice(p, q).trim();
        if (t === '' || MISSING.has(t.toLowerCase()) || (q === b && t.indexOf(delim) >= 0)) return false;
        label = this.labelText(t);
      } else {
        const v = parseSimpleRange(s, p, q, this.point);
        if (v !== v) return false;
        buf.data[base + c] = v;
      }
      c++;
      if (q === b) break;
      p = q + 1;
    }
    if (c !== width) return false;
    if (this.firstDataLine === 0) this.firstDataLine = line;
    if (label !== undefined) this.pushLabel(label);
    buf.length += width;
    this.rows++;
    this.fastRows++;
    return true;
  }
}
