/**
 * `import` and `export` refuse bad input as every command does: exit status 2, exactly one
 * `error:` line on stderr naming the file and what was expected, and nothing changed — the run's
 * codes.npy and run.json stay byte for byte, no --out folder appears. And a good import keeps the
 * explorer's own codes as codes.explorer.npy and records where the new ones came from.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../helpers/cli';
import { encodeNpy } from '../../../electron/data/npy';
import { encodeNpyHeader } from '../../../electron/data/npy-header';
import { cli } from './helpers';

let dir: string;
let runDir: string;
let hashRun: string;
const ROWS = 60;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'me-export-cli-'));
  runDir = join(dir, 'run');
  hashRun = join(dir, 'hash');
  const common = ['--data', `sample:helix?rows=${ROWS}`, '--epochs', '1', '--backend', 'cpu', '--quiet'];
  await cli(['train', ...common, '--model', 'undercomplete', '--latent', '2', '--out', runDir]);
  await cli(['train', ...common, '--model', 'hashing', '--latent', '3', '--out', hashRun]);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, bytes: Uint8Array): string {
  const p = join(dir, name);
  writeFileSync(p, bytes);
  return p;
}

/** A .npy with an arbitrary descr and shape over the given bytes. */
function npy(descr: string, shape: number[], body: Uint8Array): Uint8Array {
  const h = encodeNpyHeader(descr, shape);
  const out = new Uint8Array(h.length + body.length);
  out.set(h);
  out.set(body, h.length);
  return out;
}

async function refused(args: string[], pattern: RegExp, run = runDir): Promise<void> {
  const before = ['codes.npy', 'run.json'].map((f) => readFileSync(join(run, f)));
  const r = await runCli(args);
  expect(r.status, r.stderr).toBe(2);
  const lines = r.stderr.trim().split('\n');
  expect(lines, r.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(/^error: /);
  expect(lines[0]).toMatch(pattern);
  ['codes.npy', 'run.json'].forEach((f, i) =>
    expect(readFileSync(join(run, f)).equals(before[i]!)).toBe(true),
  );
  expect(existsSync(join(run, 'codes.explorer.npy'))).toBe(false);
}

describe('manifold-explorer import --codes', () => {
  const good = () => Float32Array.from({ length: ROWS * 2 }, (_, i) => Math.sin(i));

  test.each([
    [
      'float64 codes',
      () => npy('<f8', [ROWS, 2], new Uint8Array(ROWS * 2 * 8)),
      /f8.*expected float32 codes of shape \(60, 2\)/,
    ],
    [
      'the wrong number of rows',
      () => encodeNpy(new Float32Array(59 * 2), [59, 2]),
      /shape \(59, 2\); expected float32 codes of shape \(60, 2\)/,
    ],
    ['the wrong k', () => encodeNpy(new Float32Array(ROWS * 3), [ROWS, 3]), /shape \(60, 3\)/],
    ['one dimension', () => encodeNpy(new Float32Array(ROWS * 2), [ROWS * 2]), /shape \(120\)/],
    [
      'a truncated body',
      () => encodeNpy(good(), [ROWS, 2]).subarray(0, 300),
      /data bytes; the header's shape needs 480/,
    ],
    ['not a .npy', () => new TextEncoder().encode('a,b\n1,2\n'), /not a NumPy \.npy file/],
    [
      'a NaN',
      () => {
        const c = good();
        c[2 * 7 + 1] = NaN;
        return encodeNpy(c, [ROWS, 2]);
      },
      /row 8, column 2: NaN; expected finite codes/,
    ],
  ])('refuses %s with one error line, changing nothing', async (name, bytes, pattern) => {
    const f = file(`${name.replace(/\W+/g, '-')}.npy`, bytes());
    await refused(
      ['import', '--codes', f, '--run', runDir],
      new RegExp(`${f.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}.*`),
    );
    await refused(['import', '--codes', f, '--run', runDir], pattern);
  });

  test('a hashing run takes only 0/1 bits', async () => {
    const c = new Float32Array(ROWS * 3);
    c[4] = 0.75;
    const f = file('soft-bits.npy', encodeNpy(c, [ROWS, 3]));
    await refused(
      ['import', '--codes', f, '--run', hashRun],
      /row 2, column 2: 0\.75; a hashing run.s codes are bits, 0 or 1/,
      hashRun,
    );
  });

  test('a missing file, and a folder that is no run', async () => {
    await refused(['import', '--codes', join(dir, 'nope.npy'), '--run', runDir], /nope\.npy: no such file/);
    const f = file('ok.npy', encodeNpy(good(), [ROWS, 2]));
    const r = await runCli(['import', '--codes', f, '--run', dir]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^error: .*run\.json: no run\.json here/);
  });

  test('Fortran order is read as such; the explorer codes are kept once; run.json records the import', async () => {
    const c = good(); // row-major rows × 2
    const fortran = new Float32Array(c.length);
    for (let r = 0; r < ROWS; r++) for (let j = 0; j < 2; j++) fortran[j * ROWS + r] = c[r * 2 + j]!;
    // The same header with fortran_order True ("True " keeps its length and the 64-byte alignment).
    const header = Buffer.from(encodeNpyHeader('<f4', [ROWS, 2]))
      .toString('latin1')
      .replace("'fortran_order': False", "'fortran_order': True ");
    const f = file(
      'fortran.npy',
      Buffer.concat([Buffer.from(header, 'latin1'), Buffer.from(fortran.buffer)]),
    );
    const original = readFileSync(join(runDir, 'codes.npy'));
    await cli(['import', '--codes', f, '--run', runDir]);
    expect(readFileSync(join(runDir, 'codes.explorer.npy')).equals(original)).toBe(true);
    expect(readFileSync(join(runDir, 'codes.npy')).equals(Buffer.from(encodeNpy(c, [ROWS, 2])))).toBe(true);
    const rec = JSON.parse(readFileSync(join(runDir, 'run.json'), 'utf8')).importedCodes;
    expect(rec).toMatchObject({ file: f, explorerCodes: 'codes.explorer.npy' });
    expect(rec.sha256).toMatch(/^[0-9a-f]{64}$/);
    // A second import replaces codes.npy but never the explorer's own copy.
    await cli([
      'import',
      '--codes',
      file('again.npy', encodeNpy(new Float32Array(ROWS * 2), [ROWS, 2])),
      '--run',
      runDir,
    ]);
    expect(readFileSync(join(runDir, 'codes.explorer.npy')).equals(original)).toBe(true);
  });
});

describe('manifold-explorer export', () => {
  test('a folder without run.json, a damaged model and a bad format: exit 2, no --out left', async () => {
    const out = join(dir, 'pkg');
    let r = await runCli(['export', '--run', dir, '--out', out]);
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^error: .*run\.json: no run\.json here/);
    expect(existsSync(out)).toBe(false);

    const broken = join(dir, 'broken');
    await cli([
      'train',
      '--data',
      `sample:helix?rows=${ROWS}`,
      '--model',
      'linear',
      '--epochs',
      '1',
      '--backend',
      'cpu',
      '--quiet',
      '--out',
      broken,
    ]);
    writeFileSync(join(broken, 'model', 'weights.bin'), new Uint8Array(3));
    r = await runCli(['export', '--run', broken, '--out', out]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^error: .*weights\.bin: holds 3 bytes; the manifest expects \d+/);
    expect(existsSync(out)).toBe(false);

    r = await runCli(['export', '--run', runDir, '--format', 'tflite', '--out', out]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^error: .*tflite.*pytorch, onnx/);
    expect(existsSync(out)).toBe(false);
  });
});
