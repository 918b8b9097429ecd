import { decodeFrame, encodeFrame, WireError } from '../../../electron/shared/wire';
import { FloatTensorSchema, matrixSchema } from '../../../electron/shared/arrays';
import { createRng } from '../../../electron/engine/random';

describe('wire frames', () => {
  test('round-trip JSON with typed arrays of every kind, bit for bit', () => {
    const value = {
      id: 'run-1',
      codes: { data: Float32Array.from([1.5, -2, Math.PI, 1e-30]), shape: [2, 2] },
      labels: Int32Array.from([3, -1, 7]),
      bytes: Uint8Array.from([0, 255, 7]),
      nested: [{ a: Float64Array.from([Math.E]) }, null, 'text', 42],
      empty: new Float32Array(0),
    };
    const back = decodeFrame(encodeFrame(value)) as typeof value;
    expect(back).toEqual(value);
    expect(back.codes.data).toBeInstanceOf(Float32Array);
    expect(back.nested[0]).toEqual({ a: Float64Array.from([Math.E]) });
  });

  test('arrays that are views into a larger buffer carry only their own bytes', () => {
    const big = Float32Array.from([0, 1, 2, 3, 4, 5]);
    const back = decodeFrame(encodeFrame({ v: big.subarray(2, 5) })) as { v: Float32Array };
    expect(Array.from(back.v)).toEqual([2, 3, 4]);
  });

  test('decodes a frame that starts at an unaligned offset', () => {
    const frame = encodeFrame({ v: Float32Array.from([1, 2]) });
    const shifted = new Uint8Array(frame.length + 3);
    shifted.set(frame, 3);
    expect(decodeFrame(shifted.subarray(3))).toEqual({ v: Float32Array.from([1, 2]) });
  });

  test('malformed frames throw WireError, never anything else (fuzz)', () => {
    const rng = createRng(11);
    const good = encodeFrame({ a: Float32Array.from([1, 2, 3]), b: 'x' });
    let errors = 0;
    for (let i = 0; i < 2000; i++) {
      const f = good.slice(0, 1 + rng.int(good.length));
      for (let k = 0; k < 3; k++) f[rng.int(f.length)] = rng.int(256);
      try {
        decodeFrame(f);
      } catch (e) {
        expect(e).toBeInstanceOf(WireError);
        errors++;
      }
    }
    expect(errors).toBeGreaterThan(100);
    expect(() => decodeFrame(new Uint8Array([255, 255, 255, 255]))).toThrow(WireError);
  });
});

describe('tensor schemas', () => {
  test('accept a well-formed tensor', () => {
    expect(FloatTensorSchema.safeParse({ data: new Float32Array(6), shape: [2, 3] }).success).toBe(true);
  });
  test('refuse wrong length, NaN, wrong type and wrong width', () => {
    expect(
      FloatTensorSchema.safeParse({ data: new Float32Array(5), shape: [2, 3] }).error?.issues[0]?.message,
    ).toMatch(/does not match shape/);
    expect(
      FloatTensorSchema.safeParse({ data: Float32Array.from([1, NaN]), shape: [2] }).error?.issues[0]
        ?.message,
    ).toMatch(/NaN/);
    expect(FloatTensorSchema.safeParse({ data: [1, 2], shape: [2] }).success).toBe(false);
    expect(matrixSchema(3).safeParse({ data: new Float32Array(4), shape: [2, 2] }).success).toBe(false);
  });
});
