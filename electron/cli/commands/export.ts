/**
 * `manifold-explorer export --run DIR --format pytorch|onnx --out PKG`: hands a trained run to
 * PyTorch (a Python package: model.py, loss.py, train.py for torchrun, weights.safetensors,
 * config.json, README.md; electron/export/pytorch.ts) or to ONNX runtimes (encoder.onnx and
 * decoder.onnx, inference only; electron/export/onnx.ts). PKG is claimed and written as train
 * writes --out (out-dir.ts): refused at once if busy or holding others' files, moved in at the end.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { Option, type Command } from 'commander';
import { readRunDir } from '../../export/run-dir';
import { pytorchPackage } from '../../export/pytorch';
import { onnxFiles } from '../../export/onnx';
import { claimOut } from '../out-dir';
import { interrupts } from '../interrupt';

interface ExportCliOptions {
  run: string;
  format: 'pytorch' | 'onnx';
  out: string;
  force?: boolean;
}

export async function exportRun(
  o: ExportCliOptions,
  version: string,
): Promise<{ files: number; bytes: number }> {
  const claim = await claimOut(o.out, { force: !!o.force, command: 'export', version });
  try {
    interrupts.doing('reading the run');
    const run = await readRunDir(o.run);
    const files = o.format === 'onnx' ? onnxFiles(run, version) : pytorchPackage(run, version);
    interrupts.doing(`writing the ${o.format} export into ${claim.dir}`);
    let bytes = 0;
    for (const [name, content] of files) {
      const path = join(claim.tmp, name);
      await mkdir(dirname(path), { recursive: true });
      await writeFile(path, content);
      bytes += typeof content === 'string' ? Buffer.byteLength(content) : content.byteLength;
    }
    await claim.commit();
    return { files: files.size, bytes };
  } catch (e) {
    claim.release();
    throw e;
  }
}

export function registerExport(
  program: Command,
  io: { out: (s: string) => void; err: (s: string) => void },
  version: string,
): void {
  program
    .command('export')
    .description(
      'hand a trained run to PyTorch (a package with model.py, loss.py, train.py for torchrun) or ONNX',
    )
    .requiredOption('--run <dir>', 'a folder written by `manifold-explorer train --out`')
    .addOption(
      new Option(
        '--format <f>',
        'pytorch: a Python package to train further; onnx: encoder.onnx and decoder.onnx',
      )
        .choices(['pytorch', 'onnx'])
        .default('pytorch'),
    )
    .requiredOption('--out <dir>', 'the folder to write (created; must not exist or be empty unless --force)')
    .option('--force', 'replace --out if an earlier export wrote it')
    .addHelpText(
      'after',
      '\nExample:\n  manifold-explorer export --run runs/demo --format pytorch --out runs/demo-torch\n' +
        '  cd runs/demo-torch && torchrun --nproc_per_node 2 train.py --data data.npy --out trained\n',
    )
    .action(async (o: ExportCliOptions) => {
      const r = await exportRun(o, version);
      io.out(`exported ${o.format}: ${r.files} files, ${r.bytes} bytes → ${resolve(o.out)}\n`);
    });
}
