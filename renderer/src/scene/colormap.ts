/**
 * Colours for points: a categorical palette for labels and hash buckets, and viridis for scalars.
 * Colours are sRGB bytes, three per point ([n, 3] Uint8Array), which the point shader writes out
 * unchanged (see points.ts).
 */

export type Rgb = readonly [number, number, number];

/** Tableau 10: distinct on both the dark and the light background. */
export const CATEGORICAL: readonly Rgb[] = [
  [0x4e, 0x79, 0xa7],
  [0xf2, 0x8e, 0x2b],
  [0xe1, 0x57, 0x59],
  [0x76, 0xb7, 0xb2],
  [0x59, 0xa1, 0x4f],
  [0xed, 0xc9, 0x48],
  [0xb0, 0x7a, 0xa1],
  [0xff, 0x9d, 0xa7],
  [0x9c, 0x75, 0x5f],
  [0xba, 0xb0, 0xac],
];

/** The colour of category `i`: Tableau 10, then golden-angle hues for the eleventh on. */
export function categoryColor(i: number): Rgb {
  if (i >= 0 && i < CATEGORICAL.length) return CATEGORICAL[i] as Rgb;
  const hue = (i * 137.508) % 360;
  return hslToRgb(hue, 0.62, 0.55 + 0.1 * ((i >> 3) % 2));
}

/** A hash bucket's colour: buckets are unordered, so spread neighbouring ids over the hue circle. */
export function bucketColor(bucket: number): Rgb {
  // Knuth's multiplicative hash: nearby bucket ids land far apart in hue.
  const h = (Math.imul(bucket >>> 0, 2654435761) >>> 0) / 2 ** 32;
  return hslToRgb(h * 360, 0.65, 0.5 + 0.12 * ((bucket >>> 1) % 2));
}

export function hslToRgb(h: number, s: number, l: number): Rgb {
  const a = s * Math.min(l, 1 - l);
  const f = (n: number): number => {
    const k = (n + h / 30) % 12;
    return Math.round(255 * (l - a * Math.max(-1, Math.min(k - 3, 9 - k, 1))));
  };
  return [f(0), f(8), f(4)];
}

/**
 * Viridis (van der Walt & Smith, matplotlib): perceptually uniform, readable in greyscale.
 * A degree-6 polynomial fit per channel (Matt Zucker's fit of the matplotlib table), sampled into
 * a 256-entry table.
 */
const VIRIDIS_COEFFS: readonly (readonly [number, number, number])[] = [
  [0.2777273272234177, 0.005407344544966578, 0.3340998053353061],
  [0.1050930431085774, 1.404613529898575, 1.384590162594685],
  [-0.3308618287255563, 0.214847559468213, 0.09509516302823659],
  [-4.634230498983486, -5.799100973351585, -19.33244095627987],
  [6.228269936347081, 14.17993336680509, 56.69055260068105],
  [4.776384997670288, -13.74514537774601, -65.35303263337234],
  [-5.435455855934631, 4.645852612178535, 26.3124352495832],
];

function viridisPoly(t: number): Rgb {
  const out = [0, 0, 0];
  for (let c = 0; c < 3; c++) {
    let v = 0;
    for (let i = VIRIDIS_COEFFS.length - 1; i >= 0; i--) v = v * t + (VIRIDIS_COEFFS[i] as Rgb)[c]!;
    out[c] = Math.round(255 * Math.min(1, Math.max(0, v)));
  }
  return out as unknown as Rgb;
}

/** [256, 3] sRGB bytes. */
export const VIRIDIS: Uint8Array = (() => {
  const lut = new Uint8Array(256 * 3);
  for (let i = 0; i < 256; i++) lut.set(viridisPoly(i / 255), i * 3);
  return lut;
})();

/**
 * The part of viridis a view uses: its darkest purple vanishes on a dark background, its
 * brightest yellow on a light one.
 */
export function viridisSpan(dark: boolean): [number, number] {
  return dark ? [0.15, 1] : [0, 0.85];
}

/** Viridis at t ∈ [0, 1] (clamped). */
export function viridis(t: number): Rgb {
  const i = Math.round(255 * Math.min(1, Math.max(0, Number.isFinite(t) ? t : 0))) * 3;
  return [VIRIDIS[i]!, VIRIDIS[i + 1]!, VIRIDIS[i + 2]!];
}

/** CSS gradient for a colour bar over the part [lo, hi] of viridis. */
export function viridisCss(direction = 'to right', lo = 0, hi = 1): string {
  const stops: string[] = [];
  for (let s = 0; s <= 8; s++) stops.push(`${rgbCss(viridis(lo + ((hi - lo) * s) / 8))} ${(s / 8) * 100}%`);
  return `linear-gradient(${direction}, ${stops.join(', ')})`;
}

export function rgbCss([r, g, b]: Rgb): string {
  return `rgb(${r}, ${g}, ${b})`;
}

/** Parse '#rrggbb', '#rgb' or 'rgb(r, g, b)' (what getComputedStyle returns) to sRGB bytes. */
export function parseCssColor(css: string, fallback: Rgb = [128, 128, 128]): Rgb {
  const s = css.trim();
  let m = /^#([0-9a-f]{6})$/i.exec(s);
  if (m) {
    const v = parseInt(m[1]!, 16);
    return [(v >> 16) & 255, (v >> 8) & 255, v & 255];
  }
  m = /^#([0-9a-f]{3})$/i.exec(s);
  if (m) {
    const [r, g, b] = m[1]!.split('').map((c) => parseInt(c + c, 16));
    return [r!, g!, b!];
  }
  m = /^rgba?\(\s*([\d.]+)[\s,]+([\d.]+)[\s,]+([\d.]+)/i.exec(s);
  if (m) return [Number(m[1]), Number(m[2]), Number(m[3])];
  return fallback;
}
