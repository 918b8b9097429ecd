import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { CsvTokenizer } from '../../../electron/data/csv-tokenizer';
import { parseSimpleNumber } from '../../../electron/data/csv-cells';
import { loadDataset } from '../../../electron/data/load';
import { isValidDataset } from '../../../electron/data/validate';
import { createRng } from '../../../electron/engine/random';
import { denormalize, fitNormalizer, normalize } from '../../../electron/engine/data/normalize';
import { splitIndices, takeRows } from '../../../electron/engine/data/split';
import { ROOT } from '../../helpers/cli';

const GOOD = join(ROOT, 'tests/fixtures/data/good');
const FASHION = '/usr/share/datasets/fashion-mnist';
let tmp: string;
beforeAll(() => (tmp = mkdtempSync(join(tmpdir(), 'datasets-'))));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const write = (name: string, content: string | Uint8Array) => {
  const p = join(tmp, name);
  writeFileSync(p, content);
  return p;
};

describe('CSV/TSV', () => {
  test('header, label column by name or index, categorical one-hot recorded', async () => {
    const byName = await loadDataset(join(GOOD, 'iris.csv'), { labelColumn: 'species' });
    expect([byName.rows, byName.dims]).toEqual([4, 2]);
    expect(Array.from(byName.data)).toEqual([5.1, 3.5, 4.9, 3, 6.3, 3.3, 5.8, 2.7].map(Math.fround));
    expect(byName.featureNames).toEqual(['sepal length', 'sepal width']);
    expect(byName.labelNames).toEqual(['setosa', 'virginica']);
    expect(Array.from(byName.labels!)).toEqual([0, 0, 1, 1]);
    for (const idx of [2, -1, '2'])
      expect((await loadDataset(join(GOOD, 'iris.csv'), { labelColumn: idx })).labels).toEqual(byName.labels);
    const oneHot = await loadDataset(join(GOOD, 'iris.csv'));
    expect(oneHot.dims).toBe(4);
    expect(oneHot.categorical).toEqual([{ name: 'species', start: 2, levels: ['setosa', 'virginica'] }]);
    expect(oneHot.featureNames).toEqual([
      'sepal length',
      'sepal width',
      'species=setosa',
      'species=virginica',
    ]);
    expect(Array.from(oneHot.data.subarray(8, 12))).toEqual([Math.fround(6.3), Math.fround(3.3), 0, 1]);
    expect(oneHot.sha256).toBe(
      createHash('sha256')
        .update(readFileSync(join(GOOD, 'iris.csv')))
        .digest('hex'),
    );
  });

  test('TSV without a header; the delimiter is sniffed', async () => {
    const ds = await loadDataset(join(GOOD, 'plain.tsv'));
    expect([ds.rows, ds.dims]).toEqual([3, 3]);
    expect(Array.from(ds.data)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const semi = await loadDataset(write('semi.csv', '1;2\n3;4\n5;6\n'));
    expect(Array.from(semi.data)).toEqual([1, 2, 3, 4, 5, 6]);
    const pipes = await loadDataset(write('pipes.txt', 'a|b\n1|2\n3|4\n'));
    expect(pipes.featureNames).toEqual(['a', 'b']);
  });

  test('quoted fields with embedded delimiters, newlines and doubled quotes', async () => {
    const ds = await loadDataset(join(GOOD, 'quoted.csv'));
    expect(ds.categorical).toEqual([{ name: 'note', start: 1, levels: ['a;b', 'line\nbreak', 'say "hi"'] }]);
    expect(Array.from(ds.data)).toEqual([1, 1, 0, 0, 2.5, 2, 0, 1, 0, 3.5, 3, 0, 0, 1, 4.5]);
  });

  test('a quoted field across lines keeps the row numbers of later lines right', async () => {
    const p = write('rows.csv', 'a,b\n1,"x\ny"\n2,z\n3,oops,extra\n');
    await expect(loadDataset(p)).rejects.toThrow(/rows\.csv, row 5: expected 2 fields/);
  });

  test('numpy.savetxt output: comment header, space-separated', async () => {
    const ds = await loadDataset(join(GOOD, 'savetxt.txt'));
    expect([ds.rows, ds.dims]).toEqual([2, 2]);
    expect(Array.from(ds.data)).toEqual([1, 2, 3, 4]);
  });

  test('CRLF, a byte-order mark, a trailing delimiter and gzip', async () => {
    const text = '\uFEFFx,y,\r\n1,2,\r\n3,4,\r\n';
    const a = await loadDataset(write('crlf.csv', text));
    expect(a.featureNames).toEqual(['x', 'y']);
    expect(Array.from(a.data)).toEqual([1, 2, 3, 4]);
    const gz = await loadDataset(write('crlf.csv.gz', gzipSync(Buffer.from(text))));
    expect(Array.from(gz.data)).toEqual([1, 2, 3, 4]);
  });

  test("pandas' index column (empty header name, 0…n−1) is not a feature", async () => {
    const ds = await loadDataset(write('pandas.csv', ',a,b\n0,1.5,x\n1,2.5,y\n2,3.5,x\n'));
    expect(ds.featureNames).toEqual(['a', 'b=x', 'b=y']);
    const kept = await loadDataset(write('pandas2.csv', ',a\n5,1\n6,2\n'));
    expect(kept.featureNames).toEqual(['column 1', 'a']);
  });

  test('UTF-8 characters split across read chunks (1 MiB) decode whole', async () => {
    const word = 'é'.repeat(97) + '€';
    const body = Array.from({ length: 12000 }, (_, i) => (i % 3 ? `${i},${word}` : `${i},plain`)).join('\n');
    const ds = await loadDataset(write('utf8.csv', `n,w\n${body}\n`));
    expect(ds.rows).toBe(12000);
    expect(ds.categorical).toEqual([{ name: 'w', start: 1, levels: ['plain', word] }]);
  });

  test('header detection can be overridden', async () => {
    // "a" and "b" never recur below: names, so a header; "x,y" over "x,…" would be data.
    const p = write('names.csv', 'a,b\nc,d\ne,d\n');
    expect((await loadDataset(write('cats.csv', 'x,y\nz,y\nx,w\n'))).rows).toBe(3);
    const auto = await loadDataset(p);
    expect(auto.rows).toBe(2);
    const none = await loadDataset(p, { header: false });
    expect(none.rows).toBe(3);
    expect(none.categorical!.map((g) => g.levels)).toEqual([
      ['a', 'c', 'e'],
      ['b', 'd'],
    ]);
    const forced = await loadDataset(write('num.csv', '1,2\n3,4\n5,6\n'), { header: true });
    expect(forced.featureNames).toEqual(['1', '2']);
    expect(forced.rows).toBe(2);
  });

  test('missing values: drop the rows, or impute the mean (one-hot blocks: the level frequencies)', async () => {
    const f = join(GOOD, 'categorical-missing.csv');
    await expect(loadDataset(f)).rejects.toThrow(/row 4, column 3 \("y"\): missing value/);
    const drop = await loadDataset(f, { missing: 'drop' });
    expect(drop.rows).toBe(3);
    expect(Array.from(drop.data.subarray(10, 15))).toEqual([4, 0, 0, 1, 5]);
    const mean = await loadDataset(f, { missing: 'mean' });
    expect(mean.rows).toBe(4);
    expect(mean.data[2 * 5 + 4]).toBeCloseTo((2 + 3 + 5) / 3, 6);
    const cat = await loadDataset(write('catmiss.csv', 'x,c\n1,a\n2,\n3,b\n4,a\n'), { missing: 'mean' });
    expect(Array.from(cat.data.subarray(3, 6))).toEqual([2, 2 / 3, 1 / 3].map(Math.fround));
  });

  test('a categorical column can be forced; too many levels are refused', async () => {
    const p = write('codes.csv', 'zip,v\n100,1\n200,2\n100,3\n');
    const ds = await loadDataset(p, { categorical: ['zip'] });
    expect(ds.categorical).toEqual([{ name: 'zip', start: 0, levels: ['100', '200'] }]);
    const ids = 'id,v\n' + Array.from({ length: 300 }, (_, i) => `user${i},${i}`).join('\n');
    await expect(loadDataset(write('ids.csv', ids))).rejects.toThrow(
      /ids\.csv, row 258, column 1 \("id"\): column has more than 256 distinct text values/,
    );
  });

  test('a runaway field (an unclosed quote in a big file) is a typed error, not a RangeError', async () => {
    const p = write('runaway.csv', 'a,b\n1,"' + 'x'.repeat(17 * 2 ** 20));
    await expect(loadDataset(p)).rejects.toThrow(
      /runaway\.csv, row 2, byte 6: a quoted field of more than [\d,]+ characters; the limit is 1,048,576 characters \(1\/2048 of the memory limit of 2\.0 GiB: raise it with --max-memory\); expected a closing "/,
    );
  });

  test('the tokenizer gives the same records whatever the chunking', () => {
    const rng = createRng(9);
    const atoms = ['a', '1', ',', '\n', '\r\n', '"', '""', ' ', 'x y', ';', '\u00a0', '\t', '\r'];
    for (let t = 0; t < 200; t++) {
      let s = '';
      // Half the cases have no quotes at all, which takes the tokenizer's split() fast path.
      const pool = t % 2 ? atoms : atoms.filter((a) => !a.includes('"'));
      for (let i = 0; i < 30; i++) s += pool[rng.int(pool.length)];
      const whole: string[][] = [];
      const pieces: string[][] = [];
      const run = (out: string[][], feed: (tk: CsvTokenizer) => void) => {
        const tk = new CsvTokenizer(',', (r) => out.push([String(r.line), ...r.fields]));
        try {
          feed(tk);
          tk.end();
        } catch {
          out.push(['unclosed']);
        }
      };
      run(whole, (tk) => tk.feed(s));
      run(pieces, (tk) => {
        let i = 0;
        while (i < s.length) {
          const n = 1 + rng.int(4);
          tk.feed(s.slice(i, i + n));
          i += n;
        }
      });
      expect(pieces).toEqual(whole);
    }
  });
});

describe('JSON', () => {
  test('{data, labels} and records with a label key', async () => {
    const obj = await loadDataset(join(GOOD, 'object.json'));
    expect([obj.rows, obj.dims]).toEqual([3, 2]);
    expect(obj.labelNames).toEqual(['a', 'b']);
    expect(Array.from(obj.labels!)).toEqual([0, 1, 0]);
    const rec = await loadDataset(join(GOOD, 'records.json'), { labelColumn: 'kind', missing: 'mean' });
    expect(rec.featureNames).toEqual(['x', 'y']);
    expect(Array.from(rec.data)).toEqual([1, 2, 3, 4, 5, 3]);
    expect(Array.from(rec.labels!)).toEqual([0, 1, 0]);
    const flat = await loadDataset(write('flat.json', '[1, 2, 3]'));
    expect([flat.rows, flat.dims]).toEqual([3, 1]);
  });

  test('dropping rows keeps the labels aligned', async () => {
    const p = write('drop.json', '{"data": [[1, 2], [null, 4], [5, 6]], "labels": [7, 8, 9]}');
    const ds = await loadDataset(p, { missing: 'drop' });
    expect(Array.from(ds.data)).toEqual([1, 2, 5, 6]);
    expect(ds.labelNames!.map((n, i) => [n, i])).toEqual([
      ['7', 0],
      ['9', 1],
    ]);
  });
});

describe('image folders', () => {
  test('sub-folder = label; greyscale detected; pixels in [0, 1]', async () => {
    const ds = await loadDataset(join(GOOD, 'images'));
    expect([ds.rows, ds.dims]).toEqual([5, 12]);
    expect(ds.image).toEqual({ width: 4, height: 3, channels: 1 });
    expect(ds.labelNames).toEqual(['cat', 'dog']);
    expect(Array.from(ds.labels!)).toEqual([0, 0, 0, 1, 1]);
    // img0 of cat: pixel k = (37k) mod 256.
    for (let k = 0; k < 12; k++) expect(ds.data[k]).toBeCloseTo(((37 * k) % 256) / 255, 6);
    const raw = await loadDataset(join(GOOD, 'images'), { rawPixels: true });
    expect(raw.data[1]).toBe(37);
  });

  test('resize and RGB on request; RGB detected', async () => {
    const ds = await loadDataset(join(GOOD, 'images'), { imageSize: { width: 2, height: 2 }, color: 'rgb' });
    expect(ds.image).toEqual({ width: 2, height: 2, channels: 3 });
    expect(ds.dims).toBe(12);
    const rgb = await loadDataset(join(GOOD, 'rgb'));
    expect(rgb.image).toEqual({ width: 3, height: 2, channels: 3 });
    expect(rgb.labels).toBeUndefined();
    // Mixed sizes load once resized.
    const mixed = await loadDataset(join(ROOT, 'tests/fixtures/data/bad/mixed-sizes'), { imageSize: 4 });
    expect(mixed.image).toEqual({ width: 4, height: 4, channels: 1 });
  });
});

describe('image folders: JPEG, alpha, layout errors', () => {
  test('JPEG and RGBA PNG (alpha over black) load side by side; loose images beside label folders are refused', async () => {
    const { default: sharp } = await import('sharp');
    const dir = join(tmp, 'jpg');
    for (const [label, name] of [
      ['a', 'x.jpg'],
      ['b', 'y.png'],
    ] as const) {
      const sub = join(dir, label);
      mkdirSync(sub, { recursive: true });
      const img = sharp({
        create: { width: 6, height: 5, channels: 4, background: { r: 200, g: 200, b: 200, alpha: 0.5 } },
      });
      await (name.endsWith('.jpg') ? img.flatten().jpeg({ quality: 95 }) : img.png()).toFile(join(sub, name));
    }
    const ds = await loadDataset(dir, { color: 'rgb' });
    expect(ds.image).toEqual({ width: 6, height: 5, channels: 3 });
    expect(ds.labelNames).toEqual(['a', 'b']);
    // The PNG's alpha is composited over black: 200 · ½ = 100 (the JPEG was flattened the same way
    // when it was written, up to JPEG's rounding).
    expect(ds.data[ds.dims]).toBeCloseTo(100 / 255, 2);
    expect(ds.data[0]).toBeCloseTo(100 / 255, 1);
    writeFileSync(join(dir, 'loose.png'), readFileSync(join(dir, 'b', 'y.png')));
    await expect(loadDataset(dir)).rejects.toThrow(
      /jpg: images both in sub-folders \(labels\) and directly in the folder \(e\.g\. loose\.png\)/,
    );
  });
});

describe('IDX', () => {
  const idx = (type: number, shape: number[], body: number[]) => {
    const head = Buffer.alloc(4 + 4 * shape.length);
    head.writeUInt32BE(0x0000_0000 | (type << 8) | shape.length, 0);
    shape.forEach((s, i) => head.writeUInt32BE(s, 4 + 4 * i));
    return Buffer.concat([head, Buffer.from(body)]);
  };

  test('images with their labels file found beside them; plain and gzipped', async () => {
    write('tiny-images-idx3-ubyte', idx(0x08, [3, 2, 2], [0, 51, 102, 255, 1, 2, 3, 4, 5, 6, 7, 8]));
    write('tiny-labels-idx1-ubyte.gz', gzipSync(idx(0x08, [3], [2, 0, 2])));
    const ds = await loadDataset(join(tmp, 'tiny-images-idx3-ubyte'));
    expect(ds.image).toEqual({ height: 2, width: 2, channels: 1 });
    expect(Array.from(ds.data.subarray(0, 4))).toEqual([0, 0.2, 0.4, 1].map(Math.fround));
    expect(ds.labelNames).toEqual(['0', '2']);
    expect(Array.from(ds.labels!)).toEqual([1, 0, 1]);
  });

  test('big-endian int16, float64; EMNIST-style transposed images', async () => {
    const be16 = Buffer.alloc(8);
    [-2, 300, 7, -1].forEach((v, i) => be16.writeInt16BE(v, 2 * i));
    const a = await loadDataset(write('s.idx', Buffer.concat([idx(0x0b, [2, 2], []), be16])));
    expect(Array.from(a.data)).toEqual([-2, 300, 7, -1]);
    const be64 = Buffer.alloc(16);
    [0.5, -3.25].forEach((v, i) => be64.writeDoubleBE(v, 8 * i));
    const b = await loadDataset(write('d.idx', Buffer.concat([idx(0x0e, [2], []), be64])));
    expect(Array.from(b.data)).toEqual([0.5, -3.25]);
    const t = await loadDataset(
      write('t-images-idx3-ubyte', idx(0x08, [2, 2, 3], [0, 1, 2, 3, 4, 5, 0, 0, 0, 0, 0, 0])),
      {
        transposeImages: true,
        rawPixels: true,
      },
    );
    expect(t.image).toEqual({ height: 3, width: 2, channels: 1 });
    expect(Array.from(t.data.subarray(0, 6))).toEqual([0, 3, 1, 4, 2, 5]);
    const body = idx(0x08, [2, 2, 3], [0, 1, 2, 3, 4, 5, 0, 0, 0, 0, 0, 0]);
    const emnist = await loadDataset(write('emnist-digits-train-images-idx3-ubyte', body), {
      rawPixels: true,
    });
    expect(Array.from(emnist.data.subarray(0, 6))).toEqual([0, 3, 1, 4, 2, 5]);
    const asIs = await loadDataset(write('emnist-x-images-idx3-ubyte', body), {
      rawPixels: true,
      transposeImages: false,
    });
    expect(Array.from(asIs.data.subarray(0, 6))).toEqual([0, 1, 2, 3, 4, 5]);
  });

  test('Fashion-MNIST from Debian loads with its labels', async () => {
    // Installed by .ci/run (apt-get install dataset-fashion-mnist), as README.md says.
    expect(existsSync(FASHION), `${FASHION} is missing: apt-get install dataset-fashion-mnist`).toBe(true);
    const ds = await loadDataset(join(FASHION, 'train-images-idx3-ubyte.gz'));
    expect([ds.rows, ds.dims]).toEqual([60000, 784]);
    expect(ds.image).toEqual({ height: 28, width: 28, channels: 1 });
    // Files from a Fashion-MNIST folder get the class names (MNIST's would stay 0–9).
    expect(ds.labelNames).toEqual([
      'T-shirt/top',
      'Trouser',
      'Pullover',
      'Dress',
      'Coat',
      'Sandal',
      'Shirt',
      'Sneaker',
      'Bag',
      'Ankle boot',
    ]);
    // The first training labels: ankle boot, T-shirt, T-shirt, dress, T-shirt, pullover, sneaker.
    expect(Array.from(ds.labels!.subarray(0, 7))).toEqual([9, 0, 0, 3, 0, 2, 7]);
    const counts = new Array<number>(10).fill(0);
    for (const l of ds.labels!) counts[l]!++;
    expect(counts).toEqual(new Array(10).fill(6000));
    expect(Math.max(...ds.data.subarray(0, 784))).toBe(1);
    expect(ds.sha256).toBe(
      createHash('sha256')
        .update(readFileSync(join(FASHION, 'train-images-idx3-ubyte.gz')))
        .digest('hex'),
    );
    const test = await loadDataset(join(FASHION, 't10k-images-idx3-ubyte.gz'));
    expect(test.rows).toBe(10000);
    expect(Array.from(test.labels!.subarray(0, 5))).toEqual([9, 2, 1, 1, 6]);
  });
});

describe('normalisation and split on loader outputs', () => {
  test.each([
    ['iris.csv', {}],
    ['categorical-missing.csv', { missing: 'mean' as const }],
    ['images', {}],
  ])('%s: normalise → denormalise is the identity; the split partitions the rows by seed', async (f, o) => {
    const ds = await loadDataset(join(GOOD, f), o);
    expect(isValidDataset(ds)).toBe(true);
    for (const kind of ['standard', 'minmax', 'none'] as const) {
      const n = fitNormalizer(kind, ds.data, ds.rows, ds.dims);
      const back = denormalize(n, normalize(n, ds.data));
      for (let i = 0; i < back.length; i++) expect(back[i]).toBeCloseTo(ds.data[i]!, 4);
    }
    const s = splitIndices(ds.rows, 0.4, 3);
    expect([...s.train, ...s.validation].sort((a, b) => a - b)).toEqual([...Array(ds.rows).keys()]);
    expect(splitIndices(ds.rows, 0.4, 3)).toEqual(s);
    const rows = takeRows(ds.data, ds.dims, s.validation);
    expect(Array.from(rows.subarray(0, ds.dims))).toEqual(
      Array.from(ds.data.subarray(s.validation[0]! * ds.dims, (s.validation[0]! + 1) * ds.dims)),
    );
  });
});

describe('CSV number parsing', () => {
  test.each([true, false])(
    'every path (line fast path, split, character loop) reads the same numbers as Number() (quotes: %s)',
    async (quotes) => {
      const rng = createRng(quotes ? 21 : 22);
      const cell = (): string => {
        const v = (rng.next() - 0.5) * 10 ** rng.int(8);
        switch (rng.int(8)) {
          case 0:
            return v.toExponential(3);
          case 1:
            return ` ${v.toFixed(2)} `;
          case 2:
            return `\u00a0${v.toFixed(1)}`;
          case 3:
            // A quote anywhere in a chunk sends that chunk through the character loop.
            return quotes ? `"${v.toFixed(4)}"` : v.toFixed(4);
          case 4:
            return String(Math.round(v));
          default:
            return v.toFixed(rng.int(7));
        }
      };
      const lines: string[][] = [];
      for (let r = 0; r < 3000; r++) lines.push([String(rng.int(3)), ...Array.from({ length: 6 }, cell)]);
      // Mostly LF, sometimes CRLF line ends.
      const text =
        'y,a,b,c,d,e,f\n' + lines.map((l) => l.join(',') + (rng.next() < 0.3 ? '\r\n' : '\n')).join('');
      const ds = await loadDataset(write(`mixed-${quotes}.csv`, text), { labelColumn: 'y' });
      expect([ds.rows, ds.dims]).toEqual([3000, 6]);
      const expected = lines.flatMap((l) =>
        l.slice(1).map((c) => Math.fround(Number(c.replace(/"/g, '').trim()))),
      );
      expect(Array.from(ds.data)).toEqual(expected);
      expect(Array.from(ds.labels!, (l) => ds.labelNames![l])).toEqual(lines.map((l) => l[0]));
    },
  );

  test('the plain-decimal fast path equals Number() wherever it answers', () => {
    const rng = createRng(12);
    const chars = '0123456789.-+e';
    let answered = 0;
    for (let t = 0; t < 20000; t++) {
      let s = '';
      const len = 1 + rng.int(18);
      for (let i = 0; i < len; i++) s += chars[rng.int(t % 3 ? 11 : chars.length)];
      const v = parseSimpleNumber(s);
      if (Number.isNaN(v)) continue;
      answered++;
      expect(Object.is(v, Number(s)), s).toBe(true);
    }
    expect(answered).toBeGreaterThan(2000);
    for (const s of ['', '-', '+', '.', '-.', '1.2.3', '1e5', '0x10', ' 1'])
      expect(parseSimpleNumber(s), JSON.stringify(s)).toBeNaN();
  });
});
