import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { loadOptionsFrom, parseByteSize } from '../../../electron/data/cli-options';
import { encodeLabels } from '../../../electron/data/label-values';
import { loadDataset } from '../../../electron/data/load';
import { encodeNpy } from '../../../electron/data/npy';
import { sha256Hex } from '../../../electron/data/sha256';
import { createRng } from '../../../electron/engine/random';

let tmp: string;
beforeAll(() => (tmp = mkdtempSync(join(tmpdir(), 'labels-'))));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const write = (name: string, content: string | Uint8Array) => {
  const p = join(tmp, name);
  writeFileSync(p, content);
  return p;
};

describe('labels files (--labels)', () => {
  const data = () => write('data.csv', '1,2\n3,4\n5,6\n');

  test.each([
    ['labels.txt', 'cat\ndog\ncat\n', ['cat', 'dog'], [0, 1, 0]],
    ['labels.csv', 'label\n3\n1\n3\n', ['1', '3'], [1, 0, 1]],
    ['labels.json', '["b", "a", "b"]', ['a', 'b'], [1, 0, 1]],
    ['labels.npy', encodeNpy(Int32Array.from([2, 0, 10]), [3]), ['0', '2', '10'], [1, 0, 2]],
  ] as const)('%s', async (name, content, names, labels) => {
    const ds = await loadDataset(data(), { labels: write(name, content) });
    expect(ds.labelNames).toEqual(names);
    expect(Array.from(ds.labels!)).toEqual(labels);
  });

  test('IDX labels given explicitly, gzipped', async () => {
    const idx = Buffer.concat([Buffer.from([0, 0, 8, 1, 0, 0, 0, 3]), Buffer.from([7, 7, 1])]);
    const ds = await loadDataset(data(), { labels: write('l-idx1-ubyte.gz', gzipSync(idx)) });
    expect(ds.labelNames).toEqual(['1', '7']);
    expect(Array.from(ds.labels!)).toEqual([1, 1, 0]);
  });

  test('refused: several fields per line, an empty line, a 2-D array, a missing file', async () => {
    await expect(loadDataset(data(), { labels: write('two.txt', 'a,b\nc,d\ne,f\n') })).rejects.toThrow(
      /two\.txt, row 1: expected one label per line, got several fields/,
    );
    await expect(loadDataset(data(), { labels: write('gap.txt', 'a\n\nb\n') })).rejects.toThrow(
      /gap\.txt, row 2: empty line; expected one label per line/,
    );
    await expect(
      loadDataset(data(), { labels: write('l2.npy', encodeNpy(new Float32Array(6), [3, 2])) }),
    ).rejects.toThrow(/l2\.npy: a labels array must be 1-D \(or n × 1\), got 3 × 2/);
    await expect(loadDataset(data(), { labels: join(tmp, 'absent.txt') })).rejects.toThrow(
      /absent\.txt: no such file or folder/,
    );
  });

  test('rows dropped for missing values take their labels with them', async () => {
    const d = write('holes.csv', '1,2\n3,\n5,6\n');
    const ds = await loadDataset(d, { labels: write('abc.txt', 'a\nb\nc\n'), missing: 'drop' });
    expect(Array.from(ds.data)).toEqual([1, 2, 5, 6]);
    expect(Array.from(ds.labels!, (l) => ds.labelNames![l])).toEqual(['a', 'c']);
    expect(ds.labelNames).toEqual(['a', 'b', 'c']);
  });

  test('encodeLabels: numeric labels in numeric order, others naturally', () => {
    expect(encodeLabels(['10', '9', '1']).labelNames).toEqual(['1', '9', '10']);
    expect(encodeLabels(['img10', 'img9']).labelNames).toEqual(['img9', 'img10']);
  });
});

describe('memory estimates before loading', () => {
  test('CSV: estimated from the file size; gzip: from its declared size', async () => {
    const rows = Array.from({ length: 2000 }, (_, i) => `${i},${i * 2},${i * 3}`).join('\n');
    const p = write('big.csv', rows);
    await expect(loadDataset(p, { maxBytes: 20_000 })).rejects.toThrow(
      /big\.csv: loading needs about .* \(≈2,\d{3} rows × 3 columns × 4 bytes × 2 .*estimated from the file size\); the limit is 19\.5 KiB/,
    );
    expect((await loadDataset(p, { maxBytes: 200_000 })).rows).toBe(2000);
    const gz = write('big.csv.gz', gzipSync(Buffer.from(rows)));
    await expect(loadDataset(gz, { maxBytes: 20_000 })).rejects.toThrow(/big\.csv\.gz: loading needs about/);
  });

  test('JSON and image folders', async () => {
    // JSON is parsed as a stream into the matrix: refused once the values outgrow the limit.
    const p = write('big.json', JSON.stringify(Array.from({ length: 5000 }, (_, i) => [i, i])));
    await expect(loadDataset(p, { maxBytes: 10_000 })).rejects.toThrow(
      /big\.json: loading needs about .* \(the values read so far, while growing the buffer\); the limit is 9\.8 KiB/,
    );
    expect((await loadDataset(p, { maxBytes: 200_000 })).rows).toBe(5000);
  });
});

describe('command-line data options', () => {
  test('sizes', () => {
    expect(parseByteSize('512M')).toBe(512 * 2 ** 20);
    expect(parseByteSize('4G')).toBe(4 * 2 ** 30);
    expect(parseByteSize('1.5GiB')).toBe(1.5 * 2 ** 30);
    expect(parseByteSize('1000')).toBe(1000);
    expect(() => parseByteSize('lots')).toThrow(
      /--max-memory: expected a size such as 512M or 4G, got "lots"/,
    );
  });

  test('options map onto LoadOptions and bad values are UserErrors', () => {
    expect(
      loadOptionsFrom({
        labelColumn: '3',
        missing: 'drop',
        delimiter: 'tab',
        header: false,
        categorical: 'zip, 2',
        imageSize: '32x24',
        color: 'gray',
        maxMemory: '1G',
      }),
    ).toEqual({
      labelColumn: 3,
      missing: 'drop',
      delimiter: '\t',
      header: false,
      categorical: ['zip', 2],
      imageSize: { width: 32, height: 24 },
      color: 'grey',
      maxBytes: 2 ** 30,
    });
    expect(loadOptionsFrom({ labelColumn: 'species' }).labelColumn).toBe('species');
    expect(() => loadOptionsFrom({ imageSize: 'big' })).toThrow(/--image-size: expected WxH or N/);
    expect(() => loadOptionsFrom({ color: 'sepia' })).toThrow(/--color: expected grey or rgb/);
    expect(() => loadOptionsFrom({ delimiter: '::' })).toThrow(/--delimiter: expected one character/);
  });
});

describe('sha256 (isomorphic, for samples)', () => {
  test('matches node:crypto on lengths around the 64-byte block boundaries', () => {
    const rng = createRng(1);
    for (const n of [0, 1, 55, 56, 63, 64, 65, 119, 120, 1000, 4099]) {
      const b = Uint8Array.from({ length: n }, () => rng.int(256));
      expect(sha256Hex(b), `${n} bytes`).toBe(createHash('sha256').update(b).digest('hex'));
    }
  });
});
