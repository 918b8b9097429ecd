/**
 * Labels files read as streams: text with one label per line (a first line that is a name over
 * numeric labels is a header and skipped; blank lines at the end are ignored) and a JSON array.
 * Each label is kept as a four-byte id into the distinct values, the line length is capped as in
 * CSV, and memory is checked as the ids and the distinct values grow.
 */
import { DataError, fmtInt, quote } from './errors';
import { JsonLabels } from './json-labels';
import { JsonTokenizer, type JsonHandler, type JsonScalar } from './json-stream';
import { NUMERIC, encodeLabelIds, labelText, type Labels } from './label-values';
import { limitsOf } from './limits';
import type { ResolvedOptions } from './options';
import { openBytes } from './source';
import { LineGuard } from './text-guard';
import { checkMemory } from './validate';

/** Interned label texts: an id per line. */
class TextLabels {
  count = 0;
  ids = new Int32Array(1024);
  readonly texts: string[] = [];
  private readonly index = new Map<string, number>();
  private distinctBytes = 0;

  constructor(
    private readonly file: string,
    private readonly maxBytes: number,
  ) {}

  private check(): void {
    checkMemory(
      this.file,
      this.ids.byteLength * 1.5 + this.distinctBytes,
      `${fmtInt(this.count)} labels read so far (${fmtInt(this.texts.length)} distinct)`,
      this.maxBytes,
    );
  }

  add(text: string): void {
    let id = this.index.get(text);
    if (id === undefined) {
      id = this.texts.length;
      this.index.set(text, id);
      this.texts.push(text);
      this.distinctBytes += 96 + 2 * text.length;
      if (this.texts.length % 4096 === 0) this.check();
    }
    if (this.count >= this.ids.length) {
      this.check();
      const grown = new Int32Array(this.ids.length * 2);
      grown.set(this.ids);
      this.ids = grown;
    }
    this.ids[this.count++] = id;
  }
}

/** One label per line. */
export async function readTextLabels(file: string, opts: ResolvedOptions): Promise<Labels> {
  const limits = limitsOf(opts);
  const src = openBytes(file, false, limits);
  const labels = new TextLabels(file, opts.maxBytes);
  let line = 0; // lines done
  let carry = '';
  let blankFrom = 0; // first of the blank lines seen since the last label (0: none)
  let first: { raw: string; value: string } | undefined;
  let restNumeric = true;
  const checkLine = (raw: string, value: string, row: number) => {
    if (value === '')
      throw new DataError('data.bad-labels', 'empty line; expected one label per line', { file, row });
    if (/[,\t;]/.test(raw) && !/^".*"$/.test(raw.trim()))
      throw new DataError(
        'data.bad-labels',
        `expected one label per line, got several fields: ${quote(raw)}`,
        {
          file,
          row,
        },
      );
  };
  const onLine = (raw: string) => {
    line++;
    const value = labelText(raw.trim().replace(/^"(.*)"$/, '$1'));
    if (line === 1) {
      first = { raw, value };
      labels.add(value);
      // A number can be no header: it is checked now.
      if (NUMERIC.test(value)) checkLine(raw, value, 1);
      return;
    }
    if (value === '' && raw.trim() === '') {
      blankFrom ||= line;
      return;
    }
    if (blankFrom) checkLine('', '', blankFrom);
    if (restNumeric && !NUMERIC.test(value)) {
      restNumeric = false;
      // Line 1 is a label after all: it is checked before this one.
      if (!NUMERIC.test(first!.value)) checkLine(first!.raw, first!.value, 1);
    }
    checkLine(raw, value, line);
    labels.add(value);
  };
  const guard = new LineGuard(file, limits, () => line + 1);
  const decoder = new TextDecoder('utf-8');
  for await (const chunk of src.chunks) {
    guard.check(chunk);
    let text = carry + decoder.decode(chunk, { stream: true });
    if (line === 0 && carry === '' && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    let a = 0;
    for (let nl = text.indexOf('\n'); nl >= 0; a = nl + 1, nl = text.indexOf('\n', a))
      onLine(text.slice(a, nl > a && text.charCodeAt(nl - 1) === 13 ? nl - 1 : nl));
    carry = text.slice(a);
  }
  carry += decoder.decode();
  if (carry.trim() !== '') onLine(carry.replace(/\r$/, ''));
  // A non-numeric first line over numeric labels is a header.
  const header = labels.count > 1 && !NUMERIC.test(first!.value) && restNumeric;
  if (!header && first && !NUMERIC.test(first.value)) checkLine(first.raw, first.value, 1);
  const rows = header ? Uint32Array.from({ length: labels.count - 1 }, (_, i) => i + 1) : undefined;
  return encodeLabelIds(labels.ids, labels.texts, labels.count, rows);
}

/** A JSON array of labels. */
export async function readJsonLabels(file: string, opts: ResolvedOptions): Promise<Labels> {
  const limits = limitsOf(opts);
  const src = openBytes(file, false, limits);
  const labels = new JsonLabels(file, opts.maxBytes, () => 0);
  let depth = 0;
  const refuse = (): never => {
    throw new DataError('data.bad-labels', 'expected a JSON array of labels', { file });
  };
  const nested = (what: string) => {
    if (depth++ !== 0)
      throw new DataError(
        'data.bad-labels',
        `expected a label (a number or a non-empty string), got ${what}`,
        {
          file,
          field: `labels[${labels.count}]`,
        },
      );
  };
  const h: JsonHandler = {
    openArray: () => nested('an array'),
    openObject: () => (depth === 0 ? refuse() : nested('an object')),
    close: () => void depth--,
    key: () => undefined,
    value: (v: JsonScalar) => (depth === 0 ? refuse() : labels.add(v, labels.count)),
  };
  const tok = new JsonTokenizer(h, file, limits, 'an array of labels');
  const decoder = new TextDecoder('utf-8');
  for await (const chunk of src.chunks) tok.feed(decoder.decode(chunk, { stream: true }));
  tok.feed(decoder.decode());
  tok.end();
  return labels.encode(undefined);
}
