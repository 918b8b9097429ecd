/**
 * run.json's metrics: reconstruction error on the training and validation rows (normalised units,
 * mean over elements), throughput, capacity, the PCA baseline at the same k, and the family's own
 * figures (docs/theory.md): principal angles to PCA (linear), sparsity and the Laplace reading (sparse),
 * ‖J_f‖² (contractive), the ELBO by parts (vae), f(x) vs h* and ISTA steps saved (psd), bit usage
 * (hashing).
 */
import { tf } from '../tf';
import type { Split } from '../data/split';
import { takeRows } from '../data/split';
import type { AnyAutoencoder } from '../models/create';
import { basisVectors, meanSquaredError, pcaReconstruct, principalAngles } from '../analysis/pca';
import { jacobianFrobeniusSq } from '../analysis/jacobian';
import { mapRows } from '../inference';
import { fitPcaBaseline } from './baseline';
import { hashingFigures, type HashingFigures } from './hashing';
import { psdFigures, type PsdFigures } from './psd';
import { laplaceReading, sparsityFigures, type LaplaceReading, type SparsityFigures } from './sparse';
import { vaeFigures, type VaeFigures } from './vae';
import type { TruthFigures } from './truth';

export interface RunMetrics {
  /** Mean squared error per element on the training rows, normalised units. */
  trainMse: number;
  valMse: number | null;
  samplesPerSecond: number;
  paramCount: number;
  inputDims: number;
  latent: number;
  /** PCA with the same number of components, fitted on the training rows (null when d is too wide). */
  pca: {
    components: number;
    trainMse: number;
    valMse: number | null;
    explainedVariance: number;
    /** λ_k / λ_{k+1}: near 1 the k-dimensional PCA subspace is not unique (an isotropic sphere,
     *  say), and angles to it mean nothing; null when k = d. */
    eigengap: number | null;
  } | null;
  /** Linear family: angles (degrees) between the decoder's column space and PCA's subspace. */
  principalAnglesDeg?: number[];
  sparsity?: SparsityFigures;
  laplace?: LaplaceReading;
  /** Contractive family: mean ‖J_f(x)‖²_F over (up to 1000) training rows, exact. */
  contraction?: { meanJacobianFrobeniusSq: number; method: string };
  vae?: VaeFigures;
  psd?: PsdFigures;
  hashing?: HashingFigures;
  /** Built-in samples: the tangent planes and the score against the ground truth (metrics/truth.ts). */
  truth?: TruthFigures;
}

export interface MetricsInput {
  model: AnyAutoencoder;
  /** Every row, normalised, input order. */
  x: Float32Array;
  rows: number;
  dims: number;
  split: Split;
  trainX: Float32Array;
  /** Every row's reconstruction, normalised. */
  reconstructions: Float32Array;
  samplesPerSecond: number;
}

function mseOver(a: Float32Array, b: Float32Array, dims: number, idx: Uint32Array): number | null {
  if (!idx.length) return null;
  return meanSquaredError(takeRows(a, dims, idx), takeRows(b, dims, idx));
}

/** The decoder's first layer as k vectors in R^d (its column space is the learned subspace). */
async function decoderDirections(model: AnyAutoencoder): Promise<Float32Array[] | undefined> {
  if (model.kind !== 'dense' || model.decoderLayers.length !== 1) return undefined;
  const layer = model.decoderLayers[0]!;
  const w = (await layer.w.data()) as Float32Array;
  const [r, c] = layer.w.shape as [number, number];
  const k = model.latent;
  // Untied: w is [k, d] (rows are the directions). Tied: w is the encoder's [d, k], read transposed.
  if (!layer.transposeW) return Array.from({ length: k }, (_, j) => w.slice(j * c, (j + 1) * c));
  return Array.from({ length: k }, (_, j) => Float32Array.from({ length: r }, (_, i) => w[i * c + j]!));
}

export async function computeMetrics(m: MetricsInput): Promise<RunMetrics> {
  const { model, x, dims, split, trainX } = m;
  const nTrain = split.train.length;
  const k = model.latent;
  const out: RunMetrics = {
    trainMse: mseOver(x, m.reconstructions, dims, split.train)!,
    valMse: mseOver(x, m.reconstructions, dims, split.validation),
    samplesPerSecond: m.samplesPerSecond,
    paramCount: model.paramCount,
    inputDims: dims,
    latent: k,
    pca: null,
  };
  const pca = await fitPcaBaseline(trainX, nTrain, dims, k);
  if (pca) {
    const valX = takeRows(x, dims, split.validation);
    const total = pca.variances.reduce((a, b) => a + b, 0);
    out.pca = {
      components: pca.components,
      trainMse: meanSquaredError(trainX, pcaReconstruct(pca, trainX, nTrain)),
      valMse: split.validation.length
        ? meanSquaredError(valX, pcaReconstruct(pca, valX, split.validation.length))
        : null,
      explainedVariance:
        total > 0 ? pca.variances.slice(0, pca.components).reduce((a, b) => a + b, 0) / total : 1,
      eigengap:
        pca.components < dims && pca.variances[pca.components]! > 0
          ? pca.variances[pca.components - 1]! / pca.variances[pca.components]!
          : null,
    };
    if (model.config.family === 'linear') {
      const dirs = await decoderDirections(model);
      if (dirs) out.principalAnglesDeg = principalAngles(dirs, basisVectors(pca));
    }
  }
  // Family figures on (a bounded sample of) the training rows.
  const sample = (max: number) => {
    const n = Math.min(nTrain, max);
    return { n, data: trainX.subarray(0, n * dims) };
  };
  const family = model.config.family;
  if (family === 'sparse') {
    const codes = takeRows((await mapRows(x, m.rows, dims, (t) => model.encode(t))).values, k, split.train);
    out.sparsity = sparsityFigures(codes, nTrain, k);
    out.laplace = laplaceReading(codes, nTrain, k, model.config.lambda);
  }
  if (family === 'hashing') {
    const s = sample(20000);
    const p = await mapRows(s.data, s.n, dims, (t) => model.encode(t));
    out.hashing = hashingFigures(p.values, s.n, k);
  }
  if (family === 'contractive') {
    const s = sample(1000);
    const mean = tf.tidy(() =>
      tf.mean(jacobianFrobeniusSq((t) => model.encode(t), tf.tensor2d(s.data, [s.n, dims]), k)),
    );
    const v = (await mean.data())[0]!;
    mean.dispose();
    out.contraction = { meanJacobianFrobeniusSq: v, method: model.config.contractive.method };
  }
  if (model.kind === 'vae') {
    const s = sample(5000);
    const t = tf.tensor2d(s.data, [s.n, dims]);
    out.vae = await vaeFigures(model, t);
    t.dispose();
  }
  if (model.kind === 'psd') {
    const s = sample(512);
    const t = tf.tensor2d(s.data, [s.n, dims]);
    out.psd = await psdFigures(model, t);
    t.dispose();
  }
  return out;
}
