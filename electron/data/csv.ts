/**
 * CSV/TSV: streamed line by line from the file (gunzipped if .gz). Detects the delimiter, the
 * header and a decimal comma from the first records, takes a label column by name or index, one-hot
 * encodes categorical (non-numeric) columns and records them, and handles missing values by the
 * policy (csv-rows.ts reads the cells, csv-matrix.ts builds the matrix). Each raw chunk is checked
 * before it is parsed: the line-length cap and UTF-8 validity (text-guard.ts); the tokenizer caps
 * fields and columns. What is read but suspicious (a decimal comma, invalid UTF-8, duplicate column
 * names) becomes a warning. Rows in messages are lines of the file (1-based; a header is line 1);
 * columns are 1-based with the header name when there is one.
 *
 * The steps: sniff (encoding, delimiter, decimal comma, header: `sniffDecimal`, `sniffColumns`,
 * `estimateRows`) → tokenize (streamed and bounded: `CsvReader.chunk`/`end`) → classify the columns
 * and build the matrix (csv-matrix.ts `finish`).
 */
import { isAscii, isUtf8 } from 'node:buffer';
import { CsvTokenizer, type CsvRecord, type Delimiter } from './csv-tokenizer';
import { DECIMAL_COMMA, detectHeader, sniffDelimiter } from './csv-cells';
import { finish, resolveColumn, type Column, type CsvCells } from './csv-matrix';
import { CsvRows } from './csv-rows';
import { DataError, fmtInt, quote } from './errors';
import { limitsOf } from './limits';
import type { ResolvedOptions } from './options';
import { openBytes } from './source';
import type { ReadLimits } from './limits';
import { LineGuard, Utf8Check } from './text-guard';
import { checkMemory, duplicateNames, type LoadedBody } from './validate';

const SNIFF_RECORDS = 50;
const SNIFF_CHARS = 65536;

function binary(file: string): DataError {
  return new DataError(
    'data.unknown-format',
    'binary data (NUL bytes) in a text file; expected CSV/TSV text',
    {
      file,
    },
  );
}

/** "1,000": a decimal comma, or a thousands separator? */
const THOUSANDS = /^[+-]?[1-9]\d{0,2},\d{3}$/;

/**
 * The first cell of the sniffed records that reads as a number with a decimal comma, and whether
 * every such cell could as well be an integer with a thousands separator.
 */
function findDecimalComma(
  records: CsvRecord[],
): { line: number; column: number; value: string; ambiguous: boolean } | undefined {
  let first: { line: number; column: number; value: string } | undefined;
  let clear = false;
  for (const r of records)
    for (let c = 0; c < r.fields.length; c++) {
      const f = r.fields[c]!;
      if (!DECIMAL_COMMA.test(f)) continue;
      first ??= { line: r.line, column: c + 1, value: f };
      if (!THOUSANDS.test(f)) clear = true;
    }
  return first && { ...first, ambiguous: !clear };
}

/** The delimiter asked for (a .tsv file's is the tab), checked to be one character. */
function givenDelimiter(file: string, opts: ResolvedOptions): Delimiter | undefined {
  const tsv = /\.tsv(\.gz)?$/i.test(file);
  const delim: Delimiter | undefined = opts.delimiter ?? (tsv ? '\t' : undefined);
  if (delim !== undefined && delim !== 'whitespace' && delim.length !== 1)
    throw new DataError(
      'data.bad-option',
      `the delimiter must be one character, got ${JSON.stringify(delim)}`,
      { file },
    );
  return delim;
}

/**
 * Sniff, the decimal comma: given, or detected in the first records of a file whose delimiter is
 * not a comma (refused when every such cell could as well be an integer with a thousands separator).
 */
function sniffDecimal(
  file: string,
  opts: ResolvedOptions,
  records: CsvRecord[],
  delim: Delimiter,
  warnings: string[],
): boolean {
  const found = opts.decimal === undefined && delim !== ',' ? findDecimalComma(records) : undefined;
  if (found?.ambiguous)
    throw new DataError(
      'data.bad-option',
      `cells such as ${quote(found.value)} read as ${Number(found.value.replace(',', '.'))} with a decimal comma, or as ${found.value.replace(',', '')} with a thousands separator; pass --decimal , for the first, or --decimal . (and remove the separators) for the second`,
      { file, row: found.line, column: found.column },
    );
  if (found)
    warnings.push(
      `decimal commas detected (${quote(found.value)} in row ${found.line}, column ${found.column}): cells such as ${quote(found.value)} were read as ${Number(found.value.replace(',', '.'))}; pass --decimal . to read them as text`,
    );
  return opts.decimal === ',' || found !== undefined;
}

interface SniffedColumns {
  header: boolean;
  cols: Column[];
  labelCol: number;
}

/** Sniff, the header (given or detected on the first records, read as numbers) and the columns. */
function sniffColumns(
  file: string,
  opts: ResolvedOptions,
  records: CsvRecord[],
  comma: boolean,
  warnings: string[],
): SniffedColumns {
  const first = records[0]!;
  const asNumbers = (f: string[]) =>
    comma ? f.map((v) => (DECIMAL_COMMA.test(v) ? v.replace(',', '.') : v)) : f;
  const header =
    opts.header ??
    detectHeader(
      asNumbers(first.fields),
      records.slice(1, SNIFF_RECORDS).map((r) => asNumbers(r.fields)),
    );
  const names = header ? first.fields : first.fields.map((_, i) => `column ${i + 1}`);
  const cols: Column[] = names.map((name) => ({
    name: header ? name : '',
    numbers: 0,
    texts: 0,
    missing: 0,
  }));
  if (header) {
    const dup = duplicateNames(names, 'column names');
    if (dup) warnings.push(dup);
  }
  const labelCol =
    opts.labelColumn !== undefined
      ? resolveColumn(opts.labelColumn, names, header, file, 'label column')
      : -1;
  return { header, cols, labelCol };
}

/**
 * Sniff, the memory bound before any row is kept: the rows the file size suggests, from the bytes
 * per line of the sample. Returns the row buffer's first capacity (10% headroom over the estimate,
 * so that a slightly short estimate does not double the buffer).
 */
function estimateRows(
  file: string,
  opts: ResolvedOptions,
  sample: string,
  records: number,
  width: number,
  declaredBytes: number,
): number {
  const sampleLines = Math.max(1, records);
  const bytesPerLine = Math.max(1, new TextEncoder().encode(sample).length / sampleLines);
  const estRows = Math.ceil(declaredBytes / bytesPerLine);
  checkMemory(
    file,
    estRows * width * 4 * 2,
    `≈${fmtInt(estRows)} rows × ${fmtInt(width)} columns × 4 bytes × 2 (read buffer and result), estimated from the file size`,
    opts.maxBytes,
  );
  return Math.min(Math.ceil(estRows * 1.1), 1 << 22);
}

/**
 * Tokenize: the text of the file, chunk by chunk, into records. The first SNIFF_CHARS characters
 * are held back to sniff the delimiter, the first records to sniff the rest; then every record
 * (or quote-free line, the fast path) goes straight into the rows.
 */
class CsvReader {
  private tokenizer: CsvTokenizer | undefined;
  private sample = '';
  private sampleByte = 0;
  private readonly pending: CsvRecord[] = [];
  private pendingFields = 0;
  private rows: CsvRows | undefined;
  header = false;
  private delim: Delimiter | undefined;
  private readonly decoder = new TextDecoder('utf-8');
  // The line the next chunk starts on: the tokenizer counts them, or the sample not yet fed.
  private readonly rowAt = () => this.tokenizer?.lineNumber ?? 1 + (this.sample.match(/\n/g)?.length ?? 0);
  private readonly guard: LineGuard;
  readonly utf8 = new Utf8Check(this.rowAt, (b) => isUtf8(b));
  // ASCII chunks (most numeric files) skip the UTF-8 decoder: Latin-1 is a plain byte copy. A
  // chunk is decoded alone only when no multi-byte sequence is pending from the previous one,
  // which holds whenever the previous chunk ended in an ASCII byte.
  private clean = true;
  private byteOffset = 0;
  private first = true;

  constructor(
    private readonly file: string,
    private readonly opts: ResolvedOptions,
    private readonly limits: ReadLimits,
    private readonly declaredBytes: number,
    readonly warnings: string[],
  ) {
    this.guard = new LineGuard(file, limits, this.rowAt);
    this.delim = givenDelimiter(file, opts);
  }

  /** The sniffed records are in: sniff the rest, then let lines go straight into the rows. */
  private start(): CsvRows {
    const { file, opts, pending, warnings } = this;
    const d = this.delim!;
    const comma = sniffDecimal(file, opts, pending, d, warnings);
    const { header, cols, labelCol } = sniffColumns(file, opts, pending, comma, warnings);
    this.header = header;
    const width = pending[0]!.fields.length;
    const initialRows = estimateRows(file, opts, this.sample, pending.length, width, this.declaredBytes);
    const rows = new CsvRows(file, opts, cols, header, labelCol, d, comma, initialRows);
    this.rows = rows;
    this.tokenizer!.onLine = (s, a, b, line) => rows.fastLine(s, a, b, line);
    return rows;
  }

  private readonly onRecord = (r: CsvRecord) => {
    if (this.rows) this.rows.take(r);
    // Comment lines before the data (numpy.savetxt's header='…' writes "# …") are skipped.
    else if (this.pending.length === 0 && r.fields[0]!.startsWith('#')) return;
    else {
      this.pending.push(r);
      this.pendingFields += r.fields.length;
    }
  };

  private flushPending(): void {
    const { pending } = this;
    if (pending.length === 0) return;
    const rows = this.start();
    for (const r of this.header ? pending.slice(1) : pending) rows.take(r);
    pending.length = 0;
  }

  /** Sniff, the delimiter (unless given) from the sample; the tokenizer starts with it. */
  private makeTokenizer(text: string): CsvTokenizer {
    this.delim ??= sniffDelimiter(text);
    this.tokenizer = new CsvTokenizer(this.delim, this.onRecord, this.file, this.limits);
    return this.tokenizer;
  }

  /** One raw chunk: checked (line length, UTF-8), decoded, and tokenized or added to the sample. */
  chunk(chunk: Uint8Array): void {
    if (chunk.length === 0) return;
    this.guard.check(chunk);
    const b = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    const ascii = isAscii(b);
    this.utf8.check(chunk, ascii);
    let text = this.clean && ascii ? b.toString('latin1') : this.decoder.decode(chunk, { stream: true });
    this.clean = chunk[chunk.length - 1]! < 0x80;
    let textByte = this.byteOffset;
    this.byteOffset += chunk.length;
    if (this.first && text.length > 0) {
      this.first = false;
      if (text.charCodeAt(0) === 0xfeff) {
        text = text.slice(1);
        textByte += 3;
        this.sampleByte = 3;
      }
      if (text.includes('\u0000')) throw binary(this.file);
    }
    if (!this.tokenizer) {
      this.sample += text;
      if (this.sample.length < SNIFF_CHARS) return;
      const { sample } = this;
      const cut = sample.lastIndexOf('\n', SNIFF_CHARS);
      this.makeTokenizer(cut >= 0 ? sample.slice(0, cut + 1) : sample.slice(0, SNIFF_CHARS));
      this.tokenizer!.feed(sample, this.sampleByte);
    } else this.tokenizer.feed(text, textByte);
    // Header and delimiter detection looks at SNIFF_RECORDS records, or fewer when they are wide.
    const { pending } = this;
    if (
      !this.rows &&
      (pending.length >= SNIFF_RECORDS || (pending.length >= 2 && this.pendingFields > this.limits.columns))
    )
      this.flushPending();
  }

  /** End of input: the decoder's and the sample's last text; a file shorter than the sample sniffs now. */
  end(): CsvRows {
    const tail = this.decoder.decode();
    this.utf8.end();
    if (!this.tokenizer) {
      this.sample += tail;
      if (this.first && this.sample.charCodeAt(0) === 0xfeff) {
        this.sample = this.sample.slice(1);
        this.sampleByte = 3;
      }
      if (this.sample.includes('\u0000')) throw binary(this.file);
      this.makeTokenizer(this.sample).feed(this.sample, this.sampleByte);
    } else this.tokenizer.feed(tail);
    this.tokenizer!.end();
    if (!this.rows) {
      if (this.pending.length === 0)
        throw new DataError(
          'data.empty',
          'empty file; expected rows of numbers separated by commas or tabs',
          {
            file: this.file,
          },
        );
      this.flushPending();
    }
    return this.rows!;
  }
}

/** What was read, checked (a header without rows) and summed up (invalid UTF-8 as a warning). */
function cellsOf(
  reader: CsvReader,
  r: CsvRows,
  file: string,
  sha256: string,
  opts: ResolvedOptions,
): CsvCells {
  const { header, warnings } = reader;
  if (header && r.rows === 0)
    throw new DataError(
      'data.header-only',
      `only a header (${r.cols
        .slice(0, 20)
        .map((c) => c.name)
        .join(', ')}${r.cols.length > 20 ? ', …' : ''}); expected data rows below it`,
      { file },
    );
  if (reader.utf8.problem) {
    const p = reader.utf8.problem;
    const named = header ? r.cols.find((c) => c.name.includes('\uFFFD')) : undefined;
    warnings.push(
      `invalid UTF-8 at byte ${fmtInt(p.byteOffset)} (row ${p.row}${named ? `, in the header: column name ${quote(named.name)}` : ''})${p.count > 1 ? ` and ${fmtInt(p.count - 1)} more place${p.count > 2 ? 's' : ''}` : ''}: read as U+FFFD (�); expected UTF-8 text (re-save the file as UTF-8)`,
    );
  }
  // The fast path counts no cells: its rows are numbers in every non-label column.
  for (let c = 0; c < r.cols.length; c++) if (c !== r.labelCol) r.cols[c]!.numbers += r.fastRows;
  return {
    file,
    sha256,
    opts,
    cols: r.cols,
    header,
    labelCol: r.labelCol,
    raw: r.buffer.take(),
    rows: r.rows,
    ...(r.labelIds ? { labels: { ids: r.labelIds, texts: r.labelTexts } } : {}),
    warnings,
    decimalComma: r.comma,
  };
}

export async function loadCsv(
  file: string,
  gzip: boolean,
  opts: ResolvedOptions,
  declaredBytes: number,
): Promise<LoadedBody> {
  const limits = limitsOf(opts);
  const src = openBytes(file, gzip, limits);
  const reader = new CsvReader(file, opts, limits, declaredBytes, []);
  for await (const chunk of src.chunks) reader.chunk(chunk);
  const rows = reader.end();
  return finish(cellsOf(reader, rows, file, src.digest(), opts));
}
