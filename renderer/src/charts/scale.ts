/**
 * Axis arithmetic shared by the SVG charts and the 3-D axes: "nice" tick values (1, 2, 5 × 10^e,
 * Heckbert 1990), linear and log scales, and number formatting that stays short.
 */

/** Ticks covering [lo, hi] at a step of 1, 2 or 5 × 10^e, about `count` of them. */
export function niceTicks(lo: number, hi: number, count = 5): number[] {
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) return [];
  if (hi < lo) [lo, hi] = [hi, lo];
  if (hi === lo) return [lo];
  const step = niceStep((hi - lo) / Math.max(1, count));
  const first = Math.ceil(lo / step - 1e-9);
  const last = Math.floor(hi / step + 1e-9);
  const out: number[] = [];
  for (let i = first; i <= last; i++) out.push(roundTo(i * step, step));
  return out;
}

/** The 1/2/5 × 10^e step nearest to `raw` from above. */
export function niceStep(raw: number): number {
  const e = Math.floor(Math.log10(raw));
  const f = raw / 10 ** e;
  const m = f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10;
  return m * 10 ** e;
}

/** Extend [lo, hi] outward to whole steps, so that the first and last ticks are the ends. */
export function niceDomain(lo: number, hi: number, count = 5): [number, number] {
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) return [0, 1];
  if (hi === lo) {
    const pad = lo === 0 ? 1 : Math.abs(lo) * 0.1;
    return [lo - pad, hi + pad];
  }
  const step = niceStep((hi - lo) / Math.max(1, count));
  return [Math.floor(lo / step + 1e-9) * step, Math.ceil(hi / step - 1e-9) * step];
}

/** Decades 10^a … 10^b spanning [lo, hi] (lo > 0), thinned to at most `max` labels. */
export function logTicks(lo: number, hi: number, max = 6): number[] {
  const a = Math.floor(Math.log10(lo));
  const b = Math.ceil(Math.log10(hi));
  const every = Math.max(1, Math.ceil((b - a + 1) / max));
  const out: number[] = [];
  for (let e = a; e <= b; e += every) out.push(10 ** e);
  return out;
}

function roundTo(v: number, step: number): number {
  // Strip binary noise (0.30000000000000004) to the step's decimals.
  const decimals = Math.max(0, -Math.floor(Math.log10(step)) + 1);
  return Number(v.toFixed(Math.min(decimals, 15)));
}

/** A short label: 0.25, 1.5k, 3e-5, 12, −0.004. */
export function formatTick(v: number): string {
  if (v === 0) return '0';
  const a = Math.abs(v);
  let s: string;
  if (a >= 1e5 || a < 1e-3) s = v.toExponential(a >= 1e5 ? 1 : 0).replace('e+', 'e');
  else if (a >= 1e4) s = `${Number((v / 1e3).toPrecision(3))}k`;
  else s = String(Number(v.toPrecision(4)));
  return s.replace('-', '−');
}

/** A value for tooltips: four significant digits. */
export function formatValue(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  if (v === 0) return '0';
  const a = Math.abs(v);
  return (a >= 1e5 || a < 1e-3 ? v.toExponential(3) : String(Number(v.toPrecision(4)))).replace('-', '−');
}

export interface Scale {
  (v: number): number;
  domain: [number, number];
  range: [number, number];
}

/** Linear map of [d0, d1] onto [r0, r1]. */
export function linearScale(domain: [number, number], range: [number, number]): Scale {
  const [d0, d1] = domain;
  const [r0, r1] = range;
  const k = d1 === d0 ? 0 : (r1 - r0) / (d1 - d0);
  const f = ((v: number) => r0 + (v - d0) * k) as Scale;
  f.domain = domain;
  f.range = range;
  return f;
}

/** Log10 map of [d0, d1] (both > 0) onto [r0, r1]; values ≤ 0 clamp to d0. */
export function logScale(domain: [number, number], range: [number, number]): Scale {
  const l0 = Math.log10(domain[0]);
  const l1 = Math.log10(domain[1]);
  const inner = linearScale([l0, l1], range);
  const f = ((v: number) => inner(Math.log10(Math.max(v, domain[0])))) as Scale;
  f.domain = domain;
  f.range = range;
  return f;
}

/** Minimum and maximum of the finite entries (NaN/±∞ skipped); [NaN, NaN] when none. */
export function extent(values: ArrayLike<number>): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    if (!Number.isFinite(v)) continue;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return lo <= hi ? [lo, hi] : [NaN, NaN];
}
