/**
 * Synthetic data for the gallery's charts: loss curves of a greedy three-stage run, Laplace codes
 * for the histogram, digit-like images for the image grid. Seeded (the engine's generator), so
 * screenshots compare run to run.
 */
import { createRng } from '../../../electron/engine/random';

export interface LossHistory {
  series: { name: string; split: 'train' | 'validation'; x: Float64Array; y: Float64Array }[];
  stages: { epoch: number; label: string }[];
}

/** Loss curves for `epochs` epochs of a greedy, three-stage training run. */
export function lossHistory(epochs: number, seed = 3): LossHistory {
  const g = createRng(seed);
  const x = Float64Array.from({ length: epochs }, (_, i) => i + 1);
  const stage = (e: number): number => (e <= 20 ? 0 : e <= 40 ? 1 : 2);
  const rec = x.map((e) => {
    const local = e - 20 * stage(e);
    return (0.25 + 0.6 * Math.exp(-local / 6)) * 0.7 ** stage(e) + 0.01 * g.normal();
  });
  const pen = x.map((e) => 0.08 * Math.exp(-e / 25) + 0.015 + 0.003 * g.normal());
  const val = rec.map((v, i) => v * 1.08 + 0.01 + 0.008 * g.normal() + 0.0005 * i);
  return {
    series: [
      { name: 'reconstruction', split: 'train', x, y: rec },
      { name: 'penalty', split: 'train', x, y: pen },
      { name: 'reconstruction', split: 'validation', x, y: val },
    ],
    stages: [
      { epoch: 1, label: 'layer 1' },
      { epoch: 21, label: 'layer 2' },
      { epoch: 41, label: 'fine-tune' },
    ].filter((s) => s.epoch <= epochs),
  };
}

/** n draws from Laplace(0, 1/λ) by the inverse CDF. */
export function laplaceSamples(n: number, lambda: number, seed = 17): Float32Array {
  const u = createRng(seed);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const v = u.next() - 0.5;
    out[i] = (-Math.sign(v) * Math.log(1 - 2 * Math.abs(v))) / lambda;
  }
  return out;
}

/**
 * Digit-like images: each a few Gaussian blobs along a random stroke, [count, h · w · c] in [0, 1].
 * c = 3 gives each stroke a colour.
 */
export function blobImages(count: number, h: number, w: number, c: 1 | 3, seed = 23): Float32Array {
  const u = createRng(seed);
  const out = new Float32Array(count * h * w * c);
  for (let i = 0; i < count; i++) {
    const strokes = 1 + Math.floor(u.next() * 2);
    const colour = [0.4 + 0.6 * u.next(), 0.4 + 0.6 * u.next(), 0.4 + 0.6 * u.next()];
    for (let s = 0; s < strokes; s++) {
      let x = w * (0.3 + 0.4 * u.next());
      let y = h * (0.2 + 0.2 * u.next());
      let angle = Math.PI / 2 + (u.next() - 0.5) * 1.5;
      const turn = (u.next() - 0.5) * 0.5;
      for (let step = 0; step < 9; step++) {
        const r = Math.max(1, w / 14);
        for (let py = Math.max(0, Math.floor(y - 3 * r)); py < Math.min(h, y + 3 * r); py++)
          for (let px = Math.max(0, Math.floor(x - 3 * r)); px < Math.min(w, x + 3 * r); px++) {
            const v = Math.exp(-((px - x) ** 2 + (py - y) ** 2) / (2 * r * r));
            for (let ch = 0; ch < c; ch++) {
              const o = ((i * h + py) * w + px) * c + ch;
              out[o] = Math.min(1, out[o]! + v * (c === 3 ? colour[ch]! : 1));
            }
          }
        x += Math.cos(angle) * h * 0.075;
        y += Math.sin(angle) * h * 0.075;
        angle += turn;
      }
    }
  }
  return out;
}
