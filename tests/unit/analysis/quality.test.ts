import { continuity, knnAccuracy, trustworthiness } from '../../../electron/engine/analysis/quality';
import {
  averagePrecision,
  precisionAtK,
  rankForQuery,
  retrievalScores,
} from '../../../electron/engine/analysis/retrieval';
import { knn, topK } from '../../../electron/engine/analysis/neighbors';
import { createRng, permutation } from '../../../electron/engine/random';

// The data scikit-learn 1.2.1 scored (manifold.trustworthiness); the figures below are its output.
const n = 40;
const X = Float64Array.from({ length: n * 3 }, (_, t) => {
  const i = Math.floor(t / 3),
    c = t % 3;
  return c === 0 ? Math.sin(i * 0.7) * 3 + i * 0.1 : c === 1 ? Math.cos(i * 1.3) * 2 : (i % 7) * 0.5;
});
const Z = Float64Array.from({ length: n * 2 }, (_, t) => {
  const i = Math.floor(t / 2);
  return t % 2 === 0 ? X[i * 3]! + 0.8 * Math.sin(i * 2.1) : X[i * 3 + 1]! * 0.5 + 0.6 * Math.cos(i * 0.9);
});
const SKLEARN = {
  T1: 0.8776315789473684,
  C1: 0.881578947368421,
  T3: 0.8916666666666666,
  C3: 0.9021428571428571,
  T5: 0.896875,
  C5: 0.910625,
  T10: 0.9170408163265306,
  C10: 0.9258163265306123,
};

describe('trustworthiness and continuity', () => {
  const x = { data: X, rows: n, cols: 3 };
  const z = { data: Z, rows: n, cols: 2 };
  test.each([1, 3, 5, 10])('match scikit-learn at k = %i', (k) => {
    expect(trustworthiness(x, z, k)).toBeCloseTo(SKLEARN[`T${k}` as keyof typeof SKLEARN], 12);
    expect(continuity(x, z, k)).toBeCloseTo(SKLEARN[`C${k}` as keyof typeof SKLEARN], 12);
  });

  test('a perfect embedding (a rotation and scaling) scores 1; a shuffled one about 0.5', () => {
    const rng = createRng(5);
    const m = 300;
    const pts = Float64Array.from({ length: m * 3 }, () => rng.normal());
    const rotated = Float64Array.from({ length: m * 3 }, (_, t) => {
      const i = Math.floor(t / 3),
        c = t % 3;
      const [a, b, e] = [pts[i * 3]!, pts[i * 3 + 1]!, pts[i * 3 + 2]!];
      return 2 * (c === 0 ? 0.6 * a - 0.8 * b : c === 1 ? 0.8 * a + 0.6 * b : e);
    });
    const px = { data: pts, rows: m, cols: 3 };
    expect(trustworthiness(px, { data: rotated, rows: m, cols: 3 }, 10)).toBeCloseTo(1, 12);
    expect(continuity(px, { data: rotated, rows: m, cols: 3 }, 10)).toBeCloseTo(1, 12);
    const perm = permutation(m, rng);
    const shuffled = Float64Array.from(
      { length: m * 3 },
      (_, t) => pts[perm[Math.floor(t / 3)]! * 3 + (t % 3)]!,
    );
    const t = trustworthiness(px, { data: shuffled, rows: m, cols: 3 }, 10);
    expect(Math.abs(t - 0.5)).toBeLessThan(0.05);
  });

  test('refuses k outside [1, n/2)', () => {
    expect(() => trustworthiness({ data: X, rows: n, cols: 3 }, { data: Z, rows: n, cols: 2 }, 20)).toThrow(
      RangeError,
    );
  });
});

describe('neighbours', () => {
  test('topK agrees with a full sort, ties by index', () => {
    const rng = createRng(2);
    const d = Float64Array.from({ length: 500 }, () => Math.floor(rng.next() * 50));
    const full = [...d.keys()].filter((j) => j !== 7).sort((a, b) => d[a]! - d[b]! || a - b);
    expect(topK(d, 25, 7)).toEqual(full.slice(0, 25));
  });
  test('knn on a line', () => {
    const { indices, distances } = knn([0, 1, 3, 7], 4, 1, 2);
    expect(Array.from(indices)).toEqual([1, 2, 0, 2, 1, 0, 2, 1]);
    expect(Array.from(distances)).toEqual([1, 3, 1, 2, 2, 3, 4, 6]);
  });
});

describe('retrieval', () => {
  test('precision@k and average precision against a hand-computed ranking', () => {
    // ranking relevance: R N R R N  (3 relevant in all)
    const rel = [1, 0, 1, 1, 0];
    expect(precisionAtK(rel, 1)).toBe(1);
    expect(precisionAtK(rel, 3)).toBeCloseTo(2 / 3, 12);
    expect(precisionAtK(rel, 5)).toBeCloseTo(3 / 5, 12);
    // AP = (1/1 + 2/3 + 3/4) / 3
    expect(averagePrecision(rel)).toBeCloseTo((1 + 2 / 3 + 3 / 4) / 3, 12);
    expect(averagePrecision([0, 0])).toBe(0);
  });

  test('a ranking by code distance, and mAP over queries', () => {
    // Points on a line; labels split left/right.
    const z = { data: [0, 1, 2, 10, 11, 12], rows: 6, cols: 1 };
    const labels = [0, 0, 0, 1, 1, 1];
    const { order, relevant } = rankForQuery(z, labels, 0);
    expect(Array.from(order)).toEqual([1, 2, 3, 4, 5]);
    expect(Array.from(relevant!)).toEqual([1, 1, 0, 0, 0]);
    const s = retrievalScores(z, labels, [0, 3], 2);
    expect(s.precisionAtK).toBe(1);
    expect(s.meanAveragePrecision).toBe(1);
  });

  test('k-NN accuracy: separable clusters 1, labels independent of position about chance', () => {
    const rng = createRng(9);
    const m = 400;
    const pts = Float64Array.from(
      { length: m * 2 },
      (_, t) => rng.normal() + (Math.floor(t / 2) % 2 === 0 ? 0 : 20),
    );
    const labels = Int32Array.from({ length: m }, (_, i) => i % 2);
    expect(knnAccuracy({ data: pts, rows: m, cols: 2 }, labels, 5)).toBe(1);
    const random = Int32Array.from({ length: m }, () => rng.int(2));
    expect(Math.abs(knnAccuracy({ data: pts, rows: m, cols: 2 }, random, 5) - 0.5)).toBeLessThan(0.1);
  });
});
