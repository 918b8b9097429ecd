import {
  bitEntropy,
  hammingBall,
  hammingFrom,
  hammingRank,
  packBits,
  randomHyperplanes,
  rowWords,
  signCodes,
} from '../../../electron/engine/analysis/hashing';
import { createRng } from '../../../electron/engine/random';

describe('semantic hashing primitives', () => {
  test('Hamming distances on packed codes equal the count of differing bits, across word boundaries', () => {
    const rng = createRng(3);
    const rows = 50,
      bits = 70;
    const codes = Uint8Array.from({ length: rows * bits }, () => (rng.next() < 0.5 ? 1 : 0));
    const p = packBits(codes, rows, bits);
    expect(p.stride).toBe(3);
    const d = hammingFrom(p, rowWords(p, 4));
    for (let i = 0; i < rows; i++) {
      let naive = 0;
      for (let b = 0; b < bits; b++) naive += codes[i * bits + b] !== codes[4 * bits + b] ? 1 : 0;
      expect(d[i]).toBe(naive);
    }
  });

  test('ranking is by distance then index, and the ball holds exactly the rows within r', () => {
    const codes = [0, 0, 0, 0, 1, 1, 1, 0, 0, 1, 0, 0, 0, 0, 1]; // 5 rows × 3 bits: 000, 011, 100, 100, 001
    const p = packBits(codes, 5, 3);
    const { order, distances } = hammingRank(p, rowWords(p, 0), 0);
    expect(Array.from(order)).toEqual([2, 3, 4, 1]);
    expect(Array.from(distances)).toEqual([1, 1, 1, 2]);
    expect(Array.from(hammingBall(p, rowWords(p, 0), 1, 0))).toEqual([2, 3, 4]);
    expect(Array.from(hammingBall(p, rowWords(p, 0), 0, 0))).toEqual([]);
  });

  test('bit entropy: 1 for a balanced bit, 0 for a constant one', () => {
    const codes = [0, 1, 1, 1, 0, 1, 1, 1]; // bit 0 alternates, bit 1 constant
    const h = bitEntropy(codes, 4, 2);
    expect(h[0]).toBeCloseTo(1, 12);
    expect(h[1]).toBe(0);
  });

  test('sign codes threshold the centred projection; random hyperplanes are seeded', () => {
    expect(Array.from(signCodes([1, 2, 3, 4], 2, 2, [2, 3], [1, 0, 0, -1], 2))).toEqual([0, 1, 1, 0]);
    expect(randomHyperplanes(4, 3, 1)).toEqual(randomHyperplanes(4, 3, 1));
    expect(randomHyperplanes(4, 3, 1)).not.toEqual(randomHyperplanes(4, 3, 2));
  });
});
