/**
 * Options that defeat the family are warned about before training, one `warning:` line each, and
 * the run still trains (only what cannot run is refused): a flag the family ignores, a code no
 * smaller than the input.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../helpers/cli';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'me-warn-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test('an ignored flag and k ≥ d: warned before the first epoch, then trained', async () => {
  const r = await runCli([
    'train',
    '--data',
    'sample:helix?rows=200',
    '--model',
    'undercomplete',
    '--latent',
    '3',
    '--lambda',
    '0.5',
    '--epochs',
    '2',
    '--backend',
    'cpu',
    '--out',
    join(dir, 'run'),
  ]);
  expect(r.status, r.stderr).toBe(0);
  const lines = r.stderr.trim().split('\n');
  const firstEpoch = lines.findIndex((l) => /^epoch 1 /.test(l));
  const ignored = lines.findIndex((l) =>
    /^warning: --lambda applies to sparse, contractive, vae, psd, not undercomplete; ignored$/.test(l),
  );
  const copy = lines.findIndex((l) =>
    /^warning: The code \(k = 3\) is not smaller than the input \(d = 3\)/.test(l),
  );
  expect(ignored).toBeGreaterThanOrEqual(0);
  expect(copy).toBeGreaterThanOrEqual(0);
  expect(copy).toBeLessThan(firstEpoch);
});

test('a value the schema would refuse for another family is ignored with the flag, not refused', async () => {
  // Found by the options fuzz: `--output-variance learned` refused an undercomplete run outright.
  const r = await runCli([
    'train',
    '--data',
    'sample:helix?rows=80',
    '--model',
    'undercomplete',
    '--output-variance',
    'learned',
    '--epochs',
    '1',
    '--backend',
    'cpu',
    '--quiet',
    '--out',
    join(dir, 'run-variance'),
  ]);
  expect(r.status, r.stderr).toBe(0);
  expect(r.stderr).toMatch(/^warning: --output-variance applies to vae, not undercomplete; ignored$/m);
  expect(r.stderr).not.toMatch(/^error:/m);
  // Hidden layers given to the linear family (which has none): ignored the same way.
  const lin = await runCli([
    'train',
    '--data',
    'sample:helix?rows=80',
    '--model',
    'linear',
    '--hidden',
    '4',
    '--epochs',
    '1',
    '--backend',
    'cpu',
    '--quiet',
    '--out',
    join(dir, 'run-linear-hidden'),
  ]);
  expect(lin.status, lin.stderr).toBe(0);
  expect(lin.stderr).toMatch(/^warning: --hidden applies to .*, not linear; ignored$/m);
});
