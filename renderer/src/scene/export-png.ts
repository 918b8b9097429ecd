/**
 * PNG export of a 3-D view: the stage renders at 1×–4× its on-screen size (stage.capturePixels),
 * the legend is painted on top with the 2-D canvas API (it is HTML on screen), and the canvas
 * encodes the PNG. Returns the file's bytes.
 */
import { rgbCss, viridis } from './colormap';
import type { LegendModel } from './coloring';
import type { Stage } from './stage';
import { formatValue } from '../charts/scale';
import type { PngOptions } from '../shared/view-types';

export async function exportViewPng(
  stage: Stage,
  legend: readonly LegendModel[],
  opts: PngOptions = {},
): Promise<Uint8Array> {
  const scale = Math.min(4, Math.max(1, opts.scale ?? 1));
  const { width, height, rgba } = stage.capturePixels(scale, opts.transparent ?? false);
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('PNG export: no 2-D canvas context');
  ctx.putImageData(new ImageData(rgba, width, height), 0, 0);
  // The stage may have clamped the scale to the GPU's largest drawing buffer.
  const s = width / stage.width;
  if ((opts.legend ?? true) && stage.theme) drawLegend(ctx, legend, width, s, stage);
  const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/png'));
  if (!blob) throw new Error(`PNG export: the browser could not encode a ${width}×${height} image`);
  return new Uint8Array(await blob.arrayBuffer());
}

/** The legend as on screen (top-right, panel-coloured box), at `s` device pixels per CSS pixel. */
function drawLegend(
  ctx: CanvasRenderingContext2D,
  sections: readonly LegendModel[],
  width: number,
  s: number,
  stage: Stage,
): void {
  const theme = stage.theme!;
  const shown = sections.filter((m) => m.kind !== 'none');
  if (shown.length === 0) return;
  const font = (px: number, bold = false): string =>
    `${bold ? '600 ' : ''}${px * s}px system-ui, -apple-system, "Segoe UI", Roboto, sans-serif`;
  const pad = 8 * s;
  const line = 16 * s;
  // Measure first, then draw the box and its content.
  const rows: {
    kind: 'title' | 'item' | 'bar' | 'more';
    text: string;
    color?: readonly number[];
    min?: number;
    max?: number;
    span?: [number, number];
  }[] = [];
  for (const m of shown) {
    rows.push({ kind: 'title', text: m.title });
    if (m.kind === 'categories') {
      for (const it of m.items) rows.push({ kind: 'item', text: it.label, color: it.color });
      if (m.more > 0) rows.push({ kind: 'more', text: `+ ${m.more} more` });
    } else if (m.kind === 'colorbar') {
      rows.push({ kind: 'bar', text: '', min: m.min, max: m.max, span: m.span ?? [0, 1] });
    }
  }
  let w = 140 * s;
  for (const r of rows) {
    ctx.font = font(r.kind === 'title' ? 12 : 11, r.kind === 'title');
    w = Math.max(w, ctx.measureText(r.text).width + (r.kind === 'item' ? 18 * s : 0));
  }
  const boxW = w + 2 * pad;
  const boxH = rows.reduce((h, r) => h + (r.kind === 'bar' ? line * 1.8 : line), 0) + 2 * pad;
  const x0 = width - boxW - 8 * s;
  const y0 = 8 * s;
  ctx.fillStyle = rgbCss(theme.panel);
  ctx.globalAlpha = 0.88;
  ctx.fillRect(x0, y0, boxW, boxH);
  ctx.globalAlpha = 1;
  ctx.strokeStyle = rgbCss(theme.border);
  ctx.lineWidth = s;
  ctx.strokeRect(x0 + s / 2, y0 + s / 2, boxW - s, boxH - s);
  ctx.textBaseline = 'middle';
  let y = y0 + pad;
  for (const r of rows) {
    const mid = y + line / 2;
    if (r.kind === 'title') {
      ctx.font = font(12, true);
      ctx.fillStyle = rgbCss(theme.text);
      ctx.fillText(r.text, x0 + pad, mid);
      y += line;
    } else if (r.kind === 'item') {
      ctx.fillStyle = rgbCss(r.color as [number, number, number]);
      ctx.beginPath();
      ctx.arc(x0 + pad + 5 * s, mid, 4.5 * s, 0, 2 * Math.PI);
      ctx.fill();
      ctx.font = font(11);
      ctx.fillStyle = rgbCss(theme.text);
      ctx.fillText(r.text, x0 + pad + 18 * s, mid);
      y += line;
    } else if (r.kind === 'more') {
      ctx.font = font(11);
      ctx.fillStyle = rgbCss(theme.muted);
      ctx.fillText(r.text, x0 + pad, mid);
      y += line;
    } else {
      const barW = boxW - 2 * pad;
      const grad = ctx.createLinearGradient(x0 + pad, 0, x0 + pad + barW, 0);
      const [lo, hi] = r.span ?? [0, 1];
      for (let i = 0; i <= 8; i++) grad.addColorStop(i / 8, rgbCss(viridis(lo + ((hi - lo) * i) / 8)));
      ctx.fillStyle = grad;
      ctx.fillRect(x0 + pad, y + 2 * s, barW, 10 * s);
      ctx.font = font(11);
      ctx.fillStyle = rgbCss(theme.muted);
      ctx.textAlign = 'left';
      ctx.fillText(formatValue(r.min ?? 0), x0 + pad, y + 2 * s + 10 * s + line * 0.45);
      ctx.textAlign = 'right';
      ctx.fillText(formatValue(r.max ?? 0), x0 + pad + barW, y + 2 * s + 10 * s + line * 0.45);
      ctx.textAlign = 'left';
      y += line * 1.8;
    }
  }
}
