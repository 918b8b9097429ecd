/**
 * CSV cells and layout: what a cell is (a number, missing, ±Infinity or text), an exact fast parser
 * for plain decimals, the delimiter sniffer and the header detector. Isomorphic.
 */
import { CsvTokenizer, type Delimiter } from './csv-tokenizer';
import { readLimits } from './limits';

/** The sniffer reads a sample already in memory: no caps, so that it never refuses. */
const UNCAPPED = { ...readLimits(2 * 1024 ** 3), field: Infinity, columns: Infinity };

export const MISSING = new Set(['', 'na', 'n/a', 'nan', 'null', 'none', '?']);

/** A number written with a decimal comma: "12,5", "-0,25", ",5", "1,5e3" (one comma, no point). */
export const DECIMAL_COMMA = /^[+-]?(\d+,\d*|,\d+)([eE][+-]?\d+)?$/;
const INFINITE = /^[+-]?(inf|infinity)$/i;

type Cell = { kind: 'num'; v: number } | { kind: 'missing' } | { kind: 'inf' } | { kind: 'text' };

/** Classify one cell: a number, missing, ±Infinity, or text. */
export function classify(s: string): Cell {
  const c0 = s.charCodeAt(0);
  // Numbers first (the common case); Number() accepts hex (0x1F), binary and octal literals, which
  // a CSV number never looks like.
  if ((c0 >= 48 && c0 <= 57) || c0 === 43 || c0 === 45 || c0 === 46) {
    const c1 = s.charCodeAt(1) | 32;
    if (!(c0 === 48 && (c1 === 120 || c1 === 98 || c1 === 111))) {
      const v = Number(s);
      if (Number.isFinite(v)) return { kind: 'num', v };
    }
  }
  if (MISSING.has(s.toLowerCase())) return { kind: 'missing' };
  if (INFINITE.test(s)) return { kind: 'inf' };
  return { kind: 'text' };
}

const POW10 = Array.from({ length: 16 }, (_, i) => 10 ** i);

/**
 * A plain decimal (optional sign, digits, at most one point, at most 15 significant digits, no
 * exponent) parsed without Number()'s general machinery, or NaN when the text is anything else.
 * Exact: m and 10^k are exact doubles below 2^53, and IEEE division rounds m / 10^k correctly, so
 * the result equals Number(s) (Clinger's fast path).
 */
export function parseSimpleNumber(s: string, point = 46): number {
  const c0 = s.charCodeAt(0);
  const cl = s.charCodeAt(s.length - 1);
  // Untrimmed text is not a plain decimal (the range parser below would trim it).
  if (c0 === SP || c0 === HT || cl === SP || cl === HT || cl === 13) return NaN;
  return parseSimpleRange(s, 0, s.length, point);
}

/**
 * parseSimpleNumber over s[a, b) after skipping spaces, tabs and a carriage return at either end;
 * NaN when the cell is anything else (the caller then takes the general path). `point` is the
 * decimal mark's char code: 46 (".") or 44 (",").
 */
export function parseSimpleRange(s: string, a: number, b: number, point = 46): number {
  while (a < b && (s.charCodeAt(a) === SP || s.charCodeAt(a) === HT)) a++;
  while (b > a && (s.charCodeAt(b - 1) === SP || s.charCodeAt(b - 1) === HT || s.charCodeAt(b - 1) === 13))
    b--;
  let i = a;
  let neg = false;
  let c = s.charCodeAt(a);
  if (c === 45) {
    neg = true;
    i++;
  } else if (c === 43) i++;
  let m = 0;
  let significant = 0;
  let k = 0;
  let any = false;
  let dot = false;
  for (; i < b; i++) {
    c = s.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      any = true;
      m = m * 10 + (c - 48);
      if (m > 0) significant++;
      if (dot) k++;
    } else if (c === point && !dot) dot = true;
    else return NaN;
  }
  if (!any || significant > 15 || k > 15) return NaN;
  const v = k === 0 ? m : m / POW10[k]!;
  return neg ? -v : v;
}

const SP = 32;
const HT = 9;

/**
 * Pick the delimiter whose field count is the same on (nearly) every sampled line and more than
 * one. Between such candidates, the one under which more cells below the first line read as
 * numbers wins ("1,5;2,5" is two decimal-comma numbers split by ";", not "1", "5;2", "5" split by
 * ","), then the one with more fields, then the first in the list.
 */
export function sniffDelimiter(text: string): Delimiter {
  const sample = text.replace(/^(#[^\n]*\n)+/, '');
  const cands: Delimiter[] = [',', '\t', ';', '|', 'whitespace'];
  let best: Delimiter = ',';
  let bestFields = 1;
  let bestScore = -1;
  for (const d of cands) {
    const counts: number[] = [];
    let cells = 0;
    let numeric = 0;
    const t = new CsvTokenizer(
      d,
      (r) => {
        if (counts.push(r.fields.length) === 1) return;
        for (const f of r.fields) {
          cells++;
          if (classify(f).kind !== 'text' || (d !== ',' && DECIMAL_COMMA.test(f))) numeric++;
        }
      },
      '',
      UNCAPPED,
    );
    t.feed(sample);
    // The sample may end inside a quoted field: count only what closed.
    if (counts.length === 0) continue;
    const freq = new Map<number, number>();
    for (const c of counts) freq.set(c, (freq.get(c) ?? 0) + 1);
    let mode = 0;
    let modeN = 0;
    for (const [c, k] of freq) if (k > modeN || (k === modeN && c > mode)) [mode, modeN] = [c, k];
    const consistent = modeN >= Math.max(1, 0.9 * counts.length);
    const score = cells > 0 ? numeric / cells : 0;
    if (
      consistent &&
      mode > 1 &&
      (score > bestScore + 1e-9 || (score > bestScore - 1e-9 && mode > bestFields))
    ) {
      best = d;
      bestFields = mode;
      bestScore = score;
    }
  }
  return best;
}

function isNumeric(s: string): boolean {
  return classify(s).kind === 'num';
}

/** A first record is a header when none of its cells is a number and it does not look like data. */
export function detectHeader(first: string[], rest: string[][]): boolean {
  const nonEmpty = first.filter((c) => c !== '');
  if (nonEmpty.length === 0) return false;
  if (nonEmpty.some((c) => isNumeric(c) || MISSING.has(c.toLowerCase()))) return false;
  if (rest.length === 0) return true;
  for (let c = 0; c < first.length; c++) {
    const below = rest.map((r) => r[c] ?? '').filter((v) => v !== '');
    // A text cell over numbers, or a value that never recurs below it (a name, not a category).
    if (below.length > 0 && below.every(isNumeric)) return true;
  }
  return first.every((v, c) => v !== '' && !rest.some((r) => r[c] === v));
}
