import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadDataset } from '../../../electron/data/load';
import { encodeNpy, parseNpy, writeNpy } from '../../../electron/data/npy';
import { halfToFloat } from '../../../electron/data/decode';
import { isUserError } from '../../../electron/shared/errors';
import { ROOT } from '../../helpers/cli';

const DIR = join(ROOT, 'tests/fixtures/data/npy');
const k = Array.from({ length: 12 }, (_, i) => i);
const expected: Record<string, number[]> = {
  f: k.map((v) => 0.5 * v - 2),
  i: k.map((v) => v - 5),
  u: k,
  b: k.map((v) => v % 2),
};

describe('.npy reader (files written by NumPy)', () => {
  const typed = readdirSync(DIR).filter((f) => /^[fiub]\d-(le|be)-[cf]\.npy$/.test(f));

  test('covers every dtype in both orders', () => {
    expect(typed.length).toBe(2 * (9 * 2 + 3));
  });

  test.each(typed)('%s: 3 × 4 in row-major order', async (f) => {
    const ds = await loadDataset(join(DIR, f));
    expect([ds.rows, ds.dims]).toEqual([3, 4]);
    expect(Array.from(ds.data)).toEqual(expected[f[0]!]);
    expect(ds.image).toBeUndefined();
    expect(ds.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  test('a 1-D array is one column', async () => {
    const ds = await loadDataset(join(DIR, 'vector-f4.npy'));
    expect([ds.rows, ds.dims]).toEqual([5, 1]);
    expect(Array.from(ds.data)).toEqual([0, 1, 2, 3, 4]);
  });

  test('image stacks are flattened and keep their shape (HWC)', async () => {
    const nhw = await loadDataset(join(DIR, 'stack-u1-nhw.npy'));
    expect([nhw.rows, nhw.dims]).toEqual([2, 12]);
    expect(nhw.image).toEqual({ height: 3, width: 4, channels: 1 });
    expect(Array.from(nhw.data)).toEqual(Array.from({ length: 24 }, (_, i) => i));
    const nhwc = await loadDataset(join(DIR, 'stack-f4-nhwc.npy'));
    expect(nhwc.image).toEqual({ height: 2, width: 3, channels: 3 });
    expect(Array.from(nhwc.data)).toEqual(Array.from({ length: 36 }, (_, i) => i));
    const fortran = await loadDataset(join(DIR, 'stack-f4-nhw-fortran.npy'));
    expect(Array.from(fortran.data)).toEqual(Array.from({ length: 24 }, (_, i) => i));
  });

  test('(n, c, h, w) stacks are transposed to (n, h, w, c)', async () => {
    const ds = await loadDataset(join(DIR, 'stack-f4-nchw.npy'));
    expect(ds.image).toEqual({ height: 2, width: 4, channels: 3 });
    // Input value at (n, c, h, w) is ((n·3 + c)·2 + h)·4 + w; output index ((n·2 + h)·4 + w)·3 + c.
    for (let n = 0; n < 2; n++)
      for (let c = 0; c < 3; c++)
        for (let h = 0; h < 2; h++)
          for (let w = 0; w < 4; w++)
            expect(ds.data[((n * 2 + h) * 4 + w) * 3 + c]).toBe(((n * 3 + c) * 2 + h) * 4 + w);
  });

  test.each([
    ['bad-object.npy', /object array/],
    ['bad-unicode.npy', /strings/],
    ['bad-complex.npy', /complex/],
    ['bad-structured.npy', /structured/],
  ])('%s is refused as an unsupported dtype', async (f, why) => {
    const err = await loadDataset(join(DIR, f)).catch((e: unknown) => e);
    expect(isUserError(err)).toBe(true);
    expect((err as Error).message).toContain(f);
    expect((err as Error).message).toMatch(why);
    expect((err as { code: string }).code).toBe('data.unsupported-dtype');
  });

  test('NaN is a missing value (refused, dropped or imputed); Infinity and float32 overflow are refused', async () => {
    const nan = join(DIR, 'nan.npy');
    await expect(loadDataset(nan)).rejects.toThrow(
      /nan\.npy, row 2, column 1, byte 136, index \[1, 0\]: missing value \(NaN\)/,
    );
    const dropped = await loadDataset(nan, { missing: 'drop' });
    expect(Array.from(dropped.data)).toEqual([1, 2, 5, 6]);
    const imputed = await loadDataset(nan, { missing: 'mean' });
    expect(Array.from(imputed.data)).toEqual([1, 2, 3, 4, 5, 6]);
    await expect(loadDataset(join(DIR, 'inf.npy'))).rejects.toThrow(
      /row 3, column 2, byte 168, index \[2, 1\]: expected a finite number, got -Infinity/,
    );
    await expect(loadDataset(join(DIR, 'too-big-for-f32.npy'))).rejects.toThrow(
      /index \[1, 1\]: the value 1e\+300 does not fit in float32/,
    );
  });

  test('float16 decoding: subnormals, infinities, NaN', () => {
    expect(halfToFloat(0x3c00)).toBe(1);
    expect(halfToFloat(0xc000)).toBe(-2);
    expect(halfToFloat(0x0001)).toBe(2 ** -24);
    expect(halfToFloat(0x7bff)).toBe(65504);
    expect(halfToFloat(0x7c00)).toBe(Infinity);
    expect(halfToFloat(0xfc00)).toBe(-Infinity);
    expect(halfToFloat(0x7e00)).toBeNaN();
  });
});

describe('.npy writer', () => {
  test.each([
    ['numpy-written-f4.npy', Float32Array.from([0, 0.25, 0.5, 0.75, 1, 1.25]), [3, 2]],
    ['numpy-written-i4.npy', Int32Array.from([-3, -2, -1, 0, 1, 2]), [6]],
    ['numpy-written-u1.npy', Uint8Array.from({ length: 24 }, (_, i) => i), [2, 3, 4]],
  ] as const)('writes exactly the bytes NumPy writes (%s)', (f, data, shape) => {
    expect(Buffer.from(encodeNpy(data, [...shape]))).toEqual(readFileSync(join(DIR, f)));
  });

  test('round trip through the reader; data starts on a 64-byte boundary', async () => {
    const data = Float32Array.from({ length: 35 }, (_, i) => Math.sin(i) * 1e3);
    const bytes = encodeNpy(data, [5, 7]);
    expect((bytes.length - data.byteLength) % 64).toBe(0);
    const back = await parseNpy(bytes);
    expect(back.shape).toEqual([5, 7]);
    expect(back.dtype).toBe('float32');
    expect(Array.from(back.data)).toEqual(Array.from(data));
  });

  test('a header longer than 65535 bytes switches to format 2.0', async () => {
    const shape = Array.from({ length: 25000 }, () => 1);
    const bytes = encodeNpy(Float32Array.of(7), shape);
    expect(bytes[6]).toBe(2);
    expect((await parseNpy(bytes)).data[0]).toBe(7);
  });

  test('refuses a shape that does not match the data', () => {
    expect(() => encodeNpy(new Float32Array(5), [2, 3])).toThrow(RangeError);
  });

  test('writeNpy writes atomically (no temporary file left) and loads back', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'npy-'));
    try {
      const path = join(dir, 'codes.npy');
      await writeNpy(path, Float32Array.from([1, 2, 3, 4]), [2, 2]);
      expect(readdirSync(dir)).toEqual(['codes.npy']);
      const ds = await loadDataset(path);
      expect(Array.from(ds.data)).toEqual([1, 2, 3, 4]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
