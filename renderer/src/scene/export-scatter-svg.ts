/**
 * SVG of a 2-D projection of a point cloud: points as circles in their colours, the axes with
 * "nice" ticks and names, and the legend (categories or a viridis colour bar). A standalone file
 * (inline styles), for papers and slides: vector where the PNG export is pixels.
 */
import { niceDomain, niceTicks, formatTick } from '../charts/scale';
import { rgbCss, viridis } from './colormap';
import type { LegendModel } from './coloring';

export interface ScatterSvgInput {
  /** x and y of each point, in data units. */
  xs: ArrayLike<number>;
  ys: ArrayLike<number>;
  /** RGB bytes per point [n × 3]. */
  colors: Uint8Array;
  xLabel: string;
  yLabel: string;
  title?: string;
  legend?: LegendModel;
  dark?: boolean;
  /** Paint the background (default true). */
  background?: boolean;
  /** Circle radius in px (default: smaller for bigger clouds). */
  radius?: number;
}

const esc = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const f1 = (v: number) => (Math.round(v * 10) / 10).toString();

export function scatterSvg(p: ScatterSvgInput): string {
  const n = Math.min(p.xs.length, p.ys.length, Math.floor(p.colors.length / 3));
  let x0 = Infinity,
    x1 = -Infinity,
    y0 = Infinity,
    y1 = -Infinity;
  for (let i = 0; i < n; i++) {
    const x = p.xs[i]!,
      y = p.ys[i]!;
    if (!Number.isFinite(x) || !Number.isFinite(y)) continue;
    x0 = Math.min(x0, x);
    x1 = Math.max(x1, x);
    y0 = Math.min(y0, y);
    y1 = Math.max(y1, y);
  }
  if (x0 > x1) [x0, x1, y0, y1] = [0, 1, 0, 1];
  const [dx0, dx1] = niceDomain(x0, x1);
  const [dy0, dy1] = niceDomain(y0, y1);
  const legend = p.legend && p.legend.kind !== 'none' ? p.legend : null;
  const legendW = legend ? 170 : 0;
  const W = 640 + legendW,
    H = 520;
  const m = { top: p.title ? 40 : 20, right: 20 + legendW, bottom: 56, left: 68 };
  const pw = W - m.left - m.right,
    ph = H - m.top - m.bottom;
  const sx = (v: number) => m.left + ((v - dx0) / (dx1 - dx0 || 1)) * pw;
  const sy = (v: number) => m.top + ph - ((v - dy0) / (dy1 - dy0 || 1)) * ph;
  const fg = p.dark ? '#e6e6e6' : '#222222';
  const grid = p.dark ? '#3a3f47' : '#e3e3e3';
  const bg = p.dark ? '#1b1e23' : '#ffffff';
  const r = p.radius ?? (n > 20000 ? 1.2 : n > 2000 ? 2 : 3);
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="DejaVu Sans, Helvetica, Arial, sans-serif" font-size="12">`,
  ];
  if (p.background ?? true) out.push(`<rect width="100%" height="100%" fill="${bg}"/>`);
  if (p.title)
    out.push(
      `<text x="${m.left}" y="24" fill="${fg}" font-size="14" font-weight="bold">${esc(p.title)}</text>`,
    );
  // Grid, ticks and tick labels.
  for (const t of niceTicks(dx0, dx1)) {
    const x = f1(sx(t));
    out.push(`<line x1="${x}" y1="${m.top}" x2="${x}" y2="${m.top + ph}" stroke="${grid}"/>`);
    out.push(
      `<text x="${x}" y="${m.top + ph + 18}" fill="${fg}" text-anchor="middle">${esc(formatTick(t))}</text>`,
    );
  }
  for (const t of niceTicks(dy0, dy1)) {
    const y = f1(sy(t));
    out.push(`<line x1="${m.left}" y1="${y}" x2="${m.left + pw}" y2="${y}" stroke="${grid}"/>`);
    out.push(
      `<text x="${m.left - 8}" y="${y}" fill="${fg}" text-anchor="end" dominant-baseline="middle">${esc(formatTick(t))}</text>`,
    );
  }
  out.push(`<rect x="${m.left}" y="${m.top}" width="${pw}" height="${ph}" fill="none" stroke="${fg}"/>`);
  out.push(
    `<text x="${m.left + pw / 2}" y="${H - 14}" fill="${fg}" text-anchor="middle">${esc(p.xLabel)}</text>`,
    `<text transform="translate(18 ${m.top + ph / 2}) rotate(-90)" fill="${fg}" text-anchor="middle">${esc(p.yLabel)}</text>`,
  );
  // The points, one group per colour (smaller files than a fill on every circle).
  const byColor = new Map<string, string[]>();
  for (let i = 0; i < n; i++) {
    const x = p.xs[i]!,
      y = p.ys[i]!;
    if (!Number.isFinite(x) || !Number.isFinite(y)) continue;
    const c = rgbCss([p.colors[i * 3]!, p.colors[i * 3 + 1]!, p.colors[i * 3 + 2]!]);
    let list = byColor.get(c);
    if (!list) byColor.set(c, (list = []));
    list.push(`<circle cx="${f1(sx(x))}" cy="${f1(sy(y))}" r="${r}"/>`);
  }
  for (const [c, circles] of byColor)
    out.push(`<g fill="${c}" fill-opacity="0.85" data-color="${c}">${circles.join('')}</g>`);
  if (legend) out.push(legendSvg(legend, W - legendW + 4, m.top, fg));
  out.push('</svg>');
  return out.join('\n');
}

function legendSvg(l: LegendModel, x: number, y: number, fg: string): string {
  const parts: string[] = [];
  if (l.kind === 'categories') {
    parts.push(`<text x="${x}" y="${y + 4}" fill="${fg}" font-weight="bold">${esc(l.title)}</text>`);
    l.items.forEach((it, i) => {
      const yy = y + 24 + i * 18;
      parts.push(
        `<circle cx="${x + 6}" cy="${yy - 4}" r="5" fill="${rgbCss(it.color)}"/>`,
        `<text x="${x + 18}" y="${yy}" fill="${fg}">${esc(it.label)}</text>`,
      );
    });
    if (l.more > 0)
      parts.push(`<text x="${x}" y="${y + 24 + l.items.length * 18}" fill="${fg}">+ ${l.more} more</text>`);
  } else if (l.kind === 'colorbar') {
    const [a, b] = l.span ?? [0, 1];
    const stops = Array.from({ length: 11 }, (_, i) => {
      return `<stop offset="${i * 10}%" stop-color="${rgbCss(viridis(a + ((b - a) * i) / 10))}"/>`;
    }).join('');
    parts.push(
      `<defs><linearGradient id="bar" x1="0" x2="1" y1="0" y2="0">${stops}</linearGradient></defs>`,
      `<text x="${x}" y="${y + 4}" fill="${fg}" font-weight="bold">${esc(l.title)}</text>`,
      `<rect x="${x}" y="${y + 14}" width="140" height="12" fill="url(#bar)"/>`,
      `<text x="${x}" y="${y + 42}" fill="${fg}">${esc(formatTick(l.min))}</text>`,
      `<text x="${x + 140}" y="${y + 42}" fill="${fg}" text-anchor="end">${esc(formatTick(l.max))}</text>`,
    );
  }
  return `<g class="legend">${parts.join('')}</g>`;
}
