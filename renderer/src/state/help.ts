/**
 * What the controls that are not training options mean, for tooltips and the help overlay (the
 * options' own help is their metadata in the options table, electron/shared/options/table.ts; the
 * families' formulas are in electron/shared/families.ts).
 */
export { FAMILY_FORMULA } from '../../../electron/shared/families';

export const HELP = {
  sample: 'A built-in dataset generated with a seed; the manifolds carry their true tangents',
  sampleRows: 'How many points to generate (10 to 1,000,000)',
  sampleNoise: 'Standard deviation of the Gaussian noise added to each point (blank: the sample’s default)',
  sampleSeed: 'Seed of the generator: the same seed gives the same points',
  openFile:
    'Open a CSV/TSV, NumPy .npy, IDX (MNIST, Fashion-MNIST; pick the images and labels files together), or JSON file. You can also drop files onto the window',
} as const;
