/**
 * The fidelity report's cases: each family on the built-in samples where the chapter says what it
 * must show, the figure that shows it, and the target (docs/theory.md): tangent planes along the
 * manifold, r(x) − x along the score, linear = PCA, sparse codes sparse, PSD's fast codes close to
 * the iterative ones, hashing bits balanced and used, a VAE that uses its code, a deep model better
 * than PCA. Trained with the defaults: only the family and the data are given.
 */
import type { Family } from '../shared/families';
import type { RunMetrics } from '../engine/metrics';
import { MIN_EIGENGAP, TARGETS } from '../engine/diagnostics';

export interface Figure {
  /** Short name in the table ("angle°", "cosine"…). */
  name: string;
  /** What the figure is, for the docs. */
  means: string;
  read(m: RunMetrics): number | null;
  target: { op: '≤' | '≥'; value: number };
  /** When the figure means nothing for this run (shown as n/a, not counted). */
  applies?(m: RunMetrics): boolean;
}

const maxAngle = (m: RunMetrics) => (m.principalAnglesDeg?.length ? Math.max(...m.principalAnglesDeg) : null);

export const FIGURES = {
  tangent: {
    name: 'tangent angle°',
    means: 'median angle between the decoder’s tangent planes and the true ones (300 rows)',
    read: (m) => m.truth?.tangentAngleDeg?.median ?? null,
    target: { op: '≤', value: TARGETS.tangentAngleDeg },
  },
  score: {
    name: 'score cosine',
    means: 'mean cosine between r(x) − x and the true score ∇ log p (300 rows)',
    read: (m) => m.truth?.scoreCosine?.mean ?? null,
    target: { op: '≥', value: TARGETS.scoreCosine },
  },
  pcaAngle: {
    name: 'angle to PCA°',
    means: 'largest principal angle between the decoder’s subspace and PCA’s',
    read: maxAngle,
    target: { op: '≤', value: TARGETS.pcaAngleDeg },
    // On an isotropic sphere every 2-D subspace is PCA's: no angle to measure.
    applies: (m) => !m.pca || m.pca.eigengap === null || m.pca.eigengap > MIN_EIGENGAP,
  },
  pcaRatio: {
    name: 'MSE / PCA',
    means: 'training reconstruction error over PCA’s at the same k',
    read: (m) => (m.pca ? m.trainMse / m.pca.trainMse : null),
    target: { op: '≤', value: TARGETS.pcaRatio },
  },
  deepRatio: {
    name: 'MSE / PCA',
    means: 'training reconstruction error over PCA’s at the same k (a deep model must beat it)',
    read: (m) => (m.pca ? m.trainMse / m.pca.trainMse : null),
    target: { op: '≤', value: 0.9 },
  },
  sparsity: {
    name: 'zero codes',
    means: 'fraction of code entries with |hᵢ| < 10⁻³',
    read: (m) => m.sparsity?.fractionNearZero ?? null,
    target: { op: '≥', value: TARGETS.sparseZeros },
  },
  psdGap: {
    name: '‖f − h*‖²/‖h*‖²',
    means: 'how far the fast predictor f(x) is from the ISTA code h*, relative',
    read: (m) => m.psd?.predictionGap ?? null,
    target: { op: '≤', value: TARGETS.psdGap },
  },
  bitEntropy: {
    name: 'bit entropy',
    means: 'mean binary entropy of the hash bits’ usage (1 = every bit halves the data), no constant bit',
    read: (m) => (m.hashing ? (m.hashing.constantBits > 0 ? 0 : m.hashing.meanBitEntropy) : null),
    target: { op: '≥', value: TARGETS.bitEntropy },
  },
  vaeActive: {
    name: 'active units',
    means: 'fraction of the code’s units whose KL exceeds 0.01 nats (not collapsed onto the prior)',
    read: (m) => (m.vae ? m.vae.activeUnits / m.latent : null),
    target: { op: '≥', value: 1 },
  },
} satisfies Record<string, Figure>;

export interface FidelityCase {
  family: Family;
  /** A built-in sample spec without the seed (the report adds it). */
  sample: string;
  figures: (keyof typeof FIGURES)[];
  /** In the quick report (CI), with this many rows (or the sample's default). */
  quick?: { rows?: number };
  /** Settings beside the family and the data (option path → value as typed), for the cases the
   *  chapter states on raw data: `train.normalize` → `none` for "linear = PCA at any scale". */
  set?: Readonly<Record<string, string>>;
}

const MANIFOLDS = ['swiss-roll', 's-curve', 'sphere'];
type Key = keyof typeof FIGURES;
const on = (family: Family, samples: readonly string[], figures: Key[]): FidelityCase[] =>
  samples.map((s) => ({ family, sample: `sample:${s}`, figures }));

const quick = (c: FidelityCase[], q: FidelityCase['quick'] = {}) => c.map((x) => ({ ...x, quick: q }));

/** The report's cases; `quick` ones (a few minutes on 2 cores) also run in CI. */
export const FIDELITY_CASES: readonly FidelityCase[] = [
  ...quick(on('linear', ['swiss-roll'], ['pcaAngle', 'pcaRatio'])),
  ...on('linear', ['s-curve', 'sphere'], ['pcaAngle', 'pcaRatio']),
  ...quick(on('linear', ['digits'], ['pcaAngle', 'pcaRatio']), { rows: 1000 }),
  // Raw integer pixels 0–16, no normalisation: linear = PCA at any scale.
  ...quick(on('linear', ['digits-8x8'], ['pcaAngle', 'pcaRatio'])).map((c) => ({
    ...c,
    set: { 'train.normalize': 'none' },
  })),
  ...quick(on('undercomplete', ['swiss-roll'], ['tangent'])),
  ...on('undercomplete', ['s-curve', 'sphere'], ['tangent']),
  ...on('contractive', MANIFOLDS, ['tangent']),
  ...quick(on('denoising', ['gaussian-mixture'], ['score'])),
  ...quick(on('sparse', ['digits'], ['sparsity']), { rows: 1000 }),
  ...on('deep', ['digits'], ['deepRatio']),
  ...quick(on('vae', ['digits'], ['vaeActive']), { rows: 1000 }),
  ...on('psd', ['digits'], ['psdGap']),
  ...quick(on('hashing', ['digits'], ['bitEntropy']), { rows: 1000 }),
];

/** The figures of a family, for a case the table does not list (fidelity --family F --sample S). */
const FAMILY_FIGURES: Record<Family, Key[]> = {
  linear: ['pcaAngle', 'pcaRatio'],
  undercomplete: ['tangent'],
  contractive: ['tangent'],
  denoising: ['score', 'tangent'],
  sparse: ['sparsity', 'tangent'],
  deep: ['deepRatio', 'tangent'],
  vae: ['vaeActive', 'tangent'],
  psd: ['psdGap'],
  hashing: ['bitEntropy'],
};

export function adHocCase(family: Family, sample: string): FidelityCase {
  return { family, sample, figures: FAMILY_FIGURES[family] };
}
