/**
 * Fuzz: random bytes and mutated good files (truncated, bytes flipped, garbage inserted, ranges
 * zeroed or duplicated) into every loader. Each case either loads a valid dataset or throws the
 * project's typed error (a UserError) — never a RangeError, TypeError or a hang. Seeded.
 */
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { loadDataset } from '../../../electron/data/load';
import { encodeNpy } from '../../../electron/data/npy';
import { isValidDataset } from '../../../electron/data/validate';
import { isUserError } from '../../../electron/shared/errors';
import { createRng, type Rng } from '../../../electron/engine/random';
import { ROOT } from '../../helpers/cli';

const FIX = join(ROOT, 'tests/fixtures/data');
let tmp: string;
beforeAll(() => (tmp = mkdtempSync(join(tmpdir(), 'fuzz-'))));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function mutate(src: Uint8Array, rng: Rng): Uint8Array {
  const b = Uint8Array.from(src);
  switch (rng.int(6)) {
    case 0:
      return b.subarray(0, rng.int(b.length + 1));
    case 1: {
      const n = 1 + rng.int(6);
      for (let i = 0; i < n; i++) b[rng.int(b.length)] = rng.int(256);
      return b;
    }
    case 2: {
      const at = rng.int(b.length + 1);
      const junk = Uint8Array.from({ length: 1 + rng.int(40) }, () => rng.int(256));
      return Uint8Array.from([...b.subarray(0, at), ...junk, ...b.subarray(at)]);
    }
    case 3: {
      const at = rng.int(b.length);
      b.fill(0, at, at + 1 + rng.int(32));
      return b;
    }
    case 4: {
      const at = rng.int(b.length);
      const len = 1 + rng.int(64);
      return Uint8Array.from([...b, ...b.subarray(at, at + len)]);
    }
    default: {
      // Flip one byte in the first 128 bytes: headers, magic numbers, shapes.
      const at = rng.int(Math.min(128, b.length));
      b[at] = b[at]! ^ (1 << rng.int(8));
      return b;
    }
  }
}

async function expectTypedOrValid(path: string, what: string): Promise<'ok' | 'error'> {
  try {
    const ds = await loadDataset(path, { maxBytes: 64 * 1024 * 1024 });
    expect(isValidDataset(ds), `${what}: invalid dataset`).toBe(true);
    return 'ok';
  } catch (e) {
    if (!isUserError(e))
      throw new Error(`${what}: ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`);
    return 'error';
  }
}

function idxImages(n: number): Uint8Array {
  const head = Buffer.alloc(16);
  head.writeUInt32BE(0x00000803, 0);
  head.writeUInt32BE(n, 4);
  head.writeUInt32BE(4, 8);
  head.writeUInt32BE(4, 12);
  return Buffer.concat([head, Buffer.from(Array.from({ length: n * 16 }, (_, i) => (i * 7) % 256))]);
}

const seeds: Record<string, Uint8Array[]> = {
  csv: ['iris.csv', 'quoted.csv', 'categorical-missing.csv', 'plain.tsv'].map((f) =>
    readFileSync(join(FIX, 'good', f)),
  ),
  npy: ['f4-le-c.npy', 'f8-be-f.npy', 'u1-le-c.npy', 'stack-f4-nchw.npy', 'f2-le-f.npy', 'b1-le-c.npy'].map(
    (f) => readFileSync(join(FIX, 'npy', f)),
  ),
  json: ['object.json', 'records.json'].map((f) => readFileSync(join(FIX, 'good', f))),
  idx: [idxImages(6)],
};

const CASES = Number(process.env.FUZZ_CASES ?? 150);

describe('fuzz: every loader either succeeds or throws a UserError', () => {
  test.each([
    ['csv', 'x.csv'],
    ['npy', 'x.npy'],
    ['json', 'x.json'],
    ['idx', 'x-images-idx3-ubyte'],
  ])('mutated %s files', async (kind, name) => {
    const rng = createRng(kind.length * 1000 + 17);
    const outcomes = { ok: 0, error: 0 };
    for (let i = 0; i < CASES; i++) {
      const src = seeds[kind]![rng.int(seeds[kind]!.length)]!;
      let bytes = mutate(src, rng);
      if (rng.next() < 0.3) bytes = mutate(bytes, rng);
      const path = join(tmp, `${i}-${name}`);
      writeFileSync(path, bytes);
      outcomes[await expectTypedOrValid(path, `${kind} case ${i}`)]++;
    }
    // The mutations must exercise both outcomes, or the test proves little.
    expect(outcomes.error).toBeGreaterThan(10);
    if (kind === 'csv') expect(outcomes.ok).toBeGreaterThan(5);
  });

  test('mutated gzip streams (CSV, .npy and IDX inside)', async () => {
    const rng = createRng(99);
    const plain = [seeds.csv![0]!, encodeNpy(Float32Array.from([1, 2, 3, 4, 5, 6]), [3, 2]), idxImages(4)];
    const names = ['x.csv.gz', 'x.npy.gz', 'x-images-idx3-ubyte.gz'];
    for (let i = 0; i < CASES; i++) {
      const k = rng.int(plain.length);
      const path = join(tmp, `gz${i}-${names[k]}`);
      writeFileSync(path, mutate(gzipSync(plain[k]!), rng));
      await expectTypedOrValid(path, `gzip case ${i}`);
    }
  });

  test('random bytes under every extension', async () => {
    const rng = createRng(5);
    const exts = ['.csv', '.tsv', '.npy', '.json', '-images-idx3-ubyte', '.gz', '.bin', '.txt'];
    for (let i = 0; i < CASES * 2; i++) {
      const len = rng.int(300);
      const bytes = Uint8Array.from({ length: len }, () => rng.int(256));
      // Sometimes start with a real magic so the body parsers are reached.
      const magic = [
        [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0],
        [0, 0, 8, 3],
        [0x1f, 0x8b, 8, 0],
        [0x5b],
        [],
      ][rng.int(5)]!;
      bytes.set(magic.slice(0, len));
      const path = join(tmp, `r${i}${exts[rng.int(exts.length)]}`);
      writeFileSync(path, bytes);
      await expectTypedOrValid(path, `random case ${i}`);
    }
  });

  test('mutated images in a folder', async () => {
    const rng = createRng(3);
    const good = join(FIX, 'good/images/cat');
    const pngs = readdirSync(good).map((f) => readFileSync(join(good, f)));
    for (let i = 0; i < 40; i++) {
      const dir = join(tmp, `img${i}`, 'label');
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, 'a.png'), pngs[0]!);
      writeFileSync(join(dir, 'b.png'), mutate(pngs[rng.int(pngs.length)]!, rng));
      await expectTypedOrValid(join(tmp, `img${i}`), `image case ${i}`);
    }
  });
});
