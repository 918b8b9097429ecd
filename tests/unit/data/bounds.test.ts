/**
 * Bounded reading and no silent wrong data (issue #18): lines, fields and rows too long for the
 * memory limit are refused while they stream in (with the file, row, byte offset, figure, limit and
 * flag), gzip streams are capped while inflating, decimal commas are read (and said) or refused when
 * ambiguous, and invalid UTF-8 and duplicate column names become warnings. The limits scale with
 * the memory limit, so small limits keep these files small.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { loadDataset } from '../../../electron/data/load';
import { readLimits } from '../../../electron/data/limits';
import { isUtf8 } from 'node:buffer';
import { openBytes } from '../../../electron/data/source';
import { Utf8Check } from '../../../electron/data/text-guard';
import { createRng } from '../../../electron/engine/random';

let tmp: string;
beforeAll(() => (tmp = mkdtempSync(join(tmpdir(), 'bounds-'))));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function write(name: string, content: string | Uint8Array): string {
  const p = join(tmp, name);
  writeFileSync(p, content);
  return p;
}

const MiB = 2 ** 20;

/** A gzip file of `members` copies of one member inflating to `piece` repeated over 16 MiB. */
function bomb(name: string, piece: string, members: number): string {
  const member = gzipSync(Buffer.alloc(16 * MiB, piece), { level: 9 });
  return write(name, Buffer.concat(Array.from({ length: members }, () => member)));
}

describe('limits while reading', () => {
  // At 128 MiB: lines 1 MiB, fields 64 KiB, rows 32,768 fields.
  const maxBytes = 128 * MiB;

  test('a line past the limit is refused at its row and byte, before it is parsed', async () => {
    const field = 'x'.repeat(99);
    const line = Array.from({ length: 12_000 }, () => field).join(',');
    const p = write('long.csv', `a,b\n1,2\n${line}\n3,4\n`);
    await expect(loadDataset(p, { maxBytes })).rejects.toThrow(
      /long\.csv, row 3, byte 8: a line of more than 1\.\d MiB without a line end; the limit is 1\.0 MiB \(1\/128 of the memory limit of 128\.0 MiB: raise it with --max-memory\); expected lines of delimited text/,
    );
    // The limit grows with --max-memory.
    await expect(loadDataset(p, { maxBytes: 256 * MiB })).rejects.toThrow(/row 3: expected 2 fields/);
  });

  test('a wide row, and a wide header, are refused at the column limit', async () => {
    const wide = Array.from({ length: 40_000 }, () => '1').join(',');
    await expect(loadDataset(write('wide.csv', `a,b\n${wide}\n`), { maxBytes })).rejects.toThrow(
      /wide\.csv, row 2, byte 4: a row of 40,000 fields; the limit is 32,768 columns \(1\/4096 of the memory limit of 128\.0 MiB: raise it with --max-memory\)/,
    );
    const header = Array.from({ length: 40_000 }, (_, i) => `c${i}`).join(',');
    await expect(loadDataset(write('wide-header.csv', `${header}\n1,2\n`), { maxBytes })).rejects.toThrow(
      /wide-header\.csv, row 1, byte 0: a row of 40,000 fields; the limit is 32,768 columns/,
    );
    // Quoted fields take the character loop: the same limit.
    const quoted = Array.from({ length: 40_000 }, () => '"1"').join(',');
    await expect(loadDataset(write('wide-quoted.csv', `a,b\n${quoted}\n`), { maxBytes })).rejects.toThrow(
      /wide-quoted\.csv, row 2, byte 4: a row of more than 32,768 fields/,
    );
  });

  test('a field past the limit: unquoted, and a quote never closed', async () => {
    const p = write('field.csv', `a,b\n1,"${'y'.repeat(200_000)}`);
    await expect(loadDataset(p, { maxBytes })).rejects.toThrow(
      /field\.csv, row 2, byte 6: a quoted field of more than [\d,]+ characters; the limit is 65,536 characters \(1\/2048 of the memory limit of 128\.0 MiB: raise it with --max-memory\); expected a closing "/,
    );
  });

  test('a gzip bomb without line ends stops at the first line, not at 3 GiB', async () => {
    const p = bomb('bomb.csv.gz', '0,', 192); // 3 GiB inflated, 3 MB on disk
    await expect(loadDataset(p)).rejects.toThrow(
      /bomb\.csv\.gz, row 1, byte 0: a row of more than 524,288 fields; the limit is 524,288 columns/,
    );
  });

  test('a gzip bomb with line ends stops at the ratio limit', async () => {
    const p = bomb('lines.csv.gz', '0\n', 192);
    await expect(loadDataset(p)).rejects.toThrow(
      /lines\.csv\.gz, byte \d+: the gzip stream inflates 1,0\d\d:1 \(6\d\.\d MiB from [\d.]+ KiB\), past the limit of 1,000:1 \(raise it with --max-gzip-ratio\); this looks like a gzip bomb/,
    );
  });

  test('gzip caps hold while inflating: the size (8 × the memory limit) and the ratio', async () => {
    const p = bomb('sized.gz', '0\n', 6); // 96 MiB
    const drain = async (limits: ReturnType<typeof readLimits>) => {
      let n = 0;
      for await (const c of openBytes(p, true, limits).chunks) n += c.length;
      return n;
    };
    await expect(drain(readLimits(4 * MiB, 5000))).rejects.toThrow(
      /sized\.gz, byte \d+: the gzip stream inflates past 3\d\.\d MiB \(from [\d.]+ KiB\); the limit is 32\.0 MiB \(8 × the memory limit of 4\.0 MiB: raise it with --max-memory\)/,
    );
    await expect(drain(readLimits(2 ** 31))).rejects.toThrow(/past the limit of 1,000:1/);
    expect(await drain(readLimits(2 ** 31, 5000))).toBe(96 * MiB);
  });
});

test('a .npy header length of 4 GiB is refused before the header is read', async () => {
  const head = Buffer.alloc(12);
  Buffer.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 2, 0]).copy(head);
  head.writeUInt32LE(0xf0000000, 8);
  await expect(loadDataset(write('hdr.npy', Buffer.concat([head, Buffer.alloc(100)])))).rejects.toThrow(
    /hdr\.npy, byte 8: a \.npy header of 4,026,531,840 bytes; expected at most 1,048,576/,
  );
});

describe('decimal commas', () => {
  test('detected in a ;-delimited file: read as numbers, and said', async () => {
    const p = write('eu.csv', 'Länge;Breite;Art\n12,5;3,25;a\n-0,5;4;b\n7;,5;a\n');
    const ds = await loadDataset(p);
    expect([ds.rows, ds.dims]).toEqual([3, 4]);
    expect(Array.from(ds.data.subarray(0, 4))).toEqual([12.5, 3.25, 1, 0]);
    expect(Array.from(ds.data.subarray(8, 10))).toEqual([7, 0.5]);
    expect(ds.warnings).toEqual([
      'decimal commas detected ("12,5" in row 2, column 1): cells such as "12,5" were read as 12.5; pass --decimal . to read them as text',
    ]);
    // --decimal . reads them as text (one-hot), as asked: no warning then.
    const asText = await loadDataset(p, { decimal: '.' });
    expect(asText.dims).toBeGreaterThan(4);
    expect(asText.warnings).toBeUndefined();
  });

  test('a tab-delimited file, and an explicit --delimiter ;', async () => {
    const tsv = await loadDataset(write('eu.tsv', 'x\ty\n1,5\t2\n3\t4,75\n'));
    expect(Array.from(tsv.data)).toEqual([1.5, 2, 3, 4.75]);
    const semi = await loadDataset(write('eu2.txt', 'x;y\n1,5;2,5\n3,5;4,5\n'), { delimiter: ';' });
    expect(Array.from(semi.data)).toEqual([1.5, 2.5, 3.5, 4.5]);
    // Sniffed too: ";" splits every line into numbers, "," would not.
    expect(Array.from((await loadDataset(write('eu3.csv', 'x;y\n1,5;2,5\n3,5;4,5\n'))).data)).toEqual([
      1.5, 2.5, 3.5, 4.5,
    ]);
  });

  test('"1,000" could be a thousands separator: refused unless --decimal says', async () => {
    const p = write('amb.csv', 'x;y\n1,000;2\n12,500;3\n');
    await expect(loadDataset(p)).rejects.toThrow(
      /amb\.csv, row 2, column 1: cells such as "1,000" read as 1 with a decimal comma, or as 1000 with a thousands separator; pass --decimal , for the first/,
    );
    expect(Array.from((await loadDataset(p, { decimal: ',' })).data)).toEqual([1, 2, 12.5, 3]);
  });

  test('quoted decimal commas in a comma-delimited file: a hint, and --decimal , reads them', async () => {
    const p = write('q.csv', 'x,y\n"12,5",1\n"3,5",2\n"4,25",3\n');
    const ds = await loadDataset(p);
    expect(ds.categorical?.[0]?.levels).toEqual(['12,5', '3,5', '4,25']);
    expect(ds.warnings?.[0]).toMatch(
      /column 1 \("x"\) holds text such as "12,5" \(row 2\), one-hot encoded into 3 columns: if these are numbers with a decimal comma, pass --decimal ,/,
    );
    expect(Array.from((await loadDataset(p, { decimal: ',' })).data)).toEqual([12.5, 1, 3.5, 2, 4.25, 3]);
    // Past the first chunk, where the detection looked: a plain number column with a stray "7,5".
    const rows = Array.from({ length: 200_000 }, (_, i) => `${i};1`).join('\n');
    const mostly = write('m.csv', `x;y\n${rows}\n7,5;1\n`);
    await expect(loadDataset(mostly)).rejects.toThrow(
      /m\.csv, row 200002, column 1 \("x"\): expected a number, got "7,5" \(a number with a decimal comma\? pass --decimal , to read it as one\)/,
    );
  });
});

describe('warnings for what is read but doubted', () => {
  test('invalid UTF-8 in the header names the byte and the column; in a cell, the row', async () => {
    const head = write(
      'bad-head.csv',
      Buffer.concat([Buffer.from('caf'), Buffer.from([0xe9]), Buffer.from(',b\n1,2\n3,4\n')]),
    );
    const ds = await loadDataset(head);
    expect(ds.featureNames).toEqual(['caf\uFFFD', 'b']);
    expect(ds.warnings).toEqual([
      'invalid UTF-8 at byte 3 (row 1, in the header: column name "caf\uFFFD"): read as U+FFFD (\uFFFD); expected UTF-8 text (re-save the file as UTF-8)',
    ]);
    const cells = Buffer.concat([
      Buffer.from('x,c\n1,ok\n2,'),
      Buffer.from([0xc3, 0x28]),
      Buffer.from('\n3,ok\n4,\xff\n', 'latin1'),
    ]);
    expect((await loadDataset(write('bad-cell.csv', cells))).warnings).toEqual([
      'invalid UTF-8 at byte 11 (row 3) and 1 more place: read as U+FFFD (\uFFFD); expected UTF-8 text (re-save the file as UTF-8)',
    ]);
    // Valid UTF-8 across chunk boundaries is no problem.
    const ok = Buffer.from('é'.repeat(600_000) + ',b\n1,2\n3,4\n');
    expect((await loadDataset(write('ok.csv', ok), { categorical: [] })).warnings).toBeUndefined();
  });

  test('invalid UTF-8 in JSON: the byte and the line', async () => {
    const p = write(
      'bad.json',
      Buffer.concat([
        Buffer.from('{"data": [[1], [2]],\n "labels": ["a'),
        Buffer.from([0xff]),
        Buffer.from('", "b"]}'),
      ]),
    );
    const ds = await loadDataset(p);
    expect(ds.labelNames).toEqual(['a\uFFFD', 'b']);
    expect(ds.warnings).toEqual([
      'invalid UTF-8 at byte 35 (line 2): read as U+FFFD (\uFFFD); expected UTF-8 text (re-save the file as UTF-8)',
    ]);
  });

  test('duplicate column names say which', async () => {
    const ds = await loadDataset(write('dup.csv', 'x,y,x,z,y,x\n1,2,3,4,5,6\n7,8,9,10,11,12\n'), {
      labelColumn: 'y',
    });
    expect(ds.warnings).toEqual([
      'duplicate column names: "x" (columns 1, 3, 6), "y" (columns 2, 5); a column given by name (--label-column, --categorical) is the first of them',
    ]);
    expect(ds.labelNames).toEqual(['2', '8']);
  });
});

test('JSON: keys it does not use are skipped, not kept', async () => {
  // JSON.parse of this would hold 2 million objects; the stream keeps two rows.
  const pad = '{},'.repeat(2_000_000);
  const p = write('pad.json', `{"data": [[1, 2], [3, 4]], "notes": [${pad}{}], "labels": ["a", "b"]}`);
  const ds = await loadDataset(p, { maxBytes: MiB });
  expect([ds.rows, ds.dims, ds.labelNames]).toEqual([2, 2, ['a', 'b']]);
  // A first record without values is refused at once.
  await expect(loadDataset(write('empty-rec.json', `[${pad}{}]`))).rejects.toThrow(
    /empty-rec\.json: no columns of data; expected at least one/,
  );
});

test('the UTF-8 check: the same verdict as buffer.isUtf8, and the same first place, however chunked', () => {
  const rng = createRng(3);
  const atoms = [
    [0x61],
    [0x0a],
    [0xc3, 0xa9],
    [0xe2, 0x82, 0xac],
    [0xf0, 0x9f, 0x98, 0x80],
    [0xff],
    [0xc3],
    [0xed, 0xa0, 0x80],
    [0x80],
  ];
  for (let t = 0; t < 500; t++) {
    const bytes = Uint8Array.from(
      Array.from({ length: 1 + rng.int(40) }, () => atoms[rng.int(t % 2 ? atoms.length : 5)]!).flat(),
    );
    const run = (cut: () => number, native: boolean) => {
      let line = 1;
      const u = new Utf8Check(() => line, native ? (b) => isUtf8(b) : undefined);
      for (let i = 0; i < bytes.length;) {
        const c = bytes.subarray(i, i + cut());
        u.check(
          c,
          c.every((b) => b < 0x80),
        );
        line += c.filter((b) => b === 0x0a).length;
        i += c.length;
      }
      u.end();
      return u.problem;
    };
    const whole = run(() => bytes.length, false);
    expect(whole === undefined, `${t}`).toBe(isUtf8(bytes));
    expect(run(() => 1 + rng.int(5), true)).toEqual(whole);
    expect(run(() => 1 + rng.int(5), false)).toEqual(whole);
  }
});

test('labels files are streamed: CRLF, a BOM and blank lines at the end; a JSON that is no array', async () => {
  const data = write('three.csv', '1,2\n3,4\n5,6\n');
  const ds = await loadDataset(data, { labels: write('l.txt', '\uFEFFkind\r\n2\r\n1\r\n2\r\n\r\n\r\n') });
  expect([ds.labelNames, Array.from(ds.labels!)]).toEqual([
    ['1', '2'],
    [1, 0, 1],
  ]);
  await expect(loadDataset(data, { labels: write('l.json', '{"a": 1}') })).rejects.toThrow(
    /l\.json: expected a JSON array of labels/,
  );
  await expect(loadDataset(data, { labels: write('n.json', '[1, [2], 3]') })).rejects.toThrow(
    /n\.json, labels\[1\]: expected a label \(a number or a non-empty string\), got an array/,
  );
});
