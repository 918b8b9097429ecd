/**
 * A streaming JSON tokenizer (RFC 8259) fed text piece by piece, calling a handler for each
 * container, key and scalar: the JSON loader builds its matrix from these events without ever
 * holding the parsed tree (JSON.parse of `[{},{},…]` costs ≈20 bytes per byte of text). Tokens may
 * be split across pieces. Strings are capped at the field limit and nesting at MAX_DEPTH; syntax
 * errors name the line and column. Isomorphic.
 */
import { DataError } from './errors';
import { fieldTooLong, type ReadLimits } from './limits';

export type JsonScalar = number | string | boolean | null;

export interface JsonHandler {
  openArray(): void;
  openObject(): void;
  /** The end of the innermost open array or object. */
  close(): void;
  key(k: string): void;
  value(v: JsonScalar): void;
}

/** Nesting deeper than this is no table. */
export const MAX_DEPTH = 64;

// What the next token may be.
const VALUE = 0; // a value (top level, after ':' or after ',' in an array)
const VALUE_OR_CLOSE = 1; // after '['
const KEY_OR_CLOSE = 2; // after '{'
const KEY = 3; // after ',' in an object
const COLON = 4;
const COMMA_OR_CLOSE = 5;
const DONE = 6;

const POW10 = Array.from({ length: 16 }, (_, i) => 10 ** i);
const ESCAPES: Record<string, string> = {
  '"': '"',
  '\\': '\\',
  '/': '/',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
};

const isDigit = (c: number) => c >= 48 && c <= 57;

/** The value of the number scanNumber read last. */
let scanned = 0;
/** scanNumber's answers besides an end index: the grammar is broken; the text ends inside it. */
const BAD = -1;
const CUT = -2;

/**
 * A JSON number from s[a] (-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?) in one pass: its end (its value in
 * `scanned`), BAD, or CUT when s ends before it does. Up to 15 significant digits without an
 * exponent: m / 10^k, exact (Clinger's fast path); otherwise Number().
 */
function scanNumber(s: string, a: number, n: number): number {
  let k = a;
  const neg = s.charCodeAt(k) === 45;
  if (neg) k++;
  if (k >= n) return CUT;
  let m = 0;
  let digits = 0;
  let frac = 0;
  let c = s.charCodeAt(k);
  if (c === 48) k++;
  else if (c >= 49 && c <= 57)
    for (; k < n && isDigit((c = s.charCodeAt(k))); k++) {
      m = m * 10 + (c - 48);
      digits++;
    }
  else return BAD;
  if (k < n && s.charCodeAt(k) === 46) {
    k++;
    const f0 = k;
    for (; k < n && isDigit((c = s.charCodeAt(k))); k++) {
      m = m * 10 + (c - 48);
      if (m > 0) digits++;
      frac++;
    }
    if (k === n) return CUT;
    if (k === f0) return BAD;
  }
  let exp = false;
  if (k < n && (s.charCodeAt(k) | 32) === 101) {
    exp = true;
    k++;
    if (k < n && (s.charCodeAt(k) === 43 || s.charCodeAt(k) === 45)) k++;
    const e0 = k;
    while (k < n && isDigit(s.charCodeAt(k))) k++;
    if (k === n) return CUT;
    if (k === e0) return BAD;
  }
  if (k === n) return CUT;
  if (exp || digits > 15 || frac > 15) scanned = Number(s.slice(a, k));
  else scanned = neg ? -(frac === 0 ? m : m / POW10[frac]!) : frac === 0 ? m : m / POW10[frac]!;
  return k;
}

/** A JSON number that is all of s[a, b), or undefined. */
export function parseJsonNumber(s: string, a: number, b: number): number | undefined {
  const end = scanNumber(s + ' ', a, b + 1);
  return end === b ? scanned : undefined;
}

export class JsonTokenizer {
  private state = VALUE;
  /** Open containers, innermost last: true for an object. */
  private readonly stack: boolean[] = [];
  /** An incomplete token carried over to the next piece. */
  private carry = '';
  /** Characters fed before the current piece (the carry included), for columns. */
  private base = 0;
  private line = 1;
  private lineStart = 0;
  /** Anything but whitespace seen. */
  seen = false;

  /** 1-based line of the next character to be fed. */
  get lineNumber(): number {
    return this.line;
  }

  constructor(
    private readonly h: JsonHandler,
    private readonly file: string,
    private readonly limits: ReadLimits,
    /** What the file should hold, for messages. */
    private readonly expected = 'an array of rows or {"data": …, "labels": …}',
  ) {}

  private syntax(what: string, i: number): DataError {
    return new DataError('data.syntax', `not valid JSON (${what}); expected ${this.expected}`, {
      file: this.file,
      row: this.line,
      column: this.base + i - this.lineStart + 1,
    });
  }

  private unexpected(s: string, i: number, expected: string): DataError {
    return this.syntax(`unexpected ${JSON.stringify(s[i])}; expected ${expected}`, i);
  }

  private done(): void {
    this.state = this.stack.length === 0 ? DONE : COMMA_OR_CLOSE;
  }

  private open(object: boolean, i: number): void {
    if (this.stack.length >= MAX_DEPTH) throw this.syntax(`nested more than ${MAX_DEPTH} levels deep`, i);
    this.stack.push(object);
    if (object) {
      this.state = KEY_OR_CLOSE;
      this.h.openObject();
    } else {
      this.state = VALUE_OR_CLOSE;
      this.h.openArray();
    }
  }

  private close(): void {
    this.stack.pop();
    this.h.close();
    this.done();
  }

  /** The string starting at s[i] (a quote): its value and end, or undefined when s ends first. */
  private string(s: string, i: number): { v: string; end: number } | undefined {
    let out = '';
    let seg = i + 1;
    const n = s.length;
    for (let j = i + 1; j < n;) {
      const c = s.charCodeAt(j);
      if (j - i > this.limits.field)
        throw fieldTooLong(
          { file: this.file, row: this.line, column: this.base + i - this.lineStart + 1 },
          'a string',
          j - i,
          this.limits,
          'expected numbers, or short labels and names',
        );
      if (c === 34) return { v: out + s.slice(seg, j), end: j + 1 };
      if (c === 92) {
        if (j + 1 >= n) return undefined;
        out += s.slice(seg, j);
        const e = s[j + 1]!;
        if (e === 'u') {
          if (j + 6 > n) return undefined;
          const hex = s.slice(j + 2, j + 6);
          if (!/^[0-9a-fA-F]{4}$/.test(hex)) throw this.syntax(`bad escape \\u${hex}`, j);
          out += String.fromCharCode(parseInt(hex, 16));
          j += 6;
        } else {
          const r = ESCAPES[e];
          if (r === undefined) throw this.syntax(`bad escape \\${e}`, j);
          out += r;
          j += 2;
        }
        seg = j;
        continue;
      }
      if (c < 0x20) throw this.syntax('a control character inside a string', j);
      j++;
    }
    return undefined;
  }

  feed(text: string): void {
    this.run(this.carry + text, false);
  }

  /** End of input: a token still open is complete now (a number) or cut short (a string). */
  end(): void {
    const s = this.carry;
    this.carry = '';
    if (s !== '') this.run(s + ' ', true);
    if (this.state !== DONE) {
      if (!this.seen)
        throw new DataError('data.empty', 'empty file; expected a JSON array of rows', { file: this.file });
      throw this.syntax('unexpected end of input', this.carry.length);
    }
  }

  /**
   * One token where a value may stand (or, after '[', the array's end): where it ends, or −1 when
   * the piece ends inside it (the rest is carried to the next piece).
   */
  private valueToken(s: string, i: number, final: boolean, st: number): number {
    const n = s.length;
    const c = s.charCodeAt(i);
    if (c === 91) {
      this.open(false, i);
      return i + 1;
    }
    if (c === 123) {
      this.open(true, i);
      return i + 1;
    }
    if (c === 93 && st === VALUE_OR_CLOSE) {
      this.close();
      return i + 1;
    }
    if (c === 34) {
      const t = this.string(s, i);
      if (!t) return -1;
      this.h.value(t.v);
      this.done();
      return t.end;
    }
    if (c === 45 || isDigit(c)) {
      // A number ends at the first character that cannot continue it; "01" or "1.2.3" then fail
      // as an unexpected character after a value, as in JSON.parse.
      const j = scanNumber(s, i, n);
      if (j === CUT && !final) return -1;
      if (j < 0) throw this.syntax(`bad number ${JSON.stringify(s.slice(i, Math.min(n, i + 40)).trim())}`, i);
      this.h.value(scanned);
      this.done();
      return j;
    }
    if (c === 116 || c === 102 || c === 110) {
      const word = c === 116 ? 'true' : c === 102 ? 'false' : 'null';
      if (n - i < word.length && word.startsWith(s.slice(i)) && !final) return -1;
      if (!s.startsWith(word, i)) throw this.unexpected(s, i, 'a value');
      this.h.value(c === 116 ? true : c === 102 ? false : null);
      this.done();
      return i + word.length;
    }
    throw this.unexpected(s, i, st === VALUE_OR_CLOSE ? 'a value or ]' : 'a value');
  }

  private run(s: string, final: boolean): void {
    const n = s.length;
    const h = this.h;
    let i = 0;
    while (i < n) {
      const c = s.charCodeAt(i);
      if (c === 32 || c === 10 || c === 13 || c === 9) {
        if (c === 10) {
          this.line++;
          this.lineStart = this.base + i + 1;
        }
        i++;
        continue;
      }
      this.seen = true;
      const st = this.state;
      if (st === VALUE || st === VALUE_OR_CLOSE) {
        const j = this.valueToken(s, i, final, st);
        if (j < 0) break;
        i = j;
      } else if (st === KEY_OR_CLOSE || st === KEY) {
        if (c === 125 && st === KEY_OR_CLOSE) {
          this.close();
          i++;
        } else if (c === 34) {
          const t = this.string(s, i);
          if (!t) break;
          h.key(t.v);
          this.state = COLON;
          i = t.end;
        } else throw this.unexpected(s, i, st === KEY ? 'a "key"' : 'a "key" or }');
      } else if (st === COLON) {
        if (c !== 58) throw this.unexpected(s, i, ':');
        this.state = VALUE;
        i++;
      } else if (st === COMMA_OR_CLOSE) {
        const object = this.stack[this.stack.length - 1]!;
        if (c === 44) this.state = object ? KEY : VALUE;
        else if (c === (object ? 125 : 93)) {
          this.close();
        } else throw this.unexpected(s, i, object ? ', or }' : ', or ]');
        i++;
      } else throw this.unexpected(s, i, 'nothing after the end of the JSON value');
    }
    this.carry = i < n ? s.slice(i) : '';
    if (this.carry.length > this.limits.field)
      throw fieldTooLong(
        { file: this.file, row: this.line, column: this.base + i - this.lineStart + 1 },
        'a token',
        this.carry.length,
        this.limits,
        'expected numbers, or short labels and names',
      );
    this.base += i;
  }
}
