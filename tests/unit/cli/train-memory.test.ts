/**
 * `train` refuses a model that cannot fit before anything is trained (engine/memory-check.ts):
 * exit status 2, one `error:` line with the estimate, the limit and the flag, and --out untouched.
 * Before this check, `--hidden 65536,65536` ran 107 s, grew to 16.9 GB and ended with
 * "error: internal: Invalid typed array length: 17179869184". How fast the refusal is gets
 * measured (printed), not asserted; the time limit below is only a guard against a run that trains.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../helpers/cli';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'me-train-memory-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function refused(args: string[]) {
  const out = join(dir, `run-${Math.random().toString(36).slice(2)}`);
  const t0 = performance.now();
  const r = await runCli(
    ['train', '--data', 'sample:swiss-roll', '--model', 'undercomplete', ...args, '--out', out],
    {
      timeoutMs: 30_000,
    },
  );
  console.log(`${args.join(' ')}: exit ${r.status} after ${((performance.now() - t0) / 1000).toFixed(2)} s`);
  expect(r.status).toBe(2);
  const lines = r.stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^error: training /);
  // Refused before the backend was chosen or an epoch ran; nothing written.
  expect(r.stderr).not.toMatch(/epoch|calibration/);
  expect(existsSync(out)).toBe(false);
  return lines[0]!;
}

test('wide hidden layers: the estimate, the limit and the flag that raises it', async () => {
  const line = await refused(['--hidden', '16384,16384', '--backend', 'cpu', '-q']);
  expect(line).toMatch(/^error: training needs about 1\d\.\d GiB of memory \(training, update: /);
  expect(line).toMatch(
    /the limit is 8\.0 GiB \(4 × the memory limit of 2\.0 GiB: raise it with --max-memory/,
  );
});

test('--max-memory sets the limit (4 × it)', async () => {
  const line = await refused(['--max-memory', '16M']);
  expect(line).toMatch(
    /the limit is 64\.0 MiB \(4 × the memory limit of 16\.0 MiB: raise it with --max-memory/,
  );
});

test('a weight no backend can hold, as the run that once took 107 s asked for', async () => {
  const line = await refused(['--hidden', '65536,65536']);
  expect(line).toBe(
    'error: training cannot allocate weights.bin (32.0 GiB): it is written from one byte array, and a JavaScript typed array holds at most 4.0 GiB of bytes; choose a smaller model',
  );
});

test('wasm: past its 4 GiB heap, with the backend to choose instead', async () => {
  const line = await refused(['--hidden', '8192,8192', '--backend', 'wasm']);
  expect(line).toMatch(
    /WebAssembly heap of at most 4\.0 GiB .*; choose --backend cpu, or a smaller model or batch size$/,
  );
});
