/**
 * `manifold-explorer train --data PATH|sample:NAME --model FAMILY --out DIR [options]` (SPEC.md):
 * loads the data, picks the backend, trains through the engine's runTraining, and writes DIR
 * atomically — everything goes into a hidden sibling folder that is renamed to DIR at the end and
 * removed on any failure — with run.json, codes.npy, reconstructions.npy (float32, input row order,
 * original units), labels.npy when the data have labels, and model/ (model.json + weights.bin).
 * Progress goes to stderr (one line per epoch; --quiet silences it); one summary line to stdout.
 */
import { mkdir, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { Command } from 'commander';
import {
  FAMILIES,
  FAMILY_SUMMARY,
  ModelConfigSchema,
  TrainOptionsSchema,
  type Family,
  type ModelConfigInput,
  type TrainOptionsInput,
} from '../../shared/model-config';
import type { DataShape } from '../../shared/options/defaults';
import { addTableOptions, explainIssues, valuesFromCli, withoutInapplicable } from '../table-options';
import { UserError } from '../../shared/errors';
import type { Dataset } from '../../shared/dataset';
import { addDataOptions, loadOptionsFrom, type DataCliOptions } from '../../data/cli-options';
import { loadDataset } from '../../data/load';
import { encodeNpy } from '../../data/npy';
import { setupNodeBackend } from '../../hosts/node/backends';
import type { BackendChoice, BackendPreference } from '../../engine/backend';
import { flattenHistory, runTraining, type RunResult } from '../../engine/run';
import { MODEL_MANIFEST_FILE, MODEL_WEIGHTS_FILE, saveModel } from '../../engine/serialize';
import { tf } from '../../engine/tf';

interface TrainCliOptions extends DataCliOptions {
  data: string;
  model: Family;
  out: string;
  force?: boolean;
  quiet?: boolean;
}

/**
 * The flags as the engine's config and train inputs, validated (UserError on misuse, naming the
 * flag); `ignored` lists the given flags that do not apply to the family (printed as warnings).
 */
export function configFromOptions(
  cmd: Command,
  data?: DataShape,
): { config: ModelConfigInput; train: TrainOptionsInput; ignored: string[] } {
  const given = valuesFromCli(cmd, data);
  // The schemas judge everything given (some combinations they refuse outright); what is left that
  // does not apply is dropped with a warning.
  const c = ModelConfigSchema.safeParse(given.values.config);
  if (!c.success) throw new UserError('bad-option', explainIssues('config', c.error));
  const t = TrainOptionsSchema.safeParse(given.values.train);
  if (!t.success) throw new UserError('bad-option', explainIssues('train', t.error));
  const values = withoutInapplicable(given);
  const ignored = given.inapplicable.map((i) => i.why);
  return {
    config: values.config as ModelConfigInput,
    train: values.train as TrainOptionsInput,
    ignored,
  };
}

async function exists(p: string): Promise<boolean> {
  try {
    await stat(p);
    return true;
  } catch {
    return false;
  }
}

async function checkOut(out: string, force: boolean): Promise<void> {
  if (!(await exists(out))) return;
  const s = await stat(out);
  if (!s.isDirectory())
    throw new UserError('out-exists', `${out}: exists and is not a folder; choose another --out`);
  if ((await readdir(out)).length && !force)
    throw new UserError(
      'out-exists',
      `${out}: the folder exists and is not empty; choose another --out or pass --force to replace it`,
    );
}

function datasetSummary(ds: Dataset) {
  return {
    source: ds.source,
    name: ds.name,
    rows: ds.rows,
    dims: ds.dims,
    sha256: ds.sha256,
    ...(ds.labels ? { labels: true, ...(ds.labelNames ? { labelNames: ds.labelNames } : {}) } : {}),
    ...(ds.featureNames ? { featureNames: ds.featureNames } : {}),
    ...(ds.categorical?.length ? { categorical: ds.categorical } : {}),
    ...(ds.image ? { image: ds.image } : {}),
  };
}

async function writeRun(
  dir: string,
  r: RunResult,
  ds: Dataset,
  backend: BackendChoice,
  version: string,
  startedAt: number,
): Promise<void> {
  await mkdir(join(dir, 'model'), { recursive: true });
  const saved = await saveModel(r.model, r.normalizer, ds.categorical);
  await writeFile(join(dir, 'model', MODEL_MANIFEST_FILE), JSON.stringify(saved.manifest, null, 2) + '\n');
  await writeFile(join(dir, 'model', MODEL_WEIGHTS_FILE), saved.weights);
  await writeFile(join(dir, 'codes.npy'), encodeNpy(r.codes, [ds.rows, r.latent]));
  await writeFile(join(dir, 'reconstructions.npy'), encodeNpy(r.reconstructions, [ds.rows, ds.dims]));
  if (ds.labels) await writeFile(join(dir, 'labels.npy'), encodeNpy(ds.labels, [ds.rows]));
  const run = {
    app: { name: 'manifold-explorer', version },
    createdAt: new Date().toISOString(),
    config: r.config,
    train: r.train,
    dataset: datasetSummary(ds),
    backend,
    split: r.split,
    normalizer: saved.manifest.normalizer,
    history: flattenHistory(r.history),
    ...(r.stages.length ? { stages: r.stages } : {}),
    stopped: r.stopped,
    metrics: r.metrics,
    warnings: r.warnings,
    seconds: (performance.now() - startedAt) / 1000,
    trainingSeconds: r.seconds,
  };
  await writeFile(join(dir, 'run.json'), JSON.stringify(run, null, 2) + '\n');
}

const fmt = (v: number | null | undefined) =>
  v === null || v === undefined ? '-' : Number(v.toPrecision(4)).toString();

export function registerTrain(
  program: Command,
  io: { out: (s: string) => void; err: (s: string) => void },
  version: string,
): void {
  const cmd: Command = program
    .command('train')
    .description(
      'train an autoencoder and write run.json, codes.npy, reconstructions.npy and model/ into --out',
    )
    .requiredOption(
      '--data <path|sample:NAME>',
      'the data: a CSV/TSV, .npy, IDX, JSON file, an image folder, or sample:NAME[?rows=…&noise=…&seed=…]',
    )
    .requiredOption(
      '--out <dir>',
      'the folder to write (created; must not exist or be empty unless --force)',
    );
  addTableOptions(cmd);
  cmd.options.find((o) => o.long === '--model')?.makeOptionMandatory();
  cmd.option('--force', 'replace --out if it exists').option('-q, --quiet', 'no progress on stderr');
  addDataOptions(cmd);
  cmd.addHelpText(
    'after',
    '\nFamilies:\n' +
      FAMILIES.map((f) => `  ${f.padEnd(14)}${FAMILY_SUMMARY[f]}`).join('\n') +
      '\n\nExample:\n  manifold-explorer train --data sample:swiss-roll --model contractive --out runs/demo\n',
  );
  cmd.action(async (o: TrainCliOptions) => {
    const startedAt = performance.now();
    const { config, train, ignored } = configFromOptions(cmd);
    for (const w of ignored) io.err(`warning: ${w}\n`);
    const out = resolve(o.out);
    await checkOut(out, !!o.force);
    const progress = (s: string) => {
      if (!o.quiet) io.err(s + '\n');
    };
    const dataset = await loadDataset(o.data, loadOptionsFrom(o));
    // Production mode: no debug checks, and no "install tfjs-node" banner from the CPU backend.
    tf.enableProdMode();
    const backendPref = (train.backend ?? 'auto') as BackendPreference;
    let backend: BackendChoice;
    try {
      backend = await setupNodeBackend(backendPref, { dims: dataset.dims, log: (m) => progress(m) });
    } catch (e) {
      throw new UserError(
        'backend',
        `--backend ${backendPref}: ${e instanceof Error ? e.message : String(e)}`,
      );
    }
    progress(
      `training ${o.model} on ${dataset.source} (${dataset.rows} × ${dataset.dims}) with ${backend.backend} (${backend.reason})`,
    );
    const ctl = new AbortController();
    const onSigint = () => ctl.abort();
    process.once('SIGINT', onSigint);
    const parent = dirname(out);
    await mkdir(parent, { recursive: true });
    const tmp = join(parent, `.${basename(out)}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`);
    let result: RunResult | undefined;
    let summary = '';
    try {
      result = await runTraining(
        { dataset, config, train },
        {
          onEpochEnd: (h) => {
            const parts = Object.entries(h.parts)
              .map(([k, v]) => `${k} ${fmt(v)}`)
              .join('  ');
            progress(
              `${h.stage ? `${h.stage} ` : ''}epoch ${h.epoch}  loss ${fmt(h.loss)}  val ${fmt(h.valLoss)}  ${parts}  (${h.seconds.toFixed(1)} s)`,
            );
          },
        },
        ctl.signal,
      );
      if (result.stopped === 'aborted')
        throw new UserError('interrupted', 'interrupted; nothing was written');
      for (const w of result.warnings) progress(`warning: ${w}`);
      await writeRun(tmp, result, dataset, backend, version, startedAt);
      if (await exists(out)) {
        const old = join(parent, `.${basename(out)}.old-${process.pid}-${randomBytes(4).toString('hex')}`);
        await rename(out, old);
        await rename(tmp, out);
        await rm(old, { recursive: true, force: true });
      } else await rename(tmp, out);
      const m = result.metrics;
      summary =
        `trained ${o.model} (${m.paramCount} parameters, k = ${result.latent}) on ${dataset.rows} × ${dataset.dims} in ${result.seconds.toFixed(1)} s with ${backend.backend}: ` +
        `train MSE ${fmt(m.trainMse)}, val MSE ${fmt(m.valMse)}${m.pca ? `, PCA ${fmt(m.pca.trainMse)}` : ''}, ${Math.round(m.samplesPerSecond)} samples/s → ${o.out}\n`;
    } catch (e) {
      await rm(tmp, { recursive: true, force: true });
      throw e;
    } finally {
      process.removeListener('SIGINT', onSigint);
      result?.model.dispose();
    }
    io.out(summary);
  });
}
