/**
 * Recipes: the settings that show each of the chapter's effects best on a built-in sample, each
 * with one sentence of why. The model panel offers them in a menu and `train --recipe NAME` takes
 * them; the values are option paths of the options table (options/table.ts) as a user would type
 * them, so a recipe is checked by the same parser and schemas as any input (tests/unit/shared).
 * The defaults already give each family's textbook result (docs/fidelity.md); a recipe goes further.
 */
import type { Family } from './families';

export interface Recipe {
  id: string;
  title: string;
  family: Family;
  /** The built-in sample it is made for. */
  sample: { name: string; rows?: number; noise?: number };
  /** Option path → value, as typed in a panel field or after the flag. */
  set: Readonly<Record<string, string>>;
  why: string;
}

export const RECIPES: readonly Recipe[] = [
  {
    id: 'swiss-roll-tangents',
    title: 'Tangent planes of the swiss roll (contractive)',
    family: 'contractive',
    sample: { name: 'swiss-roll', rows: 2000 },
    set: {
      'config.hidden': '64, 64, 64',
      'config.activation': 'tanh',
      'train.batchSize': '32',
      'train.epochs': '600',
      'train.patience': '0',
    },
    why: 'Three tanh layers and about 30,000 small steps let the decoder unroll the sheet, so its tangent planes lie along the roll; the penalty keeps the code insensitive across it.',
  },
  {
    id: 'mixture-score',
    title: 'The score field of a Gaussian mixture (denoising)',
    family: 'denoising',
    sample: { name: 'gaussian-mixture', rows: 2000 },
    set: {
      'config.latent': '8',
      'config.activation': 'tanh',
      'config.noise': 'gaussian:0.3',
      'train.normalize': 'none',
      'train.patience': '0',
    },
    why: 'With σ = 0.3 in the data’s own units, r(x) − x ≈ σ² ∇ log p points at the nearest mode and grows with the distance, as in Alain & Bengio’s figures.',
  },
  {
    id: 'spiral-field',
    title: 'Arrows back to a curve (denoising on the spiral)',
    family: 'denoising',
    sample: { name: 'spiral', rows: 1000 },
    set: {
      'config.latent': '8',
      'config.activation': 'tanh',
      'config.noise': 'gaussian:0.2',
      'train.patience': '0',
    },
    why: 'A 1-D manifold in the plane: the field r(x) − x points back to the curve from either side, and trajectories x ← r(x) walk onto it.',
  },
  {
    id: 'digits-pca',
    title: 'Linear = PCA on the digits',
    family: 'linear',
    sample: { name: 'digits', rows: 2000 },
    set: { 'config.latent': '8', 'train.normalize': 'none' },
    why: 'On raw pixels the linear autoencoder’s decoder spans the top 8 principal directions: Compare shows principal angles of 0° and PCA’s error.',
  },
  {
    id: 'digits-deep',
    title: 'Deep beats PCA on the digits',
    family: 'deep',
    sample: { name: 'digits', rows: 5000 },
    set: {
      'config.latent': '8',
      'config.hidden': '256, 64',
      'config.output': 'bernoulli',
      'config.pretrain.mode': 'greedy',
    },
    why: 'A 784-256-64-8 stack, pretrained layer by layer, reconstructs the digits far better than 8-component PCA (Hinton & Salakhutdinov 2006).',
  },
  {
    id: 'digits-hashing',
    title: 'Semantic hashing of the digits (16 bits)',
    family: 'hashing',
    sample: { name: 'digits', rows: 5000 },
    // The family's defaults otherwise: with a 256-unit layer and a Bernoulli output 5 of the 16 bits
    // stayed constant (bit entropy 0.68); the defaults use every bit (0.90–0.94 in the fidelity report).
    set: { 'config.latent': '16' },
    why: 'Noise before the sigmoid code forces 16 binary bits; neighbours in Hamming space share their digit, ahead of PCA signs and random hyperplanes.',
  },
  {
    id: 'digits-vae',
    title: 'A 2-D VAE of the digits',
    family: 'vae',
    sample: { name: 'digits', rows: 5000 },
    set: { 'config.latent': '2', 'config.hidden': '256', 'config.output': 'bernoulli' },
    why: 'A Bernoulli decoder on [0, 1] pixels and a 2-D code: the posterior means spread the digits over the prior N(0, I) by class.',
  },
];

export function findRecipe(id: string): Recipe | undefined {
  return RECIPES.find((r) => r.id === id);
}

/** "sample:swiss-roll?rows=2000": the recipe's sample as --data takes it. */
export function recipeSample(r: Recipe): string {
  const q = Object.entries(r.sample)
    .filter(([k, v]) => k !== 'name' && v !== undefined)
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
  return `sample:${r.sample.name}${q ? `?${q}` : ''}`;
}
