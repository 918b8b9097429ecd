/**
 * The built-in samples (`sample:NAME`): what each one is, its shape and which ground truth it
 * carries. Generators live beside this file; this table is what `manifold-explorer datasets` and
 * the data panel list.
 */
export interface SampleInfo {
  name: string;
  title: string;
  description: string;
  /** Ambient dimension d. */
  dims: number;
  /** Intrinsic dimension of the manifold (0 when the sample is a density rather than a manifold). */
  intrinsicDims: number;
  defaultRows: number;
  /**
   * Default standard deviation of the isotropic Gaussian noise added to each point (`noise=`). For
   * the Gaussian mixture it is the standard deviation of each component.
   */
  defaultNoise: number;
  /** Which ground truth the generator returns. */
  truth: { coordinates: boolean; tangents: boolean; score: boolean };
  /** True for real data shipped with the app (not generated). */
  real?: boolean;
}

export const SAMPLES: readonly SampleInfo[] = [
  {
    name: 'swiss-roll',
    title: 'Swiss roll',
    description: 'A rolled-up 2-D sheet in 3-D: x = t cos t, y = height, z = t sin t.',
    dims: 3,
    intrinsicDims: 2,
    defaultRows: 2000,
    defaultNoise: 0.2,
    truth: { coordinates: true, tangents: true, score: false },
  },
  {
    name: 's-curve',
    title: 'S-curve',
    description: 'A 2-D sheet bent into an S in 3-D.',
    dims: 3,
    intrinsicDims: 2,
    defaultRows: 2000,
    defaultNoise: 0.05,
    truth: { coordinates: true, tangents: true, score: false },
  },
  {
    name: 'sphere',
    title: 'Sphere',
    description:
      'Points uniform on the unit sphere S² in 3-D; with noise > 0 its density, and so its score, is known in closed form.',
    dims: 3,
    intrinsicDims: 2,
    defaultRows: 2000,
    defaultNoise: 0.05,
    truth: { coordinates: true, tangents: true, score: true },
  },
  {
    name: 'torus',
    title: 'Torus',
    description: 'A ring torus (R = 2, r = 0.7) in 3-D.',
    dims: 3,
    intrinsicDims: 2,
    defaultRows: 2000,
    defaultNoise: 0.05,
    truth: { coordinates: true, tangents: true, score: false },
  },
  {
    name: 'helix',
    title: 'Helix',
    description: 'A 1-D helix winding around the z axis in 3-D.',
    dims: 3,
    intrinsicDims: 1,
    defaultRows: 1000,
    defaultNoise: 0.05,
    truth: { coordinates: true, tangents: true, score: false },
  },
  {
    name: 'spiral',
    title: '2-D spiral',
    description: 'An Archimedean spiral: a 1-D curve in the plane.',
    dims: 2,
    intrinsicDims: 1,
    defaultRows: 1000,
    defaultNoise: 0.05,
    truth: { coordinates: true, tangents: true, score: false },
  },
  {
    name: 'gaussian-mixture',
    title: 'Gaussian mixture',
    description:
      'A mixture of isotropic Gaussians in 2-D (components=K on a circle of radius 2, noise = their standard deviation) with a known density and score ∇ log p.',
    dims: 2,
    intrinsicDims: 0,
    defaultRows: 2000,
    defaultNoise: 0.3,
    truth: { coordinates: false, tangents: false, score: true },
  },
  {
    name: 'digits',
    title: 'MNIST digits (subset)',
    description:
      'Handwritten digits, 28×28 greyscale in [0, 1], 500 of each digit from MNIST, shipped with the app, with labels 0–9.',
    dims: 784,
    intrinsicDims: 0,
    defaultRows: 5000,
    defaultNoise: 0,
    truth: { coordinates: false, tangents: false, score: false },
    real: true,
  },
  {
    name: 'digits-8x8',
    title: '8×8 digits (0–16)',
    description:
      'The same digits the way UCI’s optdigits were made: each image thresholded on a 32×32 grid and counted per 4×4 block, 64 integer pixels from 0 to 16, with labels 0–9. Raw-scale data: train it with --normalize none.',
    dims: 64,
    intrinsicDims: 0,
    defaultRows: 5000,
    defaultNoise: 0,
    truth: { coordinates: false, tangents: false, score: false },
    real: true,
  },
];

export function findSample(name: string): SampleInfo | undefined {
  return SAMPLES.find((s) => s.name === name);
}
