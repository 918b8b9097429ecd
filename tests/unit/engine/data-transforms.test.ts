import { createRng, permutation } from '../../../electron/engine/random';
import {
  denormalize,
  denormalizeDirections,
  fitNormalizer,
  normalize,
} from '../../../electron/engine/data/normalize';
import { splitIndices, takeRows } from '../../../electron/engine/data/split';

describe('seeded random numbers', () => {
  test('the same seed gives the same stream; different seeds differ', () => {
    const a = createRng(42),
      b = createRng(42),
      c = createRng(43);
    const sa = Array.from({ length: 5 }, () => a.next());
    expect(Array.from({ length: 5 }, () => b.next())).toEqual(sa);
    expect(Array.from({ length: 5 }, () => c.next())).not.toEqual(sa);
  });
  test('normal draws have mean 0 and variance 1', () => {
    const r = createRng(7);
    const xs = Array.from({ length: 20000 }, () => r.normal());
    const m = xs.reduce((s, x) => s + x, 0) / xs.length;
    const v = xs.reduce((s, x) => s + (x - m) ** 2, 0) / xs.length;
    expect(Math.abs(m)).toBeLessThan(0.03);
    expect(Math.abs(v - 1)).toBeLessThan(0.04);
  });
  test('a permutation contains every index once', () => {
    const p = permutation(1000, createRng(1));
    expect([...p].sort((x, y) => x - y)).toEqual([...Array(1000).keys()]);
  });
});

describe('normalisation', () => {
  const data = Float32Array.from([1, 10, 5, 2, 20, 5, 3, 30, 5, 4, 40, 5]); // 4 × 3, last column constant
  test('standard: zero mean, unit variance, constant columns map to 0', () => {
    const n = fitNormalizer('standard', data, 4, 3);
    const z = normalize(n, data);
    for (let c = 0; c < 2; c++) {
      const col = [0, 1, 2, 3].map((r) => z[r * 3 + c]!);
      expect(col.reduce((s, x) => s + x, 0)).toBeCloseTo(0, 5);
      expect(col.reduce((s, x) => s + x * x, 0) / 4).toBeCloseTo(1, 5);
    }
    expect([0, 1, 2, 3].map((r) => z[r * 3 + 2])).toEqual([0, 0, 0, 0]);
  });
  test('minmax maps into [0, 1] and back exactly', () => {
    const n = fitNormalizer('minmax', data, 4, 3);
    const z = normalize(n, data);
    expect(Math.min(...z)).toBe(0);
    expect(Math.max(...z)).toBe(1);
    const back = denormalize(n, z);
    back.forEach((v, i) => expect(v).toBeCloseTo(data[i]!, 5));
  });
  test('directions scale but do not shift', () => {
    const n = fitNormalizer('minmax', data, 4, 3);
    expect(Array.from(denormalizeDirections(n, Float32Array.from([1, 1, 1])))).toEqual([3, 30, 1]);
  });
});

describe('train/validation split', () => {
  test('deterministic by seed, disjoint, covering, sorted', () => {
    const a = splitIndices(100, 0.2, 3);
    expect(splitIndices(100, 0.2, 3)).toEqual(a);
    expect(splitIndices(100, 0.2, 4).validation).not.toEqual(a.validation);
    expect(a.validation.length).toBe(20);
    expect(new Set([...a.train, ...a.validation]).size).toBe(100);
    expect([...a.train]).toEqual([...a.train].sort((x, y) => x - y));
  });
  test('takeRows gathers rows', () => {
    const d = Float32Array.from([0, 1, 2, 3, 4, 5]);
    expect(Array.from(takeRows(d, 2, [2, 0]))).toEqual([4, 5, 0, 1]);
  });
  test('refuses a fraction outside [0, 1)', () => {
    expect(() => splitIndices(10, 1, 0)).toThrow(RangeError);
  });
});
