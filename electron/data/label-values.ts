/**
 * Label values → indices into sorted label names: numeric labels in numeric order (so MNIST's 0–9
 * map to themselves), others alphabetically. Isomorphic.
 */
import { DataError, quote } from './errors';

export interface Labels {
  labels: Int32Array;
  labelNames: string[];
}

export const NUMERIC = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** Canonical text of a label value: numbers as JavaScript prints them ("1.0" → "1"). */
export function labelText(v: string | number): string {
  if (typeof v === 'number') return String(v);
  const t = v.trim();
  return NUMERIC.test(t) ? String(Number(t)) : t;
}

/** Distinct label names in label order: numerically when all are numbers, else alphabetically. */
function sortNames(distinct: string[]): string[] {
  const numeric = distinct.every((v) => NUMERIC.test(v) || /^-?\d+(\.\d+)?(e[+-]?\d+)?$/i.test(v));
  return distinct.sort(
    numeric ? (a, b) => Number(a) - Number(b) : (a, b) => a.localeCompare(b, 'en', { numeric: true }),
  );
}

/** Map label values to indices into their sorted distinct names. */
export function encodeLabels(values: readonly string[]): Labels {
  const distinct = sortNames([...new Set(values)]);
  const index = new Map(distinct.map((v, i) => [v, i]));
  const labels = new Int32Array(values.length);
  values.forEach((v, i) => (labels[i] = index.get(v)!));
  return { labels, labelNames: distinct };
}

/**
 * encodeLabels for labels read as ids into `texts` (each distinct text once): row i's label is
 * texts[ids[rows[i]]] (rows: all of them when absent). Only the texts used count. Four bytes a row
 * instead of a string each.
 */
export function encodeLabelIds(
  ids: Int32Array,
  texts: readonly string[],
  count: number,
  rows?: Uint32Array,
): Labels {
  const n = rows ? rows.length : count;
  const used = new Uint8Array(texts.length);
  for (let i = 0; i < n; i++) used[ids[rows ? rows[i]! : i]!] = 1;
  const names = sortNames(texts.filter((_, t) => used[t]));
  const index = new Map(names.map((v, i) => [v, i]));
  const remap = Int32Array.from(texts, (t) => index.get(t) ?? -1);
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) labels[i] = remap[ids[rows ? rows[i]! : i]!]!;
  return { labels, labelNames: names };
}

/** Label values from numbers (IDX, .npy); NaN and ±Infinity are refused. */
export function labelsFromNumbers(values: ArrayLike<number>, file: string): Labels {
  const text: string[] = new Array<string>(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isFinite(v))
      throw new DataError('data.bad-labels', `expected a label, got ${v}`, {
        file,
        row: i + 1,
        field: `index [${i}]`,
      });
    text[i] = String(v);
  }
  return encodeLabels(text);
}

/** One JSON label: a number or a string. */
export function jsonLabel(x: unknown, file: string, i: number): string {
  if (typeof x === 'number' && Number.isFinite(x)) return labelText(x);
  if (typeof x === 'string' && x.trim() !== '') return labelText(x);
  throw new DataError(
    'data.bad-labels',
    `expected a label (a number or a non-empty string), got ${quote(JSON.stringify(x) ?? String(x))}`,
    {
      file,
      field: `labels[${i}]`,
    },
  );
}
