/**
 * The built command line on hostile files (issue #18), with the default 2 GiB memory limit and a
 * V8 heap of 512 MiB (the old loaders needed 1.5–3.8 GB here and died or took minutes): a 50 MB
 * line, a 3 GiB gzip bomb and a JSON full of objects end within 10 s with exit status 2 and exactly
 * one `error:` line, or load. Warnings print as `warning:` lines (datasets inspect, train).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { runCli } from '../../helpers/cli';

let tmp: string;
beforeAll(() => (tmp = mkdtempSync(join(tmpdir(), 'bounds-cli-'))));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const MiB = 2 ** 20;
const HEAP = { NODE_OPTIONS: '--max-old-space-size=512' };

function write(name: string, content: string | Uint8Array): string {
  const p = join(tmp, name);
  writeFileSync(p, content);
  return p;
}

/** Refused: status 2, one line on stderr, within 10 s (the runner kills it then: status null). */
async function refused(args: string[]): Promise<string> {
  const r = await runCli(args, { env: HEAP, timeoutMs: 10_000 });
  expect(r.status, r.stderr).toBe(2);
  const lines = r.stderr.trimEnd().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^error: /);
  return lines[0]!;
}

test.each([
  ['numbers', '0.5,', /long-numbers\.csv, row 1, byte 0: a row of more than 524,288 fields/],
  [
    'long fields',
    '0.1234567890123456789012345678901234567890,',
    /long-long fields\.csv, row 1, byte 0: a line of more than 1\d\.\d MiB without a line end; the limit is 16\.0 MiB \(1\/128 of the memory limit of 2\.0 GiB: raise it with --max-memory\)/,
  ],
  [
    'one field',
    'x',
    /long-one field\.csv, row 2, byte 2: a field of more than [\d,]+ characters; the limit is 1,048,576/,
  ],
])('a 50 MB line of %s: exit 2 with one error line', async (what, piece, message) => {
  const body = Buffer.alloc(50_000_000, piece);
  const p = write(
    `long-${what}.csv`,
    what === 'one field' ? Buffer.concat([Buffer.from('a\n'), body]) : body,
  );
  expect(await refused(['datasets', 'inspect', p])).toMatch(message);
});

test('a 3 GiB gzip bomb (3 MB on disk): exit 2 with one error line', async () => {
  const member = gzipSync(Buffer.alloc(16 * MiB, '0,'), { level: 9 });
  const p = write('bomb.csv.gz', Buffer.concat(Array.from({ length: 192 }, () => member)));
  expect(await refused(['datasets', 'inspect', p])).toMatch(
    /bomb\.csv\.gz, row 1, byte 0: a row of more than/,
  );
  const lines = gzipSync(Buffer.alloc(16 * MiB, '0\n'), { level: 9 });
  const q = write('lines.csv.gz', Buffer.concat(Array.from({ length: 192 }, () => lines)));
  expect(await refused(['datasets', 'inspect', q])).toMatch(
    /lines\.csv\.gz, byte \d+: the gzip stream inflates 1,0\d\d:1/,
  );
});

test('a JSON with 20 million objects beside its two rows loads in a 512 MiB heap', async () => {
  const p = write('objects.json', `{"data": [[1, 2], [3, 4]], "pad": [${'{},'.repeat(20_000_000)}{}]}`);
  const r = await runCli(['datasets', 'inspect', p, '--json'], { env: HEAP, timeoutMs: 60_000 });
  expect(r.status, r.stderr).toBe(0);
  expect(JSON.parse(r.stdout)).toMatchObject({ rows: 2, dims: 2 });
});

test('warnings print as warning: lines; bad --decimal and --max-gzip-ratio values are refused', async () => {
  const p = write(
    'eu.csv',
    `x;y;z\n${Array.from({ length: 40 }, (_, i) => `${i},5;${i % 3};${i % 5},25`).join('\n')}\n`,
  );
  const r = await runCli(['datasets', 'inspect', p, '--json']);
  expect(r.status).toBe(0);
  expect(r.stderr).toBe(
    'warning: decimal commas detected ("0,5" in row 2, column 1): cells such as "0,5" were read as 0.5; pass --decimal . to read them as text\n',
  );
  expect(JSON.parse(r.stdout)).toMatchObject({
    rows: 40,
    dims: 3,
    warnings: [expect.stringMatching(/^decimal commas/)],
  });
  const train = await runCli([
    'train',
    '--data',
    p,
    '--model',
    'linear',
    '--epochs',
    '1',
    '--quiet',
    '--out',
    join(tmp, 'run'),
  ]);
  expect(train.status, train.stderr).toBe(0);
  expect(train.stderr).toMatch(/^warning: decimal commas detected \("0,5" in row 2, column 1\)/m);
  expect(await refused(['datasets', 'inspect', p, '--decimal', ';'])).toBe(
    'error: --decimal: expected "." or ",", got ";"',
  );
  expect(await refused(['datasets', 'inspect', p, '--max-gzip-ratio', '0'])).toBe(
    'error: --max-gzip-ratio: expected a number ≥ 1, got "0"',
  );
});
