/**
 * `manifold-explorer train --data PATH|sample:NAME --model FAMILY --out DIR [options]` (docs/cli.md):
 * claims DIR (out-dir.ts: refused at once if another run writes it, or it holds files this tool
 * did not write), loads the data, picks the backend, trains through the engine's runTraining, and
 * writes into a temporary folder whose entries move into DIR at the end — run.json, codes.npy,
 * reconstructions.npy (float32, input row order, original units), labels.npy when the data have
 * labels, and model/ (model.json + weights.bin). Nothing half-written is left on any failure.
 * Progress goes to stderr (one line per epoch; --quiet silences it); one summary line to stdout.
 */
import { constants as bufferConstants } from 'node:buffer';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Option, type Command } from 'commander';
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
import { fixAsFlags } from '../../engine/diagnostics';
import { getAt, optionAt, setAt } from '../../shared/options/table';
import { parseText } from '../../shared/options/values';
import { RECIPES, findRecipe, recipeSample, type Recipe } from '../../shared/recipes';
import { checkTrainingMemory, memoryInput } from '../../engine/memory-check';
import { withLiveLimits } from '../../engine/memory-live';
import { claimOut } from '../out-dir';
import { interrupts } from '../interrupt';

interface TrainCliOptions extends DataCliOptions {
  data?: string;
  model?: Family;
  recipe?: string;
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
  recipe?: Recipe,
): { config: ModelConfigInput; train: TrainOptionsInput; ignored: string[] } {
  const given = valuesFromCli(cmd, data);
  // A recipe fills what the flags leave unset (the flags win).
  if (recipe) {
    given.values.config.family ??= recipe.family;
    for (const [path, text] of Object.entries(recipe.set)) {
      const spec = optionAt(path);
      if (getAt(given.values, spec) !== undefined) continue;
      const r = parseText(spec, text);
      if (r.ok) setAt(given.values, spec, r.value);
    }
  }
  // What does not apply to this family or these settings is dropped with a warning (it cannot stop
  // the run: `--output-variance learned` on an undercomplete model is ignored, not refused); the
  // schemas then judge what is left (some combinations they refuse outright).
  const values = withoutInapplicable(given);
  const c = ModelConfigSchema.safeParse(values.config);
  if (!c.success) throw new UserError('bad-option', explainIssues('config', c.error));
  const t = TrainOptionsSchema.safeParse(values.train);
  if (!t.success) throw new UserError('bad-option', explainIssues('train', t.error));
  const ignored = given.inapplicable.map((i) => i.why);
  return {
    config: values.config as ModelConfigInput,
    train: values.train as TrainOptionsInput,
    ignored,
  };
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
    diagnostics: r.diagnostics,
    seconds: (performance.now() - startedAt) / 1000,
    trainingSeconds: r.seconds,
  };
  await writeFile(join(dir, 'run.json'), JSON.stringify(run, null, 2) + '\n');
}

const flagOf = (path: string) => optionAt(path).meta.flag;

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
    .option(
      '--data <path|sample:NAME>',
      'the data: a CSV/TSV, .npy, IDX, JSON file, an image folder, or sample:NAME[?rows=…&noise=…&seed=…] (required, unless --recipe gives its sample)',
    )
    .addOption(
      new Option(
        '--recipe <name>',
        'start from a recipe (listed below): its family, sample and settings; flags given win',
      ).choices(RECIPES.map((r) => r.id)),
    )
    .requiredOption(
      '--out <dir>',
      'the folder to write (created; must not exist or be empty unless --force)',
    );
  addTableOptions(cmd);
  cmd.option('--force', 'replace --out if it exists').option('-q, --quiet', 'no progress on stderr');
  addDataOptions(cmd);
  cmd.addHelpText(
    'after',
    '\nFamilies:\n' +
      FAMILIES.map((f) => `  ${f.padEnd(14)}${FAMILY_SUMMARY[f]}`).join('\n') +
      '\n\nRecipes (--recipe):\n' +
      RECIPES.map((r) => `  ${r.id.padEnd(22)}${r.title}`).join('\n') +
      '\n\nExample:\n  manifold-explorer train --data sample:swiss-roll --model contractive --out runs/demo\n',
  );
  cmd.action(async (o: TrainCliOptions) => {
    const startedAt = performance.now();
    const recipe = o.recipe ? findRecipe(o.recipe) : undefined;
    const data = o.data ?? (recipe ? recipeSample(recipe) : undefined);
    if (!data) throw new UserError('bad-option', "required option '--data <path|sample:NAME>' not specified");
    if (!o.model && !recipe)
      throw new UserError('bad-option', "required option '--model <name>' not specified");
    const { config, train, ignored } = configFromOptions(cmd, undefined, recipe);
    const family = config.family ?? 'undercomplete';
    for (const w of ignored) io.err(`warning: ${w}\n`);
    const backendPref = (train.backend ?? 'auto') as BackendPreference;
    // --out is claimed before anything slow: a folder that cannot be written, or that another run
    // is writing, is refused before the data are read (out-dir.ts).
    const claim = await claimOut(o.out, { force: !!o.force, command: 'train', version });
    const progress = (s: string) => {
      if (!o.quiet) io.err(s + '\n');
    };
    let result: RunResult | undefined;
    let summary = '';
    try {
      interrupts.doing('loading the data');
      const loadOptions = loadOptionsFrom(o);
      const dataset = await loadDataset(data, loadOptions);
      // A model that cannot fit is refused now, before the backend is chosen or a weight exists;
      // again once it is, against that backend's own limits (engine/memory-check.ts).
      const memory = {
        runtime: { maxTypedArrayLength: bufferConstants.MAX_LENGTH },
        maxMemory: loadOptions.maxBytes,
      };
      checkTrainingMemory(memoryInput(config, train, dataset, backendPref), memory);
      // What the loader read but doubts: printed even with --quiet (it may explain a bad result).
      for (const w of dataset.warnings ?? []) io.err(`warning: ${w}\n`);
      // Production mode: no debug checks, and no "install tfjs-node" banner from the CPU backend.
      tf.enableProdMode();
      interrupts.doing('choosing the backend');
      let backend: BackendChoice;
      try {
        backend = await setupNodeBackend(backendPref, { dims: dataset.dims, log: (m) => progress(m) });
      } catch (e) {
        throw new UserError(
          'backend',
          `--backend ${backendPref}: ${e instanceof Error ? e.message : String(e)}`,
        );
      }
      checkTrainingMemory(
        memoryInput(config, train, dataset, backend.backend),
        withLiveLimits(memory, backend),
      );
      progress(
        `training ${family} on ${dataset.source} (${dataset.rows} × ${dataset.dims}) with ${backend.backend} (${backend.reason})`,
      );
      // A stop signal ends training before its next step (interrupt.ts), then the claim is dropped.
      result = await interrupts.abortable('training, in its first epoch', (signal) =>
        runTraining(
          { dataset, config, train },
          {
            // What the settings defeat, before the first epoch (even with --quiet).
            onStart: ({ warnings }) => {
              for (const w of warnings) io.err(`warning: ${w}\n`);
            },
            onEpochEnd: (h) => {
              interrupts.doing(`training, after ${h.stage ? `${h.stage} ` : ''}epoch ${h.epoch}`);
              const parts = Object.entries(h.parts)
                .map(([k, v]) => `${k} ${fmt(v)}`)
                .join('  ');
              progress(
                `${h.stage ? `${h.stage} ` : ''}epoch ${h.epoch}  loss ${fmt(h.loss)}  val ${fmt(h.valLoss)}  ${parts}  (${h.seconds.toFixed(1)} s)`,
              );
            },
          },
          signal,
        ),
      );
      if (result.stopped === 'aborted')
        throw new UserError('interrupted', 'interrupted; nothing was written');
      for (const d of result.diagnostics)
        progress(`warning: ${d.message}${d.fix ? ` Fix: rerun with ${fixAsFlags(d.fix, flagOf)}` : ''}`);
      interrupts.doing(`writing the run into ${claim.dir}`);
      await writeRun(claim.tmp, result, dataset, backend, version, startedAt);
      await claim.commit();
      const m = result.metrics;
      summary =
        `trained ${family} (${m.paramCount} parameters, k = ${result.latent}) on ${dataset.rows} × ${dataset.dims} in ${result.seconds.toFixed(1)} s with ${backend.backend}: ` +
        `train MSE ${fmt(m.trainMse)}, val MSE ${fmt(m.valMse)}${m.pca ? `, PCA ${fmt(m.pca.trainMse)}` : ''}, ${Math.round(m.samplesPerSecond)} samples/s → ${o.out}\n`;
    } catch (e) {
      claim.release();
      throw e;
    } finally {
      result?.model.dispose();
    }
    io.out(summary);
  });
}
