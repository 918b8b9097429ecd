/**
 * `manifold-explorer import --codes FILE.npy --run DIR`: codes trained elsewhere (train.py of an
 * exported package, or any rows × k float32 array) replace the run's codes.npy, so `analyze`, the
 * app's views and retrieval use them. The layout is checked first (export/codes-file.ts); nothing
 * is changed on a refusal. The explorer's own codes are kept once as codes.explorer.npy, and
 * run.json records where the codes came from (file, sha256, when).
 */
import { createHash } from 'node:crypto';
import { copyFile, readFile, rename, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import type { Command } from 'commander';
import { UserError } from '../../shared/errors';
import { checkCodesNpy } from '../../export/codes-file';
import { CODES_FILE, readRunJson, RUN_FILE } from '../../export/run-dir';
import { encodeNpy } from '../../data/npy';
import { LOCK_FILE } from '../out-dir';
import { interrupts } from '../interrupt';

export const EXPLORER_CODES_FILE = 'codes.explorer.npy';

interface ImportCliOptions {
  codes: string;
  run: string;
}

/** Write beside the target, then rename: a reader sees the old file or the new one, never half. */
async function atomicWrite(path: string, content: Uint8Array | string): Promise<void> {
  const tmp = join(resolve(path, '..'), `.${basename(path)}.${process.pid}.tmp`);
  await writeFile(tmp, content);
  await rename(tmp, path);
}

export async function importCodes(o: ImportCliOptions): Promise<{ rows: number; k: number; dir: string }> {
  const dir = resolve(o.run);
  interrupts.doing('reading the run');
  if (existsSync(join(dir, LOCK_FILE)))
    throw new UserError('busy', 'another command is writing this run; import once it has finished', {
      file: join(dir, LOCK_FILE),
    });
  const run = await readRunJson(dir);
  const config = run.config as { latent?: unknown; family?: unknown } | undefined;
  const k = config?.latent;
  if (!Number.isInteger(k))
    throw new UserError('bad-run', 'run.json has no config.latent (the code size k)', {
      file: join(dir, RUN_FILE),
    });
  const rows = run.dataset.rows;
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await readFile(o.codes));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT')
      throw new UserError('missing-file', 'no such file; expected a codes .npy', { file: o.codes });
    if (code === 'EISDIR')
      throw new UserError('not-a-file', 'a folder; expected a codes .npy file', { file: o.codes });
    throw e;
  }
  const codes = checkCodesNpy(bytes, o.codes, { rows, k: k as number, binary: config?.family === 'hashing' });
  interrupts.doing(`writing the codes into ${dir}`);
  const target = join(dir, CODES_FILE);
  const keep = join(dir, EXPLORER_CODES_FILE);
  if (existsSync(target) && !existsSync(keep)) await copyFile(target, keep);
  await atomicWrite(target, encodeNpy(codes, [rows, k as number]));
  const imported = {
    file: resolve(o.codes),
    sha256: createHash('sha256').update(bytes).digest('hex'),
    importedAt: new Date().toISOString(),
    ...(existsSync(keep) ? { explorerCodes: EXPLORER_CODES_FILE } : {}),
  };
  await atomicWrite(join(dir, RUN_FILE), JSON.stringify({ ...run, importedCodes: imported }, null, 2) + '\n');
  return { rows, k: k as number, dir };
}

export function registerImport(
  program: Command,
  io: { out: (s: string) => void; err: (s: string) => void },
): void {
  program
    .command('import')
    .description("replace a run's codes.npy with codes trained elsewhere (rows × k float32, checked first)")
    .requiredOption(
      '--codes <file.npy>',
      'rows × k float32 codes, input row order (e.g. train.py’s trained/codes.npy)',
    )
    .requiredOption('--run <dir>', 'a folder written by `manifold-explorer train --out`')
    .action(async (o: ImportCliOptions) => {
      const r = await importCodes(o);
      io.out(
        `imported ${r.rows} × ${r.k} codes into ${join(r.dir, CODES_FILE)} (the explorer's own kept as ${EXPLORER_CODES_FILE})\n`,
      );
    });
}
