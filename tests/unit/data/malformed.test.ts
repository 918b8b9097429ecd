/**
 * The malformed-file corpus in tests/fixtures/data/bad: one file per error case and format. Each
 * must fail with the project's typed error, the right code, and a message that names the file and
 * the place (row/column, byte offset or array index) and says what was expected.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { loadDataset, type LoadOptions } from '../../../electron/data/load';
import { DataError } from '../../../electron/data/errors';
import { isUserError } from '../../../electron/shared/errors';
import { ROOT } from '../../helpers/cli';

const BAD = join(ROOT, 'tests/fixtures/data/bad');

const cases: [file: string, code: string, message: RegExp, options?: LoadOptions][] = [
  ['empty.csv', 'data.empty', /^.*empty\.csv: empty file \(0 bytes\); expected a dataset$/],
  ['header-only.csv', 'data.header-only', /header-only\.csv: only a header \(x, y, z\); expected data rows/],
  ['one-row.csv', 'data.too-few-rows', /one-row\.csv: only 1 data row; at least 2 are needed to train/],
  ['ragged.csv', 'data.ragged', /ragged\.csv, row 3: expected 3 fields \(as in the header\), found 2/],
  [
    'non-numeric.csv',
    'data.non-numeric',
    /non-numeric\.csv, row 3, column 2 \("b"\): expected a number, got "abc"/,
  ],
  ['nan.csv', 'data.missing-value', /nan\.csv, row 3, column 1 \("a"\): missing value .*expected a number/],
  ['missing.csv', 'data.missing-value', /missing\.csv, row 3, column 2 \("b"\): missing value/],
  [
    'infinity.csv',
    'data.non-finite',
    /infinity\.csv, row 3, column 2 \("b"\): expected a finite number, got "Infinity"/,
  ],
  [
    'overflow.csv',
    'data.non-finite',
    /overflow\.csv, row 3, column 2 \("b"\): the value 1e39 does not fit in float32/,
  ],
  [
    'unclosed-quote.csv',
    'data.syntax',
    /unclosed-quote\.csv, row 2: a quoted field is never closed; expected a closing "/,
  ],
  ['corrupt.csv.gz', 'data.corrupt', /corrupt\.csv\.gz: corrupt gzip stream .*expected a valid \.gz file/],
  ['not-a-file.csv', 'data.not-a-file', /not-a-file\.csv: is a folder; expected a file/],
  [
    'no-images',
    'data.empty',
    /no-images: no PNG or JPEG images in this folder or its sub-folders; expected a data file/,
  ],
  ['missing-file.csv', 'data.missing-file', /missing-file\.csv: no such file or folder/],
  [
    'four-rows.csv',
    'data.label-mismatch',
    /four-rows\.csv: the labels in .*labels-3\.txt number 3 but the data has 4 rows; expected one label per row/,
    { labels: join(BAD, 'labels-3.txt') },
  ],
  [
    'four-rows.csv',
    'data.not-a-file',
    /no-images: is a folder; expected a labels file/,
    { labels: join(BAD, 'no-images') },
  ],
  ['empty.json', 'data.empty', /empty\.json: an empty array; expected rows of numbers/],
  [
    'ragged.json',
    'data.ragged',
    /ragged\.json, row 3, element \[2\]: expected 2 values \(as in the first row\), found 1/,
  ],
  [
    'non-numeric.json',
    'data.non-numeric',
    /non-numeric\.json, row 2, column 2, element \[1\]\[1\]: expected a number, got "x"/,
  ],
  ['syntax.json', 'data.syntax', /syntax\.json, row 3, column 1: not valid JSON/],
  [
    'label-mismatch.json',
    'data.label-mismatch',
    /label-mismatch\.json, labels: "labels" has 2 entries but "data" has 3 rows/,
  ],
  [
    'table.parquet',
    'data.unknown-format',
    /table\.parquet, byte 0: a Parquet file; expected CSV\/TSV, \.npy, IDX, JSON or a folder of images/,
  ],
  [
    'workbook.xlsx',
    'data.unknown-format',
    /workbook\.xlsx, byte 0: an Excel workbook; expected CSV: save the sheet as CSV/,
  ],
  [
    'wrong-magic.npy',
    'data.bad-magic',
    /wrong-magic\.npy, byte 0: not a NumPy \.npy file: expected the magic bytes/,
  ],
  [
    'truncated.npy',
    'data.truncated',
    /truncated\.npy, byte 198: truncated file: the shape \(5, 4\) of float32 needs 80 bytes but only 70/,
  ],
  [
    'header-truncated.npy',
    'data.truncated',
    /header-truncated\.npy, byte 40: truncated file: the \.npy header needs 118 bytes/,
  ],
  [
    'trailing.npy',
    'data.trailing-bytes',
    /trailing\.npy, byte 160: unexpected bytes after the end of the array data/,
  ],
  ['zero-rows.npy', 'data.empty', /zero-rows\.npy: no data rows; expected at least 2/],
  [
    'huge-shape.npy',
    'data.too-large',
    /huge-shape\.npy: loading needs about 372\.5 GiB of memory \(100,000,000 rows × 1,000 columns × 4 bytes, from the \.npy header\); the limit is 2\.0 GiB/,
  ],
  [
    'wrong-magic-idx3-ubyte',
    'data.bad-magic',
    /wrong-magic-idx3-ubyte, byte 0: wrong magic number 0x01020803; expected an IDX file/,
  ],
  [
    'bad-type-idx3-ubyte',
    'data.unsupported-dtype',
    /bad-type-idx3-ubyte, byte 2: unknown IDX type code 0x0a; expected 08 \(ubyte\)/,
  ],
  [
    'truncated-idx3-ubyte',
    'data.truncated',
    /truncated-idx3-ubyte, byte 26: truncated file: the shape \(3, 2, 2\) of unsigned byte needs 12 bytes but only 10/,
  ],
  [
    'truncated-images-idx3-ubyte.gz',
    'data.truncated',
    /truncated-images-idx3-ubyte\.gz: truncated gzip stream/,
  ],
  [
    'mismatch-images-idx3-ubyte.gz',
    'data.label-mismatch',
    /mismatch-images-idx3-ubyte\.gz: the labels in .*mismatch-labels-idx1-ubyte\.gz number 3 but the data has 4 rows/,
  ],
  [
    'mixed-sizes',
    'data.mixed-image-sizes',
    /mixed-sizes[/\\]b[/\\]img0\.png: this image is 5×3 but a[/\\]img0\.png is 4×3; expected one size/,
  ],
  [
    'corrupt-image',
    'data.bad-image',
    /corrupt-image[/\\]x[/\\]broken\.png: not a readable PNG or JPEG image/,
  ],
];

describe('malformed files: precise typed errors', () => {
  test('every file of the corpus has a case', () => {
    const covered = new Set(cases.map((c) => c[0]));
    const helpers = new Set(['labels-3.txt', 'mismatch-labels-idx1-ubyte.gz']);
    for (const f of readdirSync(BAD)) if (!helpers.has(f)) expect(covered, f).toContain(f);
  });

  test.each(cases)('%s → %s', async (file, code, message, options) => {
    const err = await loadDataset(join(BAD, file), options).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err, 'should fail').toBeInstanceOf(DataError);
    expect(isUserError(err)).toBe(true);
    expect((err as DataError).code).toBe(code);
    expect((err as DataError).message).toMatch(message);
    // The place is structured too, for the app's message.
    const named = code === 'data.not-a-file' && options?.labels ? options.labels : file.replace(/\/.*/, '');
    expect((err as DataError).where?.file).toContain(named.split(/[/\\]/).pop());
  });

  test('the memory limit is configurable and the figure is in the message', async () => {
    await expect(loadDataset('sample:digits', { maxBytes: 1e6 })).rejects.toThrow(
      /needs about 15\.0 MiB of memory \(5,000 rows × 784 columns × 4 bytes, from the IDX header\); the limit is 976\.6 KiB/,
    );
  });

  test('a bad option is a typed error too', async () => {
    await expect(
      loadDataset(join(ROOT, 'tests/fixtures/data/good/iris.csv'), { labelColumn: 'kind' }),
    ).rejects.toThrow(
      /iris\.csv: no column named "kind" for the label column; the header has "sepal length", "sepal width", "species"/,
    );
    await expect(
      loadDataset(join(ROOT, 'tests/fixtures/data/good/iris.csv'), { labelColumn: 9 }),
    ).rejects.toThrow(/label column index 9 is out of range: the file has 3 columns \(indices 0–2\)/);
  });
});
