/**
 * CSV/TSV: streamed line by line from the file (gunzipped if .gz). Detects the delimiter, the
 * header and a decimal comma from the first records, takes a label column by name or index, one-hot
 * encodes categorical (non-numeric) columns and records them, and handles missing values by the
 * policy (csv-rows.ts reads the cells, csv-matrix.ts builds the matrix). Each raw chunk is checked
 * before it is parsed: the line-length cap and UTF-8 validity (text-guard.ts); the tokenizer caps
 * fields and columns. What is read but suspicious (a decimal comma, invalid UTF-8, duplicate column
 * names) becomes a warning. Rows in messages are lines of the file (1-based; a header is line 1);
 * columns are 1-based with the header name when there is one.
 */
import { isAscii, isUtf8 } from 'node:buffer';
import { CsvTokenizer, type CsvRecord, type Delimiter } from './csv-tokenizer';
import { DECIMAL_COMMA, detectHeader, sniffDelimiter } from './csv-cells';
import { finish, resolveColumn, type Column } from './csv-matrix';
import { CsvRows } from './csv-rows';
import { DataError, fmtInt, quote } from './errors';
import { limitsOf } from './limits';
import type { ResolvedOptions } from './options';
import { openBytes } from './source';
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

export async function loadCsv(
  file: string,
  gzip: boolean,
  opts: ResolvedOptions,
  declaredBytes: number,
): Promise<LoadedBody> {
  const limits = limitsOf(opts);
  const src = openBytes(file, gzip, limits);
  const decoder = new TextDecoder('utf-8');
  const tsv = /\.tsv(\.gz)?$/i.test(file);
  const warnings: string[] = [];
  let tokenizer: CsvTokenizer | undefined;
  let sample = '';
  let sampleByte = 0;
  const pending: CsvRecord[] = [];
  let pendingFields = 0;
  let rows: CsvRows | undefined;
  let header = false;

  // The line the next chunk starts on: the tokenizer counts them, or the sample not yet fed.
  const rowAt = () => tokenizer?.lineNumber ?? 1 + (sample.match(/\n/g)?.length ?? 0);
  const guard = new LineGuard(file, limits, rowAt);
  const utf8 = new Utf8Check(rowAt, (b) => isUtf8(b));

  let delim: Delimiter | undefined = opts.delimiter ?? (tsv ? '\t' : undefined);
  if (delim !== undefined && delim !== 'whitespace' && delim.length !== 1)
    throw new DataError(
      'data.bad-option',
      `the delimiter must be one character, got ${JSON.stringify(delim)}`,
      { file },
    );

  const start = () => {
    const first = pending[0]!;
    const d = delim!;
    // A decimal comma: given, or detected in a file whose delimiter is not a comma.
    const found = opts.decimal === undefined && d !== ',' ? findDecimalComma(pending) : undefined;
    if (found?.ambiguous)
      throw new DataError(
        'data.bad-option',
        `cells such as ${quote(found.value)} read as ${Number(found.value.replace(',', '.'))} with a decimal comma, or as ${found.value.replace(',', '')} with a thousands separator; pass --decimal , for the first, or --decimal . (and remove the separators) for the second`,
        { file, row: found.line, column: found.column },
      );
    const comma = opts.decimal === ',' || found !== undefined;
    if (found)
      warnings.push(
        `decimal commas detected (${quote(found.value)} in row ${found.line}, column ${found.column}): cells such as ${quote(found.value)} were read as ${Number(found.value.replace(',', '.'))}; pass --decimal . to read them as text`,
      );
    const asNumbers = (f: string[]) =>
      comma ? f.map((v) => (DECIMAL_COMMA.test(v) ? v.replace(',', '.') : v)) : f;
    header =
      opts.header ??
      detectHeader(
        asNumbers(first.fields),
        pending.slice(1, SNIFF_RECORDS).map((r) => asNumbers(r.fields)),
      );
    const width = first.fields.length;
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
    // Memory: the rows the file size suggests, from the bytes per line of the sample.
    const sampleLines = Math.max(1, pending.length);
    const bytesPerLine = Math.max(1, new TextEncoder().encode(sample).length / sampleLines);
    const estRows = Math.ceil(declaredBytes / bytesPerLine);
    checkMemory(
      file,
      estRows * width * 4 * 2,
      `≈${fmtInt(estRows)} rows × ${fmtInt(width)} columns × 4 bytes × 2 (read buffer and result), estimated from the file size`,
      opts.maxBytes,
    );
    // 10% headroom over the estimate, so that a slightly short estimate does not double the buffer.
    const initialRows = Math.min(Math.ceil(estRows * 1.1), 1 << 22);
    rows = new CsvRows(file, opts, cols, header, labelCol, d, comma, initialRows);
    tokenizer!.onLine = (s, a, b, line) => rows!.fastLine(s, a, b, line);
  };

  const onRecord = (r: CsvRecord) => {
    if (rows) rows.take(r);
    // Comment lines before the data (numpy.savetxt's header='…' writes "# …") are skipped.
    else if (pending.length === 0 && r.fields[0]!.startsWith('#')) return;
    else {
      pending.push(r);
      pendingFields += r.fields.length;
    }
  };

  const flushPending = () => {
    if (pending.length === 0) return;
    start();
    for (const r of header ? pending.slice(1) : pending) rows!.take(r);
    pending.length = 0;
  };

  const makeTokenizer = (text: string) => {
    delim ??= sniffDelimiter(text);
    tokenizer = new CsvTokenizer(delim, onRecord, file, limits);
  };

  // ASCII chunks (most numeric files) skip the UTF-8 decoder: Latin-1 is a plain byte copy. A
  // chunk is decoded alone only when no multi-byte sequence is pending from the previous one,
  // which holds whenever the previous chunk ended in an ASCII byte.
  let clean = true;
  let byteOffset = 0;
  let first = true;
  for await (const chunk of src.chunks) {
    if (chunk.length === 0) continue;
    guard.check(chunk);
    const b = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    const ascii = isAscii(b);
    utf8.check(chunk, ascii);
    let text = clean && ascii ? b.toString('latin1') : decoder.decode(chunk, { stream: true });
    clean = chunk[chunk.length - 1]! < 0x80;
    let textByte = byteOffset;
    byteOffset += chunk.length;
    if (first && text.length > 0) {
      first = false;
      if (text.charCodeAt(0) === 0xfeff) {
        text = text.slice(1);
        textByte += 3;
        sampleByte = 3;
      }
      if (text.includes('\u0000')) throw binary(file);
    }
    if (!tokenizer) {
      sample += text;
      if (sample.length < SNIFF_CHARS) continue;
      const cut = sample.lastIndexOf('\n', SNIFF_CHARS);
      makeTokenizer(cut >= 0 ? sample.slice(0, cut + 1) : sample.slice(0, SNIFF_CHARS));
      tokenizer!.feed(sample, sampleByte);
    } else tokenizer.feed(text, textByte);
    // Header and delimiter detection looks at SNIFF_RECORDS records, or fewer when they are wide.
    if (!rows && (pending.length >= SNIFF_RECORDS || (pending.length >= 2 && pendingFields > limits.columns)))
      flushPending();
  }
  const tail = decoder.decode();
  utf8.end();
  if (!tokenizer) {
    sample += tail;
    if (first && sample.charCodeAt(0) === 0xfeff) {
      sample = sample.slice(1);
      sampleByte = 3;
    }
    if (sample.includes('\u0000')) throw binary(file);
    makeTokenizer(sample);
    tokenizer!.feed(sample, sampleByte);
  } else tokenizer.feed(tail);
  tokenizer!.end();
  if (!rows) {
    if (pending.length === 0)
      throw new DataError('data.empty', 'empty file; expected rows of numbers separated by commas or tabs', {
        file,
      });
    flushPending();
  }
  const r = rows!;
  if (header && r.rows === 0)
    throw new DataError(
      'data.header-only',
      `only a header (${r.cols
        .slice(0, 20)
        .map((c) => c.name)
        .join(', ')}${r.cols.length > 20 ? ', …' : ''}); expected data rows below it`,
      { file },
    );
  if (utf8.problem) {
    const p = utf8.problem;
    const named = header ? r.cols.find((c) => c.name.includes('\uFFFD')) : undefined;
    warnings.push(
      `invalid UTF-8 at byte ${fmtInt(p.byteOffset)} (row ${p.row}${named ? `, in the header: column name ${quote(named.name)}` : ''})${p.count > 1 ? ` and ${fmtInt(p.count - 1)} more place${p.count > 2 ? 's' : ''}` : ''}: read as U+FFFD (�); expected UTF-8 text (re-save the file as UTF-8)`,
    );
  }
  for (let c = 0; c < r.cols.length; c++) if (c !== r.labelCol) r.cols[c]!.numbers += r.fastRows;
  return finish({
    file,
    sha256: src.digest(),
    opts,
    cols: r.cols,
    header,
    labelCol: r.labelCol,
    raw: r.buffer.take(),
    rows: r.rows,
    ...(r.labelIds ? { labels: { ids: r.labelIds, texts: r.labelTexts } } : {}),
    warnings,
    decimalComma: r.comma,
  });
}
