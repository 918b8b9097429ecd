/**
 * Per-point colours ([n, 3] sRGB bytes) and the legend that explains them. Labels and hash buckets
 * get categorical colours; scalars (reconstruction error, sparsity…) get viridis over [min, max].
 */
import { bucketColor, categoryColor, viridis } from './colormap';
import type { Rgb } from './colormap';
import { extent } from '../charts/scale';

export interface LegendItem {
  label: string;
  color: Rgb;
  count?: number;
}

export type LegendModel =
  | { kind: 'categories'; title: string; items: LegendItem[]; /** categories not listed */ more: number }
  | {
      kind: 'colorbar';
      title: string;
      min: number;
      max: number;
      /** The part of viridis used, when not all of it (default [0, 1]). */
      span?: [number, number];
    }
  | { kind: 'none' };

export interface Coloring {
  colors: Uint8Array;
  legend: LegendModel;
}

/** Categories listed in a legend before "+ N more". */
const MAX_ITEMS = 12;

/** Colour by class: labels [n] (integers ≥ 0; negative = unlabelled, drawn grey). */
export function colorByLabel(
  labels: ArrayLike<number>,
  names?: readonly string[],
  title = 'Label',
): Coloring {
  const n = labels.length;
  const colors = new Uint8Array(n * 3);
  const counts = new Map<number, number>();
  for (let i = 0; i < n; i++) {
    const l = labels[i]!;
    const c: Rgb = l >= 0 ? categoryColor(l) : [128, 128, 128];
    colors[i * 3] = c[0];
    colors[i * 3 + 1] = c[1];
    colors[i * 3 + 2] = c[2];
    counts.set(l, (counts.get(l) ?? 0) + 1);
  }
  const keys = [...counts.keys()].sort((a, b) => a - b);
  const items = keys.slice(0, MAX_ITEMS).map((l) => ({
    label: l < 0 ? 'unlabelled' : (names?.[l] ?? String(l)),
    color: (l >= 0 ? categoryColor(l) : [128, 128, 128]) as Rgb,
    count: counts.get(l)!,
  }));
  return { colors, legend: { kind: 'categories', title, items, more: keys.length - items.length } };
}

/**
 * Colour by a scalar [n] through the part `span` of viridis (see viridisSpan) over its finite
 * [min, max] (or the given range).
 */
export function colorByScalar(
  values: Float32Array,
  title: string,
  range?: [number, number] | null,
  span: [number, number] = [0, 1],
): Coloring {
  const n = values.length;
  const [lo, hi] = range ?? extent(values);
  const [s0, s1] = span;
  const colors = new Uint8Array(n * 3);
  const width = hi - lo;
  for (let i = 0; i < n; i++) {
    const v = values[i]!;
    const c: Rgb = Number.isFinite(v)
      ? viridis(s0 + (s1 - s0) * (width > 0 ? (v - lo) / width : 0.5))
      : [128, 128, 128];
    colors[i * 3] = c[0];
    colors[i * 3 + 1] = c[1];
    colors[i * 3 + 2] = c[2];
  }
  return {
    colors,
    legend: {
      kind: 'colorbar',
      title,
      min: Number.isFinite(lo) ? lo : 0,
      max: Number.isFinite(hi) ? hi : 0,
      span,
    },
  };
}

/** Colour by hash bucket [n]: neighbouring bucket ids get distant hues; the legend lists the largest. */
export function colorByBucket(buckets: ArrayLike<number>, title = 'Hash bucket'): Coloring {
  const n = buckets.length;
  const colors = new Uint8Array(n * 3);
  const counts = new Map<number, number>();
  for (let i = 0; i < n; i++) {
    const b = buckets[i]!;
    const c = bucketColor(b);
    colors[i * 3] = c[0];
    colors[i * 3 + 1] = c[1];
    colors[i * 3 + 2] = c[2];
    counts.set(b, (counts.get(b) ?? 0) + 1);
  }
  const top = [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0] - b[0]);
  const items = top.slice(0, 8).map(([b, count]) => ({ label: `#${b}`, color: bucketColor(b), count }));
  return {
    colors,
    legend: {
      kind: 'categories',
      title: `${title} (${counts.size} used)`,
      items,
      more: top.length - items.length,
    },
  };
}

/** One colour for every point. */
export function colorUniform(n: number, color: Rgb): Coloring {
  const colors = new Uint8Array(n * 3);
  for (let i = 0; i < n; i++) colors.set(color, i * 3);
  return { colors, legend: { kind: 'none' } };
}
