/**
 * Did the run reach what its family promises? At the end of every run: one sentence per shortfall,
 * each with the fix as option values (paths of the options table, as a user would type them), so
 * the command line can name the flags and the app can offer a button that applies them:
 * linear not at PCA, tangent planes off the true ones, r(x) − x off the score, codes that are not
 * sparse, dead or unbalanced hash bits, VAE units collapsed onto the prior, a code that does not
 * vary, PSD's predictor far from its codes, and a loss still falling at the last epoch.
 */
import type { ModelConfig, ResolvedTrainOptions } from '../shared/model-config';
import type { HistoryRecord } from './loop';
import type { RunMetrics } from './metrics';

export interface Diagnosis {
  code: string;
  /** One sentence: what falls short, with the figure. */
  message: string;
  /** The change that should mend it: option path → value as typed ('train.epochs' → '400'). */
  fix?: { label: string; set: Record<string, string> };
}

export interface DiagnosisInput {
  config: ModelConfig;
  train: ResolvedTrainOptions;
  metrics: RunMetrics;
  history: readonly HistoryRecord[];
  stopped: string;
  /** rows × k codes (input row order). */
  codes: Float32Array;
}

/** The chapter's targets, shared with the fidelity report (fidelity/cases.ts). */
export const TARGETS = {
  pcaAngleDeg: 1,
  pcaRatio: 1.001,
  tangentAngleDeg: 10,
  scoreCosine: 0.9,
  sparseZeros: 0.5,
  bitEntropy: 0.8,
  psdGap: 0.25,
} as const;

/**
 * Below this λ_k/λ_{k+1} the PCA subspace is too ill-defined to measure angles to it: a uniform
 * sphere's three variances differ by a few per cent in a 2,000-point sample (ratios 1.02–1.08,
 * where converged runs ended 1–8° apart at PCA's error), and which 2-D subspace a model settles
 * in then hardly changes its error. The digits' second and third variances are 1.16 apart, and
 * the linear model's subspace is 1e-4° from PCA's.
 */
export const MIN_EIGENGAP = 1.1;

const fmt = (v: number, digits = 3) => Number(v.toPrecision(digits)).toString();

const TANGENT_FAMILIES = new Set(['undercomplete', 'sparse', 'denoising', 'contractive', 'deep', 'vae']);

/** The loss has settled when the last fifth of a run lowered it by less than this fraction. */
const SETTLED = 0.02;

/** Relative fall of the training loss over the last fifth of the epochs (0 when flat or rising). */
export function lateImprovement(history: readonly HistoryRecord[]): number {
  const h = history.filter((r) => !r.stage || r.stage === 'finetune');
  if (h.length < 10) return 0;
  const w = Math.max(2, Math.floor(h.length / 5));
  const mean = (rs: readonly HistoryRecord[]) => rs.reduce((a, r) => a + r.loss, 0) / rs.length;
  const before = mean(h.slice(-2 * w, -w));
  const last = mean(h.slice(-w));
  return before > 0 && Number.isFinite(before) ? Math.max(0, (before - last) / before) : 0;
}

/**
 * Overfitting: at the end the validation loss is over 25 % above its best while the training loss is
 * below what it was at that best epoch — and the rise is worth saying: at least 2 % of the way the
 * validation loss came down from its first epoch (a swiss roll whose validation loss went from 0.55
 * to 0.0067 and back to 0.011 is fitting, not overfitting: its tangent planes were 6° off). Null
 * when it is not, or there is no validation loss.
 */
export function overfitting(history: readonly HistoryRecord[]): { rise: number; bestEpoch: number } | null {
  const h = history.filter((r) => (!r.stage || r.stage === 'finetune') && r.valLoss !== null);
  if (h.length < 10) return null;
  let best = h[0]!;
  for (const r of h) if (r.valLoss! < best.valLoss!) best = r;
  const first = h[0]!.valLoss!;
  const last = h.at(-1)!;
  const rise = best.valLoss! > 0 ? (last.valLoss! - best.valLoss!) / best.valLoss! : 0;
  const material = last.valLoss! - best.valLoss! > 0.02 * (first - best.valLoss!);
  return rise > 0.25 && material && last.loss < best.loss ? { rise, bestEpoch: best.epoch } : null;
}

/** Units of the code whose standard deviation over the rows is (almost) 0. */
function constantUnits(codes: Float32Array, k: number): number {
  const rows = codes.length / k;
  if (rows < 2) return 0;
  let n = 0;
  for (let j = 0; j < k; j++) {
    let s = 0,
      s2 = 0;
    for (let r = 0; r < rows; r++) {
      const v = codes[r * k + j]!;
      s += v;
      s2 += v * v;
    }
    const m = s / rows;
    const sd = Math.sqrt(Math.max(0, s2 / rows - m * m));
    if (!(sd > 1e-6 * Math.max(1, Math.abs(m)))) n++;
  }
  return n;
}

export function diagnose(r: DiagnosisInput): Diagnosis[] {
  const out: Diagnosis[] = [];
  const { config: c, train: t, metrics: m } = r;
  const longer = (times: number) => ({
    label: `Train ${times}× longer (${t.epochs * times} epochs)`,
    set: { 'train.epochs': String(t.epochs * times), ...(t.patience > 0 ? { 'train.patience': '0' } : {}) },
  });
  const falling = r.stopped === 'completed' ? lateImprovement(r.history) : 0;
  // A figure short of its target while the loss has settled is a local minimum (a 2-D code folded
  // over the swiss roll: contractive seed 32 of the fidelity report, 11.9° after its whole budget),
  // which more epochs do not leave: new starts do. While the loss still falls, train longer.
  const settled = r.stopped === 'completed' && r.history.length >= 50 && falling < SETTLED;
  const starts = Math.min(10, Math.max(5, t.restarts + 2));
  const retry = () =>
    settled
      ? {
          label: `Train again from ${starts} new starts (seed ${t.seed + 1})`,
          set: { 'train.restarts': String(starts), 'train.seed': String(t.seed + 1) },
        }
      : longer(2);

  if (c.family === 'linear' && m.pca) {
    const angle = m.principalAnglesDeg?.length ? Math.max(...m.principalAnglesDeg) : 0;
    const ratio = m.trainMse / m.pca.trainMse;
    // Angles count only where the PCA subspace is unique (a clear gap λ_k > λ_{k+1}).
    const unique = m.pca.eigengap === null || m.pca.eigengap > MIN_EIGENGAP;
    if ((unique && angle > TARGETS.pcaAngleDeg) || ratio > TARGETS.pcaRatio)
      out.push({
        code: 'linear-not-pca',
        message: `The linear autoencoder has not reached PCA: its subspace is ${fmt(angle)}° from PCA's and its error ${fmt(ratio, 4)}× PCA's (at the optimum both are 0° and 1×).`,
        fix: longer(4),
      });
  }
  // Tangent planes along the manifold are what the non-linear families promise (a linear model's
  // plane is PCA's; binary and PSD codes have no smooth decoder to differentiate).
  const tangent = TANGENT_FAMILIES.has(c.family) ? m.truth?.tangentAngleDeg?.median : undefined;
  if (tangent !== undefined && tangent > TARGETS.tangentAngleDeg)
    out.push({
      code: 'tangents-off',
      message: `The tangent planes are ${fmt(tangent)}° from the true ones (median; a model that has learned the manifold is under ${TARGETS.tangentAngleDeg}°).`,
      fix: retry(),
    });
  const cosine = m.truth?.scoreCosine?.mean;
  if (cosine !== undefined && cosine < TARGETS.scoreCosine)
    out.push({
      code: 'score-off',
      message: `r(x) − x is not yet along the true score: mean cosine ${fmt(cosine)} (a denoising autoencoder that has learned it: ≥ ${TARGETS.scoreCosine}).`,
      fix: retry(),
    });
  if (m.sparsity && m.sparsity.fractionNearZero < TARGETS.sparseZeros)
    out.push({
      code: 'not-sparse',
      message: `The codes are not sparse: ${fmt(100 * m.sparsity.fractionNearZero)} % of them are zero (|h| < ${m.sparsity.epsilon}).`,
      fix: { label: `Raise λ to ${fmt(c.lambda * 3)}`, set: { 'config.lambda': fmt(c.lambda * 3) } },
    });
  if (m.hashing) {
    const h = m.hashing;
    if (h.constantBits > 0)
      out.push({
        code: 'dead-bits',
        message: `${h.constantBits} of the ${h.bits} hash bits are the same for every row: they carry nothing.`,
        fix: longer(2),
      });
    else if (h.meanBitEntropy < TARGETS.bitEntropy)
      out.push({
        code: 'unbalanced-bits',
        message: `The hash bits are unbalanced: mean entropy ${fmt(h.meanBitEntropy)} bits (1 = each bit halves the data).`,
        fix: longer(2),
      });
  }
  if (m.vae && m.vae.activeUnits < m.latent)
    out.push({
      code: 'posterior-collapse',
      message: `${m.latent - m.vae.activeUnits} of the ${m.latent} code units collapsed onto the prior (KL < 0.01 nats): the decoder ignores them.`,
      fix: {
        label: `Lower β to ${fmt(c.lambda / 2)} and warm the KL up longer`,
        set: {
          'config.lambda': fmt(c.lambda / 2),
          'config.klWarmup': fmt(Math.min(1, c.klWarmup * 2 || 0.4)),
        },
      },
    });
  else if (!m.vae && !m.hashing) {
    const k = m.latent;
    const dead = constantUnits(r.codes, k);
    if (dead > 0)
      out.push({
        code: 'codes-collapsed',
        message: `${dead} of the ${k} code units are constant over the data: the code does not use them.`,
        ...(c.lambda > 0
          ? {
              fix: {
                label: `Lower λ to ${fmt(c.lambda / 10)}`,
                set: { 'config.lambda': fmt(c.lambda / 10) },
              },
            }
          : {
              fix: {
                label: `Lower the learning rate to ${fmt(t.lr / 3)}`,
                set: { 'train.lr': fmt(t.lr / 3) },
              },
            }),
      });
  }
  if (m.psd && m.psd.predictionGap > TARGETS.psdGap)
    out.push({
      code: 'psd-gap',
      message: `The fast predictor f(x) is far from the sparse codes h*: ‖f − h*‖²/‖h*‖² = ${fmt(m.psd.predictionGap)}.`,
      fix: longer(2),
    });
  // The figures that show the family's result. Where they exist and are all met, the picture is the
  // chapter's, and neither a validation loss that rose nor a loss still creeping down is a shortfall:
  // the contractive swiss roll of the panel's defaults (seed 0) ended at 3.5° with its validation
  // loss 90 % above its best epoch — and early stopping, the overfitting fix, is what folded the
  // swiss roll to 13.6°.
  const figures = [
    m.truth?.tangentAngleDeg,
    m.truth?.scoreCosine,
    m.principalAnglesDeg,
    m.sparsity,
    m.hashing,
    m.vae,
    m.psd,
  ];
  const judged = figures.some((f) => f !== undefined);
  const short = out.length > 0;
  const over = overfitting(r.history);
  if (over && t.patience === 0 && (!judged || short))
    out.push({
      code: 'overfitting',
      message: `The validation loss rose ${fmt(100 * over.rise, 2)} % above its best (epoch ${over.bestEpoch}) while the training loss kept falling: the model is fitting the training rows' noise.`,
      fix: {
        label: `Stop early (patience ${Math.max(10, Math.round(t.epochs / 10))}) and keep the best epoch`,
        set: { 'train.patience': String(Math.max(10, Math.round(t.epochs / 10))) },
      },
    });
  // Last: a loss still falling says the figures may still move — said when there is no figure that
  // shows the family's result, or one that falls short, unless a diagnosis already says to train
  // longer, or says the model overfits (training longer is then the wrong advice).
  if (
    falling > 0.1 &&
    (!judged || short) &&
    !out.some((d) => d.fix?.set['train.epochs'] || d.code === 'overfitting')
  )
    out.push({
      code: 'still-improving',
      message: `The loss was still falling at the last epoch (${fmt(100 * falling, 2)} % over the last fifth of the run): it has not converged.`,
      fix: longer(2),
    });
  return out;
}

/** "--epochs 400 --patience 0": a fix as command-line flags. */
export function fixAsFlags(fix: NonNullable<Diagnosis['fix']>, flagOf: (path: string) => string): string {
  return Object.entries(fix.set)
    .map(([p, v]) => `${flagOf(p)} ${v}`)
    .join(' ');
}
