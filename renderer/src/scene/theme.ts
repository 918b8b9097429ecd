/**
 * The views' colours come from the page's CSS variables (renderer/src/app.css: --bg, --panel,
 * --text, --muted, --accent, --border; `:root[data-theme='light']`), read from the view's own element
 * so a panel may override them. `--view-bg` overrides the 3-D background alone.
 */
import { parseCssColor } from './colormap';
import type { Rgb } from './colormap';

export interface ViewTheme {
  bg: Rgb;
  panel: Rgb;
  text: Rgb;
  muted: Rgb;
  accent: Rgb;
  border: Rgb;
  /** True when the background is dark (relative luminance below one half). */
  dark: boolean;
}

const FALLBACK: ViewTheme = {
  bg: [0x14, 0x16, 0x1a],
  panel: [0x1c, 0x1f, 0x25],
  text: [0xe6, 0xe8, 0xeb],
  muted: [0x9a, 0xa3, 0xad],
  accent: [0x5a, 0xa9, 0xe6],
  border: [0x2c, 0x31, 0x3a],
  dark: true,
};

export function readTheme(el: Element): ViewTheme {
  const style = getComputedStyle(el);
  const get = (name: string, fb: Rgb): Rgb => {
    const v = style.getPropertyValue(name);
    return v ? parseCssColor(v, fb) : fb;
  };
  const bg = get('--view-bg', get('--bg', FALLBACK.bg));
  return {
    bg,
    panel: get('--panel', FALLBACK.panel),
    text: get('--text', FALLBACK.text),
    muted: get('--muted', FALLBACK.muted),
    accent: get('--accent', FALLBACK.accent),
    border: get('--border', FALLBACK.border),
    dark: luminance(bg) < 0.5,
  };
}

/** WCAG relative luminance of an sRGB colour. */
export function luminance([r, g, b]: Rgb): number {
  const lin = (c: number): number => {
    const s = c / 255;
    return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
}

/** Blend a over b: t = 0 gives b, t = 1 gives a. */
export function mixRgb(a: Rgb, b: Rgb, t: number): Rgb {
  return [
    Math.round(b[0] + (a[0] - b[0]) * t),
    Math.round(b[1] + (a[1] - b[1]) * t),
    Math.round(b[2] + (a[2] - b[2]) * t),
  ];
}

/**
 * Call `onChange` whenever the page's theme may have changed: an attribute on <html> (data-theme,
 * class, style) or the system colour scheme. Returns the unsubscribe function.
 */
export function watchTheme(onChange: () => void): () => void {
  const observer = new MutationObserver(onChange);
  observer.observe(document.documentElement, {
    attributes: true,
    attributeFilter: ['data-theme', 'class', 'style'],
  });
  const media = window.matchMedia?.('(prefers-color-scheme: dark)');
  media?.addEventListener('change', onChange);
  return () => {
    observer.disconnect();
    media?.removeEventListener('change', onChange);
  };
}
