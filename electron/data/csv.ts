/**
 * CSV/TSV: streamed line by line from the file (gunzipped if .gz). Detects the delimiter and the
 * header from the first records, takes a label column by name or index, one-hot encodes
 * categorical (non-numeric) columns and records them, and handles missing values by the policy
 * (refuse, drop the row, or impute the column mean — for a one-hot block, the level frequencies).
 * Rows in messages are lines of the file (1-based; a header is line 1); columns are 1-based with
 * the header name when there is one.
 */
import { isAscii } from 'node:buffer';
import type { CategoricalGroup } from '../shared/dataset';
import type { ErrorPlace } from '../shared/errors';
import { CsvTokenizer, type CsvRecord, type Delimiter } from './csv-tokenizer';
import {
  MISSING,
  classify,
  detectHeader,
  parseSimpleNumber,
  parseSimpleRange,
  sniffDelimiter,
} from './csv-cells';
import { DataError, fmtInt, quote } from './errors';
import { encodeLabels } from './label-values';
import type { ResolvedOptions } from './options';
import { openBytes } from './source';
import { FloatBuffer, allocFloat32, checkMemory, checkShape, type LoadedBody } from './validate';

const SNIFF_RECORDS = 50;
const DEFAULT_MAX_LEVELS = 256;

interface Column {
  name: string;
  numbers: number;
  texts: number;
  missing: number;
  firstText?: { row: number; line: number; value: string };
  firstMissing?: { row: number; line: number };
  /** Text cells: level id per row (−1 for numbers and missing), allocated at the first text. */
  ids?: Int32Array;
  levels?: Map<string, number>;
}

function colLabel(cols: Column[], c: number, header: boolean): string | number {
  return header && cols[c]!.name !== '' ? `${c + 1} (${JSON.stringify(cols[c]!.name)})` : c + 1;
}

function resolveColumn(
  spec: string | number,
  names: string[],
  header: boolean,
  file: string,
  what: string,
): number {
  const n = names.length;
  if (typeof spec === 'string') {
    const byName = names.indexOf(spec);
    if (header && byName >= 0) return byName;
    if (/^-?\d+$/.test(spec.trim())) return resolveColumn(Number(spec), names, header, file, what);
    throw new DataError(
      'data.bad-option',
      header
        ? `no column named ${JSON.stringify(spec)} for the ${what}; the header has ${names.map((s) => JSON.stringify(s)).join(', ')}`
        : `the file has no header, so the ${what} must be given by its 0-based index (0–${n - 1}), got ${JSON.stringify(spec)}`,
      { file },
    );
  }
  const i = spec < 0 ? n + spec : spec;
  if (!Number.isInteger(spec) || i < 0 || i >= n)
    throw new DataError(
      'data.bad-option',
      `${what} index ${spec} is out of range: the file has ${n} columns (indices 0–${n - 1})`,
      {
        file,
      },
    );
  return i;
}

export async function loadCsv(
  file: string,
  gzip: boolean,
  opts: ResolvedOptions,
  declaredBytes: number,
): Promise<LoadedBody> {
  const src = openBytes(file, gzip);
  const decoder = new TextDecoder('utf-8');
  // ASCII chunks (most numeric files) skip the UTF-8 decoder: Latin-1 is a plain byte copy. A
  // chunk is decoded alone only when no multi-byte sequence is pending from the previous one,
  // which holds whenever the previous chunk ended in an ASCII byte.
  let clean = true;
  const decode = (chunk: Uint8Array): string => {
    const b = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    const text = clean && isAscii(b) ? b.toString('latin1') : decoder.decode(chunk, { stream: true });
    clean = chunk.length === 0 ? clean : chunk[chunk.length - 1]! < 0x80;
    return text;
  };
  const tsv = /\.tsv(\.gz)?$/i.test(file);
  let tokenizer: CsvTokenizer | undefined;
  let sample = '';
  const pending: CsvRecord[] = [];

  // State set up once the first records are known.
  let started = false;
  let header = false;
  let cols: Column[] = [];
  let labelCol = -1;
  let buffer: FloatBuffer | undefined;
  const labelValues: string[] = [];
  let rows = 0;
  // Rows taken by the line fast path (fastLine): every non-label cell a plain decimal.
  let fastRows = 0;
  let firstDataLine = 0;

  const start = () => {
    const first = pending[0]!;
    header =
      opts.header ??
      detectHeader(
        first.fields,
        pending.slice(1, SNIFF_RECORDS).map((r) => r.fields),
      );
    const width = first.fields.length;
    const names = header ? first.fields : first.fields.map((_, i) => `column ${i + 1}`);
    cols = names.map((name) => ({ name: header ? name : '', numbers: 0, texts: 0, missing: 0 }));
    if (opts.labelColumn !== undefined)
      labelCol = resolveColumn(opts.labelColumn, names, header, file, 'label column');
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
    buffer = new FloatBuffer(Math.min(Math.ceil(estRows * 1.1), 1 << 22) * width, opts.maxBytes, file);
    started = true;
  };

  const place = (line: number, c: number): ErrorPlace => ({
    file,
    row: line,
    column: colLabel(cols, c, header),
  });

  const take = (r: CsvRecord) => {
    if (firstDataLine === 0) firstDataLine = r.line;
    const f = r.fields;
    const width = cols.length;
    if (f.length !== width)
      throw new DataError(
        'data.ragged',
        `expected ${width} field${width === 1 ? '' : 's'} (as in ${header ? 'the header' : `row ${firstDataLine}`}), found ${f.length}`,
        { file, row: r.line },
      );
    const buf = buffer!;
    if (buf.length + width > buf.data.length) buf.grow(buf.length + width);
    const base = buf.length;
    for (let c = 0; c < width; c++) {
      const s = f[c]!;
      if (c === labelCol) {
        if (MISSING.has(s.toLowerCase())) {
          if (opts.missing !== 'drop')
            throw new DataError(
              'data.missing-value',
              'missing label; expected a label in every row (or --missing drop)',
              place(r.line, c),
            );
          labelValues.push('');
        } else labelValues.push(classify(s).kind === 'num' ? String(Number(s)) : s);
        buf.data[base + c] = 0;
        continue;
      }
      // Numbers (the common case) without allocating a cell object.
      const simple = parseSimpleNumber(s);
      if (simple === simple && s.length > 0) {
        cols[c]!.numbers++;
        buf.data[base + c] = simple;
        continue;
      }
      const c0 = s.charCodeAt(0);
      const c1 = s.charCodeAt(1) | 32; // not 0x…, 0b…, 0o…, which Number() would accept
      if (c0 >= 48 && c0 <= 57 && (c0 !== 48 || (c1 !== 120 && c1 !== 98 && c1 !== 111))) {
        const v = Number(s);
        if (v - v === 0 && Math.abs(v) <= 3.4028234663852886e38) {
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
            place(r.line, c),
          );
      } else if (cell.kind === 'missing') {
        col.missing++;
        col.firstMissing ??= { row: rows, line: r.line };
        buf.data[base + c] = NaN;
      } else if (cell.kind === 'inf') {
        throw new DataError('data.non-finite', `expected a finite number, got ${quote(s)}`, place(r.line, c));
      } else {
        col.texts++;
        col.firstText ??= { row: rows, line: r.line, value: s };
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
          const max = opts.maxLevels ?? DEFAULT_MAX_LEVELS;
          if (id >= max && col.numbers + fastRows < col.texts)
            throw new DataError(
              'data.too-many-levels',
              `column has more than ${fmtInt(max)} distinct text values; expected numbers, or a categorical column with few levels (an ID or free text column cannot be one-hot encoded: remove it)`,
              place(r.line, c),
            );
          col.levels!.set(s, id);
        }
        col.ids[rows] = id;
        buf.data[base + c] = 0;
      }
    }
    buf.length += width;
    rows++;
  };

  const fastLine = (s: string, a: number, b: number, line: number): boolean => {
    if (!started || typeof delim !== 'string' || delim === 'whitespace') return false;
    const width = cols.length;
    const buf = buffer!;
    if (buf.length + width > buf.data.length) buf.grow(buf.length + width);
    const base = buf.length;
    let label: string | undefined;
    let c = 0;
    let p = a;
    for (;;) {
      if (c >= width) return false;
      let q = s.indexOf(delim, p);
      if (q < 0 || q > b) q = b;
      if (c === labelCol) {
        const t = s.slice(p, q).trim();
        if (t === '' || MISSING.has(t.toLowerCase())) return false;
        const v = parseSimpleNumber(t);
        label = v === v ? String(v) : classify(t).kind === 'num' ? String(Number(t)) : t;
      } else {
        const v = parseSimpleRange(s, p, q);
        if (v !== v) return false;
        buf.data[base + c] = v;
      }
      c++;
      if (q === b) break;
      p = q + 1;
    }
    if (c !== width) return false;
    if (firstDataLine === 0) firstDataLine = line;
    if (label !== undefined) labelValues.push(label);
    buf.length += width;
    rows++;
    fastRows++;
    return true;
  };

  const onRecord = (r: CsvRecord) => {
    if (started) take(r);
    // Comment lines before the data (numpy.savetxt's header='…' writes "# …") are skipped.
    else if (pending.length === 0 && r.fields[0]!.startsWith('#')) return;
    else pending.push(r);
  };

  const flushPending = () => {
    if (pending.length === 0) return;
    start();
    for (const r of header ? pending.slice(1) : pending) take(r);
    pending.length = 0;
  };

  let delim: Delimiter | undefined = opts.delimiter ?? (tsv ? '\t' : undefined);
  if (delim !== undefined && delim !== 'whitespace' && delim.length !== 1)
    throw new DataError(
      'data.bad-option',
      `the delimiter must be one character, got ${JSON.stringify(delim)}`,
      { file },
    );
  let bomChecked = false;
  for await (const chunk of src.chunks) {
    let text = decode(chunk);
    if (!bomChecked && text.length > 0) {
      bomChecked = true;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      if (text.includes('\u0000'))
        throw new DataError(
          'data.unknown-format',
          'binary data (NUL bytes) in a text file; expected CSV/TSV text',
          { file },
        );
    }
    if (!tokenizer) {
      sample += text;
      if (sample.length < 65536) continue;
      delim ??= sniffDelimiter(sample.slice(0, sample.lastIndexOf('\n') + 1) || sample);
      tokenizer = new CsvTokenizer(delim, onRecord, file);
      tokenizer.onLine = fastLine;
      tokenizer.feed(sample);
    } else tokenizer.feed(text);
    if (!started && pending.length >= SNIFF_RECORDS) flushPending();
  }
  const tail = decoder.decode();
  if (!tokenizer) {
    sample += tail;
    if (!bomChecked && sample.charCodeAt(0) === 0xfeff) sample = sample.slice(1);
    if (sample.includes('\u0000'))
      throw new DataError(
        'data.unknown-format',
        'binary data (NUL bytes) in a text file; expected CSV/TSV text',
        { file },
      );
    delim ??= sniffDelimiter(sample);
    tokenizer = new CsvTokenizer(delim, onRecord, file);
    tokenizer.onLine = fastLine;
    tokenizer.feed(sample);
  } else tokenizer.feed(tail);
  tokenizer.end();
  if (!started) {
    if (pending.length === 0)
      throw new DataError('data.empty', 'empty file; expected rows of numbers separated by commas or tabs', {
        file,
      });
    flushPending();
  }
  if (header && rows === 0)
    throw new DataError(
      'data.header-only',
      `only a header (${cols.map((c) => c.name).join(', ')}); expected data rows below it`,
      {
        file,
      },
    );
  for (let c = 0; c < cols.length; c++) if (c !== labelCol) cols[c]!.numbers += fastRows;
  return finish(file, src.digest(), opts, cols, header, labelCol, buffer!.take(), rows, labelValues);
}

function finish(
  file: string,
  sha256: string,
  opts: ResolvedOptions,
  cols: Column[],
  header: boolean,
  labelCol: number,
  raw: Float32Array,
  rows: number,
  labelValues: string[],
): LoadedBody {
  const width = cols.length;
  const place = (line: number, c: number): ErrorPlace => ({
    file,
    row: line,
    column: colLabel(cols, c, header),
  });
  const forced = new Set(
    (opts.categorical ?? []).map((s) =>
      resolveColumn(
        s,
        cols.map((c, i) => c.name || `column ${i + 1}`),
        header,
        file,
        'categorical column',
      ),
    ),
  );
  // Which columns make features: drop unnamed columns that are empty everywhere (a trailing delimiter).
  const used: number[] = [];
  const kind: ('num' | 'cat')[] = [];
  for (let c = 0; c < width; c++) {
    if (c === labelCol) continue;
    const col = cols[c]!;
    if (col.missing === rows && col.name === '') continue;
    // pandas' to_csv writes the row index as a first column with an empty header: not a feature.
    if (header && c === 0 && col.name === '' && col.numbers === rows && isRowIndex(raw, width, rows))
      continue;
    used.push(c);
    if (forced.has(c) || (col.texts > 0 && (col.numbers === 0 || col.texts > col.numbers))) kind[c] = 'cat';
    else if (col.texts > 0) {
      const t = col.firstText!;
      throw new DataError(
        'data.non-numeric',
        `expected a number, got ${quote(t.value)} (${fmtInt(col.numbers)} other cells of this column are numbers)`,
        place(t.line, c),
      );
    } else kind[c] = 'num';
  }
  // Missing values: refuse at the first one (by row), or drop those rows.
  let keep: Uint8Array | undefined;
  const missingCols = used.filter((c) => cols[c]!.missing > 0);
  if (missingCols.length > 0 && opts.missing === 'error') {
    let first = missingCols[0]!;
    for (const c of missingCols) if (cols[c]!.firstMissing!.row < cols[first]!.firstMissing!.row) first = c;
    throw new DataError(
      'data.missing-value',
      'missing value (empty, NA or NaN); expected a number (use --missing drop to skip such rows or --missing mean to impute the column mean)',
      place(cols[first]!.firstMissing!.line, first),
    );
  }
  if (opts.missing === 'drop') {
    keep = new Uint8Array(rows).fill(1);
    for (let r = 0; r < rows; r++) {
      if (labelCol >= 0 && labelValues[r] === '') keep[r] = 0;
      for (const c of missingCols) if (Number.isNaN(raw[r * width + c]!)) keep[r] = 0;
    }
  }
  const kept: number[] = [];
  for (let r = 0; r < rows; r++) if (!keep || keep[r]) kept.push(r);
  // Categorical levels: text levels in order of appearance, then numbers met in the column.
  const groups: CategoricalGroup[] = [];
  const featureNames: string[] = [];
  const levelOf: (string[] | undefined)[] = [];
  let dims = 0;
  for (const c of used) {
    const col = cols[c]!;
    const name = col.name || `column ${c + 1}`;
    if (kind[c] === 'cat') {
      const levels = col.levels ? [...col.levels.keys()] : [];
      const extra = new Set<string>();
      for (const r of kept) {
        const v = raw[r * width + c]!;
        if ((col.ids?.[r] ?? -1) < 0 && !Number.isNaN(v)) extra.add(String(v));
      }
      levels.push(...[...extra].sort((a, b) => Number(a) - Number(b)));
      const max = opts.maxLevels ?? DEFAULT_MAX_LEVELS;
      if (levels.length > max)
        throw new DataError(
          'data.too-many-levels',
          `${fmtInt(levels.length)} distinct values in a categorical column, more than ${fmtInt(max)}; expected few levels (remove ID or free-text columns)`,
          { file, column: colLabel(cols, c, header) },
        );
      groups.push({ name, start: dims, levels });
      levelOf[c] = levels;
      for (const l of levels) featureNames.push(`${name}=${l}`);
      dims += levels.length;
    } else {
      featureNames.push(name);
      dims += 1;
    }
  }
  checkShape(file, kept.length, dims, opts.minRows);
  checkMemory(
    file,
    kept.length * dims * 4,
    `${fmtInt(kept.length)} rows × ${fmtInt(dims)} columns × 4 bytes after one-hot encoding`,
    opts.maxBytes,
  );
  const data = buildMatrix(raw, width, kept, rows, used, kind, cols, levelOf, dims, (c) => ({
    file,
    column: colLabel(cols, c, header),
  }));
  const ds: LoadedBody = { sha256, rows: kept.length, dims, data, featureNames };
  if (kept.length < rows) ds.dropped = { from: rows, kept: Uint32Array.from(kept) };
  if (groups.length > 0) ds.categorical = groups;
  if (labelCol >= 0) {
    const enc = encodeLabels(kept.map((r) => labelValues[r]!));
    ds.labels = enc.labels;
    ds.labelNames = enc.labelNames;
  }
  return ds;
}

/**
 * The feature matrix, row by row (the raw buffer is row-major: walking it column by column would
 * miss the cache on every value): numeric columns copied, categorical ones one-hot, missing values
 * imputed by the column mean (one-hot: the level frequencies). When every column is a plain numeric
 * feature and no row is dropped, the raw buffer is the matrix.
 */
function buildMatrix(
  raw: Float32Array,
  width: number,
  kept: number[],
  rows: number,
  used: number[],
  kind: ('num' | 'cat')[],
  cols: Column[],
  levelOf: (string[] | undefined)[],
  dims: number,
  where: (c: number) => ErrorPlace,
): Float32Array {
  const anyMissing = used.some((c) => cols[c]!.missing > 0);
  if (
    dims === width &&
    kept.length === rows &&
    !anyMissing &&
    used.every((c, i) => c === i && kind[c] === 'num')
  )
    return raw;
  // Per column: its offset, and its fill value(s) for missing cells.
  const offset: number[] = [];
  const mean: number[] = [];
  const freq: (Float32Array | undefined)[] = [];
  const levelIndex: (Map<string, number> | undefined)[] = [];
  let off = 0;
  for (const c of used) {
    offset[c] = off;
    const col = cols[c]!;
    if (kind[c] === 'num') {
      off += 1;
      if (col.missing === 0) continue;
      let sum = 0;
      let n = 0;
      for (const r of kept) {
        const v = raw[r * width + c]!;
        if (!Number.isNaN(v)) {
          sum += v;
          n++;
        }
      }
      if (n === 0 && kept.length > 0)
        throw new DataError(
          'data.missing-value',
          'every value of this column is missing; there is no mean to impute',
          where(c),
        );
      mean[c] = sum / n;
    } else {
      const levels = levelOf[c]!;
      off += levels.length;
      levelIndex[c] = new Map(levels.map((l, i) => [l, i]));
    }
  }
  const levelAt = (c: number, r: number): number => {
    const id = cols[c]!.ids?.[r] ?? -1;
    if (id >= 0) return id;
    const v = raw[r * width + c]!;
    return Number.isNaN(v) ? -1 : levelIndex[c]!.get(String(v))!;
  };
  // Level frequencies of the categorical columns that have missing cells, over the kept rows.
  for (const c of used) {
    if (kind[c] !== 'cat' || cols[c]!.missing === 0) continue;
    const f = new Float32Array(levelOf[c]!.length);
    let present = 0;
    for (const r of kept) {
      const l = levelAt(c, r);
      if (l >= 0) {
        f[l]! += 1;
        present++;
      }
    }
    if (present === 0 && kept.length > 0)
      throw new DataError(
        'data.missing-value',
        'every value of this column is missing; there is no mean to impute',
        where(c),
      );
    for (let l = 0; l < f.length; l++) f[l] = f[l]! / present;
    freq[c] = f;
  }
  const data = allocFloat32(kept.length * dims, where(0).file ?? '');
  for (let i = 0; i < kept.length; i++) {
    const r = kept[i]!;
    const src = r * width;
    const dst = i * dims;
    for (const c of used) {
      const o = dst + offset[c]!;
      if (kind[c] === 'num') {
        const v = raw[src + c]!;
        data[o] = Number.isNaN(v) ? mean[c]! : v;
      } else {
        const l = levelAt(c, r);
        if (l >= 0) data[o + l] = 1;
        else data.set(freq[c]!, o);
      }
    }
  }
  return data;
}

/** Column 0 holds 0, 1, …, rows − 1 in order (a row index). */
function isRowIndex(raw: Float32Array, width: number, rows: number): boolean {
  for (let r = 0; r < rows; r++) if (raw[r * width] !== r) return false;
  return rows > 0;
}
