/**
 * The data-space view's layers as the user sees them: their names, titles and help (the toolbar's
 * toggles and the legend read this table), their colours in each theme, and the order in which a
 * flat (2-D) plot stacks them.
 */
import type { Rgb } from './colormap';
import type { LegendItem, LegendModel } from './coloring';
import type { ViewTheme } from './theme';
import { mixRgb } from './theme';
import type { LayerName } from '../shared/view-types';

export const LAYERS: readonly { name: LayerName; title: string; help: string }[] = [
  { name: 'data', title: 'Data', help: 'The data points x (their 3-D PCA projection when d > 3)' },
  { name: 'recon', title: 'Reconstructions', help: 'The reconstructions r(x) = g(f(x))' },
  { name: 'links', title: 'x → r(x)', help: 'A thin line from each point to its reconstruction' },
  {
    name: 'manifold',
    title: 'Decoded manifold',
    help: 'The decoder g over a grid of codes: a curve for k = 1, a surface for k = 2',
  },
  {
    name: 'tangents',
    title: 'Tangent planes',
    help: 'The span of the decoder Jacobian’s columns at chosen points',
  },
  {
    name: 'field',
    title: 'Vector field',
    help: 'r(x) − x on a grid: points toward higher density (≈ σ² ∇ log p(x) for a denoising AE)',
  },
  {
    name: 'trajectories',
    title: 'Trajectories',
    help: 'Repeated denoising x ← x + α (r(x) − x) from the chosen starting points',
  },
  {
    name: 'pca',
    title: 'PCA plane',
    help: 'The plane through the mean spanned by the top two principal components',
  },
];

export interface Palette {
  data: Rgb;
  recon: Rgb;
  links: Rgb;
  manifold: Rgb;
  tangents: Rgb;
  trajectories: Rgb;
  pca: Rgb;
}

export function paletteFor(theme: ViewTheme): Palette {
  return theme.dark
    ? {
        data: theme.accent,
        recon: [242, 142, 43],
        links: mixRgb(theme.muted, theme.bg, 0.55),
        manifold: [118, 200, 178],
        tangents: [237, 201, 72],
        trajectories: [255, 99, 110],
        pca: [196, 140, 220],
      }
    : {
        data: theme.accent,
        recon: [214, 110, 20],
        links: mixRgb(theme.muted, theme.bg, 0.55),
        manifold: [30, 140, 120],
        tangents: [176, 125, 0],
        trajectories: [210, 40, 60],
        pca: [140, 70, 170],
      };
}

/** Bottom to top in a flat view: PCA plane, data, reconstructions and their links, the decoded manifold, tangents, the field, trajectories on top. */
export const STACKING: readonly LayerName[] = [
  'pca',
  'data',
  'recon',
  'links',
  'manifold',
  'tangents',
  'field',
  'trajectories',
];

export interface LegendState {
  palette: Palette;
  /** Layers with something to show, and layers switched on. */
  present: Record<LayerName, boolean>;
  visible: Record<LayerName, boolean>;
  /** The data have their own colours (by label), explained by `dataLegend`, not the layer colour. */
  dataColored: boolean;
  dataLegend: LegendModel | null;
  manifold: 'curve' | 'surface' | null;
  /** The PCA layer is a line (one direction, d = 2). */
  pcaLine: boolean;
  field: { range: [number, number]; span: [number, number] };
}

/** What each shown layer's colour means, and the field's magnitude scale. */
export function layerLegend(s: LegendState): LegendModel[] {
  const { palette: p, present, visible } = s;
  const items: LegendItem[] = [];
  const add = (name: LayerName, color: Rgb, label?: string): void => {
    if (present[name] && visible[name])
      items.push({ label: label ?? LAYERS.find((l) => l.name === name)!.title, color });
  };
  if (!s.dataColored) add('data', p.data);
  add('recon', p.recon);
  add('manifold', p.manifold, s.manifold === 'curve' ? 'Decoded curve' : 'Decoded surface');
  add('tangents', p.tangents);
  add('trajectories', p.trajectories);
  add('pca', p.pca, s.pcaLine ? 'PCA line' : 'PCA plane');
  const out: LegendModel[] = [];
  if (items.length) out.push({ kind: 'categories', title: 'Layers', items, more: 0 });
  if (s.dataColored && s.dataLegend && present.data && visible.data) out.push(s.dataLegend);
  if (present.field && visible.field)
    out.push({
      kind: 'colorbar',
      title: '|r(x) − x|',
      min: s.field.range[0],
      max: s.field.range[1],
      span: s.field.span,
    });
  return out;
}
