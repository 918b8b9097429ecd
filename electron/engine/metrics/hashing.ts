/** Semantic hashing's figures: how each bit is used, and how saturated the sigmoid codes are. */
export interface HashingFigures {
  bits: number;
  /** Per bit: the fraction of rows with the bit set. */
  bitUsage: number[];
  /** Mean over bits of the binary entropy of bitUsage (1 = every bit splits the data in half). */
  meanBitEntropy: number;
  /** Bits that are the same for every row. */
  constantBits: number;
  /** Fraction of sigmoid outputs within 0.1 of 0 or 1. */
  saturation: number;
  distinctCodes: number;
}

export function hashingFigures(probabilities: Float32Array, rows: number, k: number): HashingFigures {
  const ones = new Float64Array(k);
  let saturated = 0;
  const seen = new Set<string>();
  for (let r = 0; r < rows; r++) {
    let key = '';
    for (let j = 0; j < k; j++) {
      const p = probabilities[r * k + j]!;
      const bit = p > 0.5;
      if (bit) ones[j]!++;
      if (p < 0.1 || p > 0.9) saturated++;
      key += bit ? '1' : '0';
    }
    seen.add(key);
  }
  const usage = Array.from(ones, (o) => o / Math.max(1, rows));
  const h = (p: number) => (p <= 0 || p >= 1 ? 0 : -(p * Math.log2(p) + (1 - p) * Math.log2(1 - p)));
  return {
    bits: k,
    bitUsage: usage,
    meanBitEntropy: usage.reduce((a, p) => a + h(p), 0) / Math.max(1, k),
    constantBits: usage.filter((p) => p === 0 || p === 1).length,
    saturation: saturated / Math.max(1, rows * k),
    distinctCodes: seen.size,
  };
}
