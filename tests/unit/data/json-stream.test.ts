/**
 * The streaming JSON tokenizer against JSON.parse: the same values from random documents however
 * the text is cut into pieces, the same verdict (valid or not) on mutated text, and strings and
 * nesting capped. The JSON loader built on it reads the shapes it always did.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  JsonTokenizer,
  parseJsonNumber,
  type JsonHandler,
  type JsonScalar,
} from '../../../electron/data/json-stream';
import { readLimits } from '../../../electron/data/limits';
import { loadDataset } from '../../../electron/data/load';
import { createRng } from '../../../electron/engine/random';

let tmp: string;
beforeAll(() => (tmp = mkdtempSync(join(tmpdir(), 'json-stream-'))));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** Rebuilds the value from the events. */
function collector(): JsonHandler & { result(): unknown } {
  const stack: unknown[][] = [];
  const keys: (string | undefined)[] = [];
  let root: unknown;
  const put = (v: unknown) => {
    if (stack.length === 0) return void (root = v);
    const top = stack[stack.length - 1]! as unknown;
    if (Array.isArray(top) && keys[keys.length - 1] === undefined) (top as unknown[]).push(v);
    else (top as unknown as Record<string, unknown>)[keys[keys.length - 1]!] = v;
  };
  return {
    openArray: () => {
      const a: unknown[] = [];
      put(a);
      stack.push(a);
      keys.push(undefined);
    },
    openObject: () => {
      const o = {} as unknown as unknown[];
      put(o);
      stack.push(o);
      keys.push('');
    },
    close: () => {
      stack.pop();
      keys.pop();
    },
    key: (k) => (keys[keys.length - 1] = k),
    value: (v: JsonScalar) => put(v),
    result: () => root,
  };
}

function parse(text: string, cut: (n: number) => number): unknown {
  const h = collector();
  const t = new JsonTokenizer(h, 'x.json', readLimits(2 ** 31));
  for (let i = 0; i < text.length;) {
    const n = cut(text.length - i);
    t.feed(text.slice(i, i + n));
    i += n;
  }
  t.end();
  return h.result();
}

function randomValue(rng: ReturnType<typeof createRng>, depth: number): unknown {
  const k = rng.int(depth > 3 ? 5 : 7);
  if (k === 0) return rng.int(2) ? null : rng.int(2) === 1;
  if (k === 1) return ['', 'a', 'é"\\/\n\t\u0001', '\ud83d\ude00', 'x y'][rng.int(5)];
  if (k <= 4)
    return (
      [0, -0.5, 1e-7, 123456789012345680, 3.14159, -12, 1.5e300, 0.1 + 0.2][rng.int(8)]! *
      (rng.int(2) ? 1 : -1)
    );
  if (k === 5) return Array.from({ length: rng.int(5) }, () => randomValue(rng, depth + 1));
  return Object.fromEntries(
    Array.from({ length: rng.int(4) }, (_, i) => [`k${i}`, randomValue(rng, depth + 1)]),
  );
}

test('the same values as JSON.parse, whatever the pieces', () => {
  const rng = createRng(7);
  for (let t = 0; t < 300; t++) {
    const text = JSON.stringify(randomValue(rng, 0), null, t % 3 === 0 ? 2 : undefined);
    const whole = parse(text, (n) => n);
    const pieces = parse(text, (n) => Math.min(n, 1 + rng.int(7)));
    expect(whole).toEqual(JSON.parse(text));
    expect(pieces).toEqual(whole);
  }
});

test('valid exactly when JSON.parse says so', () => {
  const rng = createRng(11);
  const atoms = [
    '[',
    ']',
    '{',
    '}',
    ',',
    ':',
    '"a"',
    '1',
    '-',
    '.',
    'e',
    '0',
    'true',
    'nul',
    ' ',
    '"\\x"',
    '01',
    '"',
  ];
  let valid = 0;
  for (let t = 0; t < 2000; t++) {
    let s = '';
    for (let i = 0, n = 1 + rng.int(8); i < n; i++) s += atoms[rng.int(atoms.length)];
    let expected = true;
    try {
      JSON.parse(s);
    } catch {
      expected = false;
    }
    let got = true;
    try {
      parse(s, (n) => Math.min(n, 1 + rng.int(3)));
    } catch {
      got = false;
    }
    expect(got, JSON.stringify(s)).toBe(expected);
    if (expected) valid++;
  }
  expect(valid).toBeGreaterThan(50);
});

test('numbers: the JSON grammar, and exact values', () => {
  for (const s of ['0', '-0', '12', '1.5', '-0.25', '1e5', '1E-5', '2.5e+3', '123456789.123456789', '0.1'])
    expect(parseJsonNumber(s, 0, s.length), s).toBe(Number(s));
  for (const s of ['01', '1.', '.5', '+1', '-', '1e', '1e+', '--1', '1.2.3', '0x10'])
    expect(parseJsonNumber(s, 0, s.length), s).toBeUndefined();
});

test('a string past the field limit and nesting past 64 levels are refused', () => {
  const limits = readLimits(64 * 2 ** 20); // field limit: 64 KiB
  const t = new JsonTokenizer(collector(), 'big.json', limits);
  expect(() => t.feed('["' + 'x'.repeat(70_000))).toThrow(
    /big\.json, row 1, column 2: a string of more than 65,\d{3} characters; the limit is 65,536 characters/,
  );
  expect(() => parse('['.repeat(65) + ']'.repeat(65), (n) => n)).toThrow(/nested more than 64 levels deep/);
});

test('the loader: rows, one column, records, {data, labels, labelNames}, skipped keys', async () => {
  const write = (name: string, text: string) => {
    const p = join(tmp, name);
    writeFileSync(p, text);
    return p;
  };
  const obj = await loadDataset(
    write(
      'o.json',
      '{"meta": {"data": [1]}, "data": [[1, 2], [3, 4], [5, 6]], "labels": [0, 1, 0], "labelNames": ["cat", "dog"]}',
    ),
  );
  expect([obj.rows, obj.dims, Array.from(obj.data)]).toEqual([3, 2, [1, 2, 3, 4, 5, 6]]);
  expect(obj.labelNames).toEqual(['cat', 'dog']);
  expect(Array.from(obj.labels!)).toEqual([0, 1, 0]);
  const mixed = await loadDataset(write('m.json', '[1, [2], null, 4]'), { missing: 'mean' });
  expect(Array.from(mixed.data)).toEqual([1, 2, 7 / 3, 4].map(Math.fround));
  const rec = await loadDataset(write('r.json', '[{"x": 1, "k": "a", "y": 2}, {"y": 4, "k": 7, "x": 3}]'), {
    labelColumn: -2,
  });
  expect(rec.featureNames).toEqual(['x', 'y']);
  expect(Array.from(rec.data)).toEqual([1, 2, 3, 4]);
  expect(rec.labelNames).toEqual(['7', 'a']);
  await expect(loadDataset(write('n.json', '[[1, [2]], [3, 4]]'))).rejects.toThrow(
    /n\.json, row 1, column 2, element \[0\]\[1\]: expected a number, got an array/,
  );
  await expect(loadDataset(write('k.json', '[{"x": 1}, {"x": 2, "z": 3}]'))).rejects.toThrow(
    /k\.json, row 2, element \[1\]: expected the keys x \(as in the first record\), got x, z/,
  );
  await expect(loadDataset(write('w.json', '[[1, 2], [3, 4, 5, 6]]'))).rejects.toThrow(
    /w\.json, row 2, element \[1\]: expected 2 values \(as in the first row\), found more/,
  );
  await expect(loadDataset(write('t.json', '[[1, 2], [3, 4]] [5]'))).rejects.toThrow(
    /t\.json, row 1, column 18: not valid JSON \(unexpected "\["; expected nothing after the end of the JSON value\)/,
  );
  await expect(loadDataset(write('d.json', '{"data": [[1], [2]], "data": [[3], [4]]}'))).rejects.toThrow(
    /d\.json, data: "data" appears twice/,
  );
});
