/**
 * `export --format pytorch`: a run as a small Python package that PyTorch trains at scale —
 * model.py (the architecture as nn.Modules), loss.py (the same loss terms and weights),
 * train.py (DistributedDataParallel under torchrun), weights.safetensors (the trained parameters,
 * under the engine's names and layout), config.json (the run's resolved config, train options,
 * normaliser, output segments, dataset sha256) and README.md. Pure: it returns the files.
 */
import { outputSpec } from '../engine/losses';
import { UserError } from '../shared/errors';
import { TrainOptionsSchema, type ResolvedTrainOptions } from '../shared/model-config';
import type { RunDir } from './run-dir';
import { encodeSafetensors } from './safetensors';
import { PYTHON_SOURCES } from './python-sources';
import { packageReadme } from './readme';

export const PACKAGE_FORMAT = 'manifold-explorer-pytorch';

/** What config.json holds: everything model.py and train.py read, nothing else needed. */
export function packageSpec(r: RunDir, version: string) {
  const m = r.manifest;
  const out = outputSpec(m.config.output, m.inputDims, m.categorical ?? []);
  const ds = r.run.dataset;
  // run.json records the resolved options (every default decided): train.py reads them as they are.
  const t = TrainOptionsSchema.safeParse(r.run.train);
  if (!t.success || t.data.epochs === undefined || t.data.lr === undefined || t.data.batchSize === undefined)
    throw new UserError('bad-run', 'run.json has no resolved train options (epochs, batchSize, lr)', {
      file: `${r.dir}/run.json`,
    });
  return {
    format: PACKAGE_FORMAT,
    version: 1,
    exportedBy: { name: 'manifold-explorer', version },
    config: m.config,
    train: t.data as ResolvedTrainOptions,
    inputDims: m.inputDims,
    latent: m.latent,
    normalizer: m.normalizer,
    output: { kind: out.kind, segments: out.segments },
    ...(m.categorical?.length ? { categorical: m.categorical } : {}),
    dataset: {
      source: ds.source ?? null,
      rows: ds.rows,
      dims: ds.dims,
      sha256: ds.sha256 ?? null,
    },
    weights: r.weights.map((w) => ({ name: w.name, shape: w.shape })),
  };
}

export function pytorchPackage(r: RunDir, version: string): Map<string, Uint8Array | string> {
  const spec = packageSpec(r, version);
  const files = new Map<string, Uint8Array | string>();
  for (const [name, text] of Object.entries(PYTHON_SOURCES)) files.set(name, text);
  files.set('config.json', JSON.stringify(spec, null, 2) + '\n');
  files.set(
    'weights.safetensors',
    encodeSafetensors(r.weights, {
      format: PACKAGE_FORMAT,
      family: r.manifest.config.family,
      layout: 'dense matrices [in, out]: y = x @ w + b',
    }),
  );
  files.set('README.md', packageReadme(spec));
  return files;
}
