/**
 * The JSON loader's event handler: builds the float32 matrix, the labels and the names from the
 * tokenizer's events (json-stream.ts) for the shapes json.ts accepts. A value's depth is the number
 * of containers around it: the root is at 0, a root array's rows at 1, "data"'s rows at 2, and a
 * row's cells one deeper. Keys of the root object other than data, labels, labelNames and
 * featureNames are skipped without being kept. Isomorphic.
 */
import type { ErrorPlace } from '../shared/errors';
import { DataError, fmtInt, quote } from './errors';
import { JsonLabels } from './json-labels';
import type { JsonHandler, JsonScalar } from './json-stream';
import type { ReadLimits } from './limits';
import type { ResolvedOptions } from './options';
import { FloatBuffer } from './validate';

const INFINITE = /^[+-]?(inf|infinity)$/i;

/** What a nested value is called in a message. */
const nested = (object: boolean) => (object ? 'an object' : 'an array');

export class JsonBuilder implements JsonHandler {
  private depth = 0;
  /** Depth of the rows (1 for a root array, 2 under "data"); 0 until known. */
  rowDepth = 0;
  private rootObject = false;
  /** The root object's key being read, and the depth from which events are skipped. */
  private rootKey = '';
  private skipFrom = Infinity;
  private readonly seenKeys = new Set<string>();

  kind: 'rows' | 'records' | undefined;
  /** Columns (−1 until the first row ends), rows read, and values in the row being read. */
  dims = -1;
  rows = 0;
  private count = 0;
  readonly buf: FloatBuffer;
  // Records: the first one's entries, then each key's column (−1: the label key).
  private recordKeys: string[] = [];
  private first: { key: string; v: JsonScalar }[] = [];
  private readonly slot = new Map<string, number>();
  private seen = new Uint32Array(0);
  private gen = 0;
  private keysNow: string[] = [];
  private recordKey = '';
  labelKey: string | undefined;
  featureNames: string[] | undefined;
  readonly recordLabels: JsonLabels;
  readonly labels: JsonLabels;
  labelsGiven = false;
  labelNames: (string | undefined)[] | undefined;
  featureNamesJson: (string | undefined)[] | undefined;
  private list: 'labelNames' | 'featureNames' | undefined;
  readonly warnings: string[] = [];

  constructor(
    private readonly file: string,
    private readonly opts: ResolvedOptions,
    private readonly limits: ReadLimits,
  ) {
    this.buf = new FloatBuffer(
      1024,
      opts.maxBytes,
      file,
      () => this.labels.bytes() + this.recordLabels.bytes(),
    );
    const matrix = () => this.buf.data.byteLength;
    this.labels = new JsonLabels(file, opts.maxBytes, matrix);
    this.recordLabels = new JsonLabels(file, opts.maxBytes, matrix);
  }

  at(r: number, c?: number): ErrorPlace {
    return {
      file: this.file,
      row: r + 1,
      ...(c === undefined ? {} : { column: c + 1 }),
      field: `element ${this.rootObject ? 'data' : ''}[${r}]${c === undefined ? '' : `[${c}]`}`,
    };
  }

  private cell(v: JsonScalar, r: number, c: number): number {
    if (typeof v === 'number') {
      if (!Number.isFinite(Math.fround(v)))
        throw new DataError(
          'data.non-finite',
          `the value ${v} does not fit in float32 (|x| ≤ 3.4e38)`,
          this.at(r, c),
        );
      return v;
    }
    if (v === null) return NaN;
    if (typeof v === 'string' && INFINITE.test(v.trim()))
      throw new DataError('data.non-finite', `expected a finite number, got ${quote(v)}`, this.at(r, c));
    throw new DataError(
      'data.non-numeric',
      `expected a number, got ${typeof v === 'string' ? quote(v) : String(v)}`,
      this.at(r, c),
    );
  }

  private nestedCell(object: boolean, r: number, c: number): never {
    throw new DataError('data.non-numeric', `expected a number, got ${nested(object)}`, this.at(r, c));
  }

  private badLabel(object: boolean, i: number): never {
    throw new DataError(
      'data.bad-labels',
      `expected a label (a number or a non-empty string), got ${nested(object)}`,
      {
        file: this.file,
        field: `labels[${i}]`,
      },
    );
  }

  private ragged(message: string): never {
    throw new DataError('data.ragged', message, this.at(this.rows));
  }

  private push(v: number): void {
    const b = this.buf;
    if (b.length === b.data.length) b.grow(b.length + 1);
    b.data[b.length++] = v;
  }

  /** Room for record r's values, in place. */
  private reserveRow(r: number): void {
    const end = (r + 1) * this.dims;
    if (end > this.buf.data.length) this.buf.grow(end);
    this.buf.length = end;
  }

  /** In the rows: the root array, or the value of "data". */
  private get inRows(): boolean {
    return this.rowDepth > 0 && (!this.rootObject || this.rootKey === 'data');
  }

  // ─── Events ───────────────────────────────────────────────────────────────────────────────

  openArray(): void {
    this.at_(undefined, false);
    this.depth++;
  }

  openObject(): void {
    this.at_(undefined, true);
    this.depth++;
    if (this.kind === 'records' && this.inRows && this.depth === this.rowDepth + 1) {
      this.gen++;
      this.keysNow = [];
      if (this.dims >= 0) this.reserveRow(this.rows);
    }
  }

  close(): void {
    const d = --this.depth;
    if (d === this.skipFrom - 1) this.skipFrom = Infinity;
    if (this.inRows && d === this.rowDepth) this.endRow();
    if (this.rootObject && d === 1) this.list = undefined;
  }

  key(k: string): void {
    if (this.depth >= this.skipFrom) return;
    if (this.rootObject && this.depth === 1) {
      if (k === 'data' || k === 'labels') {
        if (this.seenKeys.has(k))
          throw new DataError('data.bad-header', `"${k}" appears twice; expected it once`, {
            file: this.file,
            field: k,
          });
        this.seenKeys.add(k);
      }
      this.rootKey = k;
      return;
    }
    if (this.kind === 'records' && this.inRows && this.depth === this.rowDepth + 1) {
      this.recordKey = k;
      if (this.dims < 0 && this.first.length >= this.limits.columns)
        throw new DataError(
          'data.too-large',
          `a record of more than ${fmtInt(this.limits.columns)} keys, the column limit (raise it with --max-memory)`,
          this.at(0),
        );
    }
  }

  value(v: JsonScalar): void {
    this.at_(v, false);
  }

  // ─── Routing ──────────────────────────────────────────────────────────────────────────────

  /** A value (v), or a container opening (v undefined), at the current depth. */
  private at_(v: JsonScalar | undefined, object: boolean): void {
    const d = this.depth;
    if (d >= this.skipFrom) return;
    if (d === 0) return this.root(v, object);
    if (this.rootObject && d === 1) return this.rootValue(v, object);
    if (this.inRows) {
      if (d === this.rowDepth) return this.element(v, object);
      if (d === this.rowDepth + 1)
        return this.kind === 'records' ? this.recordValue(v, object) : this.rowCell(v, object);
      return;
    }
    if (d !== 2) return;
    if (this.rootKey === 'labels') {
      if (v === undefined) this.badLabel(object, this.labels.count);
      this.labels.add(v, this.labels.count);
    } else if (this.list) this.listValue(v);
  }

  private root(v: JsonScalar | undefined, object: boolean): void {
    if (v === undefined && object) this.rootObject = true;
    else if (v === undefined) this.rowDepth = 1;
    else
      throw new DataError(
        'data.bad-header',
        'expected a JSON array of rows, or an object with "data" (and optionally "labels")',
        { file: this.file },
      );
  }

  private rootValue(v: JsonScalar | undefined, object: boolean): void {
    const k = this.rootKey;
    if (k === 'data') {
      if (v !== undefined || object)
        throw new DataError('data.bad-header', '"data" must be an array of rows', {
          file: this.file,
          field: 'data',
        });
      this.rowDepth = 2;
    } else if (k === 'labels') {
      if (v !== undefined || object)
        throw new DataError('data.bad-labels', '"labels" must be an array', {
          file: this.file,
          field: 'labels',
        });
      this.labelsGiven = true;
    } else if ((k === 'labelNames' || k === 'featureNames') && v === undefined && !object) {
      this.list = k;
      if (k === 'labelNames') this.labelNames = [];
      else this.featureNamesJson = [];
    } else if (v === undefined) this.skipFrom = 2; // another key's container: skipped
  }

  private listValue(v: JsonScalar | undefined): void {
    if (v === undefined) this.skipFrom = 3;
    const list = this.list === 'labelNames' ? this.labelNames! : this.featureNamesJson!;
    if (list.length >= this.limits.columns)
      throw new DataError(
        'data.too-large',
        `"${this.list}" holds more than ${fmtInt(this.limits.columns)} entries, the column limit (raise it with --max-memory)`,
        { file: this.file, field: this.list },
      );
    list.push(typeof v === 'string' ? v : undefined);
  }

  /** An element of the rows array: a row (array), a record (object), or one value (one column). */
  private element(v: JsonScalar | undefined, object: boolean): void {
    if (this.kind === undefined) {
      if (v === undefined) {
        this.kind = object ? 'records' : 'rows';
        return;
      }
      if (typeof v !== 'number' && v !== null)
        throw new DataError(
          'data.non-numeric',
          `expected a row (an array of numbers), got ${quote(JSON.stringify(v))}`,
          this.at(0),
        );
      this.kind = 'rows';
      this.dims = 1;
    }
    if (this.kind === 'records') {
      if (v === undefined && object) return;
      this.ragged(
        `expected a record like the first one, got ${v === undefined ? nested(object) : quote(JSON.stringify(v))}`,
      );
    }
    if (v === undefined) {
      if (object) this.ragged(`expected a row of ${this.dims} numbers, got an object`);
      return; // an array row opens
    }
    if (this.dims !== 1)
      this.ragged(`expected a row of ${this.dims} numbers, got ${quote(JSON.stringify(v))}`);
    this.push(this.cell(v, this.rows, 0));
    this.rows++;
  }

  private rowCell(v: JsonScalar | undefined, object: boolean): void {
    const c = this.count++;
    if (this.dims >= 0 && c >= this.dims)
      this.ragged(`expected ${this.dims} values (as in the first row), found more`);
    if (v === undefined) this.nestedCell(object, this.rows, c);
    this.push(this.cell(v, this.rows, c));
  }

  private recordValue(v: JsonScalar | undefined, object: boolean): void {
    const key = this.recordKey;
    if (this.dims < 0) {
      if (v === undefined) this.nestedCell(object, 0, this.first.length);
      const e = this.first.find((x) => x.key === key);
      if (e) {
        e.v = v;
        this.warnings.push(`record 1 has the key ${quote(key)} twice; the last value counts`);
      } else this.first.push({ key, v });
      return;
    }
    this.place(key, v, object);
  }

  /** A record's value into its column (or the labels). */
  private place(key: string, v: JsonScalar | undefined, object: boolean): void {
    const s = this.slot.get(key);
    this.keysNow.push(key);
    if (s === undefined) this.raggedRecord();
    const r = this.rows;
    const repeated = this.seen[s + 1] === this.gen;
    this.seen[s + 1] = this.gen;
    if (repeated) this.keysNow.pop(); // JSON.parse keeps the last value of a repeated key too
    if (s < 0) {
      if (v === undefined) this.badLabel(object, r);
      if (!repeated) this.recordLabels.add(v, r);
      return;
    }
    this.buf.data[r * this.dims + s] = v === undefined ? this.nestedCell(object, r, s) : this.cell(v, r, s);
  }

  private raggedRecord(): never {
    const got = this.keysNow.slice(0, 50).join(', ') + (this.keysNow.length > 50 ? ', …' : '');
    this.ragged(
      `expected the keys ${this.recordKeys.slice(0, 50).join(', ')} (as in the first record), got ${got}`,
    );
  }

  /** A row or a record ended: check its width. */
  private endRow(): void {
    if (this.kind === 'rows') {
      if (this.dims < 0) this.dims = this.count;
      else if (this.count !== this.dims)
        this.ragged(`expected ${this.dims} values (as in the first row), found ${this.count}`);
    } else if (this.dims < 0) this.firstRecord();
    else if (this.keysNow.length !== this.recordKeys.length) this.raggedRecord();
    // A first row without values: refused now rather than after reading the rest.
    if (this.rows === 0 && this.dims === 0)
      throw new DataError('data.empty', 'no columns of data; expected at least one', { file: this.file });
    this.rows++;
    this.count = 0;
  }

  /** The first record fixes the keys, the label key and the feature order. */
  private firstRecord(): void {
    this.recordKeys = this.first.map((e) => e.key);
    const lc = this.opts.labelColumn;
    if (lc !== undefined) {
      this.labelKey = typeof lc === 'number' ? this.recordKeys.at(lc) : lc;
      if (this.labelKey === undefined || !this.recordKeys.includes(this.labelKey))
        throw new DataError(
          'data.bad-option',
          `no key ${JSON.stringify(lc)} for the label column; the records have ${this.recordKeys.slice(0, 50).join(', ')}`,
          { file: this.file },
        );
    }
    this.featureNames = this.recordKeys.filter((k) => k !== this.labelKey);
    this.dims = this.featureNames.length;
    this.featureNames.forEach((k, c) => this.slot.set(k, c));
    if (this.labelKey !== undefined) this.slot.set(this.labelKey, -1);
    this.seen = new Uint32Array(this.dims + 1);
    this.reserveRow(0);
    for (const e of this.first) this.place(e.key, e.v, false);
    this.first = [];
  }
}
