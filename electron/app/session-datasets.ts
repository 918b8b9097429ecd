/**
 * A session's datasets, restored without ever making the app read a path the user did not pick.
 * A session file is input like any other: someone else may have written it, so what it names is a
 * request, not a permission.
 *
 * - Uploads: the data embedded in the session (no file is read).
 * - Samples: the spec is parsed strictly (a known name, numeric parameters in range) and rebuilt
 *   as `sample:NAME?…`, so it can never reach the loader as a path.
 * - Files, in order: (a) a dataset already open with the same sha256 and shape (nothing is read);
 *   (b) only when the session was opened from disk: `relativePath` inside the session's own folder
 *   (real paths compared, so neither `..` nor a symlink leaves it); (c) only then, too: `path` when
 *   its grant verifies (grants.ts: this installation wrote it for a file the user picked).
 *
 * Whatever goes wrong with a file — not allowed, missing, unreadable, not a dataset, changed — the
 * caller gets the same message, naming only the session's file name: no loader message (they quote
 * the file), no existence difference, no hash. A file is hashed before it is parsed, so a file
 * other than the saved one is never parsed at all.
 */
import { realpath, stat } from 'node:fs/promises';
import { isAbsolute, join, relative, sep, win32 } from 'node:path';
import { loadDataset } from '../data/load';
import type { LoadOptions } from '../data/load';
import { sha256OfFile } from '../data/hash';
import { parseSampleSpec, resolveSampleParams, sampleInfo } from '../data/samples/generate';
import { findSample } from '../data/samples/registry';
import type { Dataset } from '../shared/dataset';
import { UserError } from '../shared/errors';
import type { DatasetRecord } from './datasets';
import type { Grants } from './grants';
import type { SessionDataset, SessionFileOrigin } from './session-file';

export interface RestoreContext {
  /** The session file as the messages name it. */
  file: string;
  /** The folder of a session the user opened from disk (desktop); null for bytes (importSession). */
  folder: string | null;
  /** The datasets open now (reused by sha256 instead of reading anything). */
  open: readonly DatasetRecord[];
  grants?: Grants | undefined;
}

export interface RestoredDataset {
  dataset: Dataset;
  origin: DatasetRecord['origin'];
}

export async function restoreDataset(sd: SessionDataset, ctx: RestoreContext): Promise<RestoredDataset> {
  const o = sd.origin;
  if (o.kind === 'upload') return { dataset: embedded(sd, ctx.file), origin: { ...o } };
  if (o.kind === 'sample') {
    const spec = strictSampleSpec(o.spec, sd.name, ctx.file);
    const ds = await loadDataset(spec);
    if (ds.sha256 !== sd.sha256 || ds.rows !== sd.rows || ds.dims !== sd.dims)
      throw new UserError(
        'session.dataset-changed',
        `dataset ${sd.name}: ${spec} no longer generates the data this session saved (the app's generator changed); train again on the sample`,
        { file: ctx.file },
      );
    return { dataset: ds, origin: { kind: 'sample', spec } };
  }
  return restoreFile(sd, o, ctx);
}

/** The data of an upload, from the session itself. */
function embedded(sd: SessionDataset, file: string): Dataset {
  const e = sd.embedded;
  const corrupt = (what: string) => new UserError('session.corrupt', `dataset ${sd.name}: ${what}`, { file });
  if (!e) throw corrupt('the uploaded data are missing from the session');
  if (e.data.length !== sd.rows * sd.dims)
    throw corrupt(`${e.data.length} values for ${sd.rows} × ${sd.dims}`);
  if (e.labels && e.labels.length !== sd.rows) throw corrupt(`${e.labels.length} labels for ${sd.rows} rows`);
  const fileName = sd.origin.kind === 'upload' ? sd.origin.fileName : sd.name;
  return {
    name: sd.name,
    source: `upload:${fileName}`,
    sha256: sd.sha256,
    rows: sd.rows,
    dims: sd.dims,
    data: e.data,
    ...(e.labels ? { labels: e.labels } : {}),
    ...(e.labelNames ? { labelNames: e.labelNames } : {}),
    ...(e.featureNames ? { featureNames: e.featureNames } : {}),
    ...(e.image ? { image: e.image } : {}),
    ...(e.categorical ? { categorical: e.categorical } : {}),
  };
}

/**
 * `sample:NAME?rows=…&noise=…&seed=…&components=…` with a known NAME and every parameter a number
 * in range, rebuilt from its parts (so the loader sees `sample:` and nothing else).
 */
export function strictSampleSpec(spec: string, dataset: string, file: string): string {
  const bad = (why: string) => new UserError('session.corrupt', `dataset ${dataset}: ${why}`, { file });
  const m = spec.length <= 300 ? /^sample:([a-z0-9-]{1,64})(?:\?([a-z0-9=&.+-]*))?$/i.exec(spec) : null;
  if (!m) throw bad('not a built-in sample (expected sample:NAME?rows=…&noise=…&seed=…)');
  const name = m[1]!;
  if (!findSample(name)) throw bad(`no built-in sample named ${JSON.stringify(name)}`);
  try {
    const { params } = parseSampleSpec(spec);
    resolveSampleParams(sampleInfo(name), params);
    const keys = (['rows', 'noise', 'seed', 'components'] as const).filter((k) => params[k] !== undefined);
    return `sample:${name}${keys.length ? `?${keys.map((k) => `${k}=${params[k]}`).join('&')}` : ''}`;
  } catch (e) {
    throw bad(e instanceof Error ? e.message : String(e));
  }
}

/** The one message for a file dataset that cannot be restored, whatever the reason. */
function unavailable(name: string, file: string): UserError {
  // A name is the session's own text, but a control character in it would break a one-line message.
  const fileName = Array.from(name, (c) => (c < ' ' || c === '\u007f' ? '?' : c)).join('');
  return new UserError(
    'session.dataset',
    `the session's dataset ${fileName} cannot be read as the dataset this session saved: open ${fileName} first, then open the session again`,
    { file },
  );
}

async function restoreFile(
  sd: SessionDataset,
  o: SessionFileOrigin,
  ctx: RestoreContext,
): Promise<RestoredDataset> {
  // Format 2 holds a file's labels in the session; format 1 had the loader find them.
  const withLabels = (ds: Dataset): Dataset => {
    if (o.legacyPath !== undefined && !sd.labels) return ds;
    const { labels: _l, labelNames: _n, ...rest } = ds;
    if (!sd.labels) return rest;
    if (sd.labels.data.length !== sd.rows)
      throw new UserError(
        'session.corrupt',
        `dataset ${sd.name}: ${sd.labels.data.length} labels for ${sd.rows} rows`,
        { file: ctx.file },
      );
    return { ...rest, labels: sd.labels.data, ...(sd.labels.names ? { labelNames: sd.labels.names } : {}) };
  };
  // (a) Open already: nothing is read.
  const same = ctx.open.find(
    (r) => r.dataset.sha256 === sd.sha256 && r.dataset.rows === sd.rows && r.dataset.dims === sd.dims,
  );
  if (same) return { dataset: withLabels(same.dataset), origin: same.origin };
  const options: LoadOptions = { ...o.options };
  if (ctx.folder !== null) {
    // (b) Inside the session's folder.
    const rel =
      o.relativePath ??
      (o.legacyPath !== undefined && isAbsolute(o.legacyPath)
        ? relative(ctx.folder, o.legacyPath)
        : undefined);
    if (rel !== undefined) {
      const path = await confined(ctx.folder, rel).catch(() => null);
      const ds = path === null ? null : await readIfSame(path, sd, options);
      if (path !== null && ds) return { dataset: withLabels(ds), origin: { kind: 'file', path, options } };
    }
    // (c) A path this installation granted.
    if (o.path !== undefined && o.grant !== undefined && ctx.grants?.verify(o.path, sd.sha256, o.grant)) {
      const ds = await readIfSame(o.path, sd, options);
      if (ds) return { dataset: withLabels(ds), origin: { kind: 'file', path: o.path, options } };
    }
  }
  throw unavailable(o.fileName, ctx.file);
}

/**
 * `rel` resolved inside `folder`, or null: no absolute path, no `..`, and the real path of the
 * target (symlinks followed) must lie strictly inside the real path of the folder. Throws when the
 * target does not exist (the caller treats both alike).
 */
export async function confined(folder: string, rel: string): Promise<string | null> {
  if (rel.includes('\0') || isAbsolute(rel) || win32.isAbsolute(rel)) return null;
  if (rel.split(/[/\\]/).some((part) => part === '..')) return null;
  const root = await realpath(folder);
  const target = await realpath(join(root, rel));
  const inside = relative(root, target);
  if (inside === '' || isAbsolute(inside) || inside === '..' || inside.startsWith(`..${sep}`)) return null;
  return target;
}

/**
 * The dataset at `path` if it is the one the session saved, else null. A regular file is hashed
 * (its raw bytes are what a dataset's sha256 covers) before any loader parses it; a folder of
 * images is loaded, then compared. Every failure is null: the caller says one thing for all.
 */
async function readIfSame(path: string, sd: SessionDataset, options: LoadOptions): Promise<Dataset | null> {
  try {
    const st = await stat(path);
    if (st.isFile() && (await sha256OfFile(path)) !== sd.sha256) return null;
    if (!st.isFile() && !st.isDirectory()) return null;
    const ds = await loadDataset(path, options);
    return ds.sha256 === sd.sha256 && ds.rows === sd.rows && ds.dims === sd.dims ? ds : null;
  } catch {
    return null;
  }
}
