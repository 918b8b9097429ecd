/**
 * `--out DIR` of train and analyze: claim the folder at the start, write into a temporary folder
 * inside it, and at the end move in only what this run made. Nothing this tool did not write is
 * ever deleted or overwritten.
 *
 *   DIR/.manifold-explorer-run.lock    while a run writes DIR: its process (owner.ts) and token
 *   DIR/.manifold-explorer-tmp-TOKEN/  where that run writes (inside DIR: renames never cross disks)
 *   DIR/.manifold-explorer-run.json    after a run: the tool, the command and the entries it wrote
 *
 * - The claim comes first, before any data is read or any epoch trained: a folder that cannot be
 *   created or written (no permission, read-only disk, a file in the path, a link loop) is one
 *   `error:` line at once. The lock is placed with link(2), which fails if the name exists, so of
 *   two runs started together exactly one gets it; the other stops with exit status 2.
 * - A lock whose process is provably dead (killed, SIGKILL) is removed, with its temporary folder.
 * - DIR must be empty (apart from a finished run's record) unless --force; --force replaces only
 *   what a previous run recorded in .manifold-explorer-run.json, and refuses a folder without one,
 *   naming what it would have deleted.
 * - Files and folders that appear in DIR during the run stay. If one takes a name this run writes,
 *   nothing is replaced and this run's files are kept under DIR/manifold-explorer-result-TOKEN.
 * - On any failure or interrupt (interrupt.ts runs release()) the temporary folder and the lock go,
 *   and DIR too if this run created it and nothing else is in it.
 */
import { link, lstat, mkdir, readdir, readFile, rename, rm, stat, unlink, writeFile } from 'node:fs/promises';
import { readFileSync, rmdirSync, rmSync, unlinkSync, type Stats } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { UserError } from '../shared/errors';
import { errnoOf, fsUserError } from './fs-errors';
import { interrupts } from './interrupt';
import { currentOwner, isDead, isOwner, type Owner } from './owner';

export const LOCK_FILE = '.manifold-explorer-run.lock';
export const RECORD_FILE = '.manifold-explorer-run.json';
export const TMP_PREFIX = '.manifold-explorer-tmp-';
export const RESULT_PREFIX = 'manifold-explorer-result-';

interface Lock extends Owner {
  tool: 'manifold-explorer';
  command: string;
  token: string;
  since: string;
}

interface RunRecord {
  tool: 'manifold-explorer';
  version: string;
  command: string;
  writtenAt: string;
  entries: string[];
}

export interface OutClaim {
  /** The --out folder (absolute). */
  readonly dir: string;
  /** Write the run's files here. */
  readonly tmp: string;
  /** Move tmp's entries into dir, replacing only a previous run's; then drop the claim. */
  commit(): Promise<void>;
  /** Drop the claim without writing anything (synchronous: it also runs on an interrupt). */
  release(): void;
}

/** Our own bookkeeping names, never counted as the folder's content. */
function isMeta(n: string): boolean {
  return n === LOCK_FILE || n === RECORD_FILE || n.startsWith(`${LOCK_FILE}.`) || n.startsWith(TMP_PREFIX);
}

/** Hard links fail here (some network and FAT disks): place the lock with O_EXCL instead. */
const NO_LINKS = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS', 'EXDEV']);

function parseLock(text: string): Lock | null {
  try {
    const l = JSON.parse(text) as Partial<Lock>;
    return l.tool === 'manifold-explorer' && typeof l.token === 'string' && isOwner(l) ? (l as Lock) : null;
  } catch {
    return null;
  }
}

/** The lock at `file`: undefined when there is none, null when it cannot be read. */
async function readLock(file: string): Promise<Lock | null | undefined> {
  try {
    return parseLock(await readFile(file, 'utf8'));
  } catch (e) {
    return errnoOf(e) === 'ENOENT' ? undefined : null;
  }
}

function lockTokenSync(file: string): string | undefined {
  try {
    return parseLock(readFileSync(file, 'utf8'))?.token;
  } catch {
    return undefined;
  }
}

async function readRecord(dir: string): Promise<RunRecord | null> {
  try {
    const r = JSON.parse(await readFile(join(dir, RECORD_FILE), 'utf8')) as Partial<RunRecord>;
    const safe = (n: unknown) => typeof n === 'string' && n !== '' && !/[/\\]|^\.\.?$/.test(n) && !isMeta(n);
    return r.tool === 'manifold-explorer' && Array.isArray(r.entries) && r.entries.every(safe)
      ? (r as RunRecord)
      : null;
  } catch {
    return null;
  }
}

/** "a.txt, data/ and 3 more" */
async function listEntries(dir: string, names: string[]): Promise<string> {
  const shown = await Promise.all(
    names
      .slice(0, 5)
      .map(async (n) => ((await lstat(join(dir, n)).catch(() => null))?.isDirectory() ? `${n}/` : n)),
  );
  return shown.join(', ') + (names.length > 5 ? ` and ${names.length - 5} more` : '');
}

function heldError(dir: string, held: Lock | null | undefined): UserError {
  return new UserError(
    'out-locked',
    held
      ? `another manifold-explorer ${held.command} (pid ${held.pid} on ${held.host}, since ${held.since}) is writing this folder; wait for it to end or choose another --out (if no such run is going on, remove ${LOCK_FILE})`
      : `holds a lock file (${LOCK_FILE}) that cannot be read; if no manifold-explorer run is writing here, remove it`,
    { file: dir },
  );
}

/**
 * Remove a dead run's lock. Renamed aside first and checked, so a lock that another starting run
 * placed in the meantime is put back rather than deleted.
 */
async function removeDeadLock(file: string, dead: Lock, token: string): Promise<void> {
  const aside = `${file}.dead-${token}`;
  try {
    await rename(file, aside);
  } catch {
    return; // gone already
  }
  const got = await readLock(aside);
  if (got?.token !== dead.token) await link(aside, file).catch(() => {});
  await unlink(aside).catch(() => {});
}

async function acquire(dir: string, lock: Lock): Promise<void> {
  const file = join(dir, LOCK_FILE);
  const body = JSON.stringify(lock, null, 2) + '\n';
  const staging = `${file}.${lock.token}`;
  try {
    await writeFile(staging, body, { flag: 'wx' });
  } catch (e) {
    throw fsUserError(e, dir, 'cannot write into the --out folder');
  }
  try {
    for (let attempt = 0; ; attempt++) {
      try {
        try {
          await link(staging, file);
        } catch (e) {
          if (!NO_LINKS.has(errnoOf(e) ?? '')) throw e;
          await writeFile(file, body, { flag: 'wx' });
        }
        break;
      } catch (e) {
        if (errnoOf(e) !== 'EEXIST') throw fsUserError(e, dir, 'cannot write into the --out folder');
        const held = await readLock(file);
        if (held && isDead(held) && attempt < 3) await removeDeadLock(file, held, lock.token);
        else if (held !== undefined || attempt >= 3) throw heldError(dir, held);
      }
    }
  } finally {
    await unlink(staging).catch(() => {});
  }
  const mine = await readLock(file);
  if (mine?.token !== lock.token) throw heldError(dir, mine);
}

/**
 * Remove what dead runs left in DIR. Called with the lock held, so every other temporary folder
 * is a dead run's: a live run holds the lock while its temporary folder exists.
 */
async function sweepDead(dir: string, token: string): Promise<void> {
  for (const n of await readdir(dir)) {
    if (n.startsWith(TMP_PREFIX) && n !== TMP_PREFIX + token)
      await rm(join(dir, n), { recursive: true, force: true });
    else if (n.startsWith(`${LOCK_FILE}.`) && !n.endsWith(token)) {
      const l = await readLock(join(dir, n));
      if (l === null || (l && isDead(l))) await unlink(join(dir, n)).catch(() => {});
    } else if (n.startsWith(`${RECORD_FILE}.`) && !n.endsWith(token))
      await unlink(join(dir, n)).catch(() => {});
  }
}

/**
 * Earlier versions wrote `.DIR.tmp-PID-HEX` (and `.DIR.old-PID-HEX`) beside DIR; remove those
 * whose process is dead.
 */
async function sweepLegacy(parent: string, base: string): Promise<void> {
  const names = await readdir(parent).catch(() => [] as string[]);
  for (const n of names) {
    if (!n.startsWith(`.${base}.`)) continue;
    const m = /^\.(?:tmp|old)-(\d+)-[0-9a-f]{8}$/.exec(n.slice(base.length + 1));
    if (m && isDead({ pid: Number(m[1]), host: hostname(), started: null }))
      await rm(join(parent, n), { recursive: true, force: true });
  }
}

/** Remove a folder only if it is empty: what others put in it stays. */
function rmdirQuietly(dir: string): void {
  try {
    rmdirSync(dir);
  } catch {
    // not empty, or gone
  }
}

async function statOrNull(path: string): Promise<Stats | null> {
  try {
    return await stat(path);
  } catch (e) {
    if (errnoOf(e) === 'ENOENT') return null;
    throw fsUserError(e, path);
  }
}

class Claim implements OutClaim {
  readonly tmp: string;
  previous = new Set<string>();
  private done = false;
  private readonly dropCleanup: () => void;

  constructor(
    readonly dir: string,
    private readonly token: string,
    private readonly created: boolean,
    private readonly command: string,
    private readonly version: string,
  ) {
    this.tmp = join(dir, TMP_PREFIX + token);
    this.dropCleanup = interrupts.onCleanup(() => this.release());
  }

  release(): void {
    if (this.done) return;
    this.done = true;
    this.dropCleanup();
    rmSync(this.tmp, { recursive: true, force: true });
    const lock = join(this.dir, LOCK_FILE);
    if (lockTokenSync(lock) === this.token) unlinkSync(lock);
    if (this.created) rmdirQuietly(this.dir);
  }

  private async writeRecord(entries: string[]): Promise<void> {
    const r: RunRecord = {
      tool: 'manifold-explorer',
      version: this.version,
      command: this.command,
      writtenAt: new Date().toISOString(),
      entries: [...entries].sort(),
    };
    const staging = join(this.dir, `${RECORD_FILE}.${this.token}`);
    await writeFile(staging, JSON.stringify(r, null, 2) + '\n');
    await rename(staging, join(this.dir, RECORD_FILE));
  }

  commit(): Promise<void> {
    return interrupts.finishing(async () => {
      const held = await readLock(join(this.dir, LOCK_FILE));
      if (held?.token !== this.token)
        throw new UserError(
          'out-taken',
          `the lock ${LOCK_FILE} was removed or taken by another run while this one wrote; nothing was replaced`,
          { file: this.dir },
        );
      const made = await readdir(this.tmp);
      const present = new Set((await readdir(this.dir)).filter((n) => !isMeta(n)));
      const conflicts = made.filter((n) => present.has(n) && !this.previous.has(n));
      if (conflicts.length) {
        const keep = join(this.dir, RESULT_PREFIX + this.token);
        await rename(this.tmp, keep);
        this.release();
        throw new UserError(
          'out-conflict',
          `${await listEntries(this.dir, conflicts)} appeared here during the run and ${conflicts.length > 1 ? 'are' : 'is'} not manifold-explorer's, so nothing was replaced; this run's files are in ${keep}`,
          { file: this.dir },
        );
      }
      // The record first lists everything that may be ours while entries move (a crash midway
      // leaves a folder that --force can still replace), then exactly what this run wrote.
      await this.writeRecord([...new Set([...[...this.previous].filter((n) => present.has(n)), ...made])]);
      const trash = join(this.tmp, `${TMP_PREFIX}replaced`);
      // JSON last: run.json / analysis.json say the run is complete.
      const order = [...made.filter((n) => !n.endsWith('.json')), ...made.filter((n) => n.endsWith('.json'))];
      for (const n of order) {
        const target = join(this.dir, n);
        // A previous run's folder cannot be renamed over (it has files): move it aside first.
        // A file is replaced by the rename itself, atomically.
        if (present.has(n) && (await lstat(target)).isDirectory()) {
          await mkdir(trash, { recursive: true });
          await rename(target, join(trash, n));
        }
        await rename(join(this.tmp, n), target);
      }
      for (const n of this.previous)
        if (present.has(n) && !made.includes(n))
          await rm(join(this.dir, n), { recursive: true, force: true });
      await this.writeRecord(made);
      this.release();
    });
  }
}

export interface ClaimOptions {
  force: boolean;
  /** The command writing (train, analyze), for the lock and the record. */
  command: string;
  version: string;
}

/** Claim `path` for this run (see the top of this file); UserError when it cannot be had. */
export function claimOut(path: string, o: ClaimOptions): Promise<OutClaim> {
  // Not stopped halfway: a signal while claiming waits, then the claim's own cleanup undoes it.
  return interrupts.held(() => claim(path, o));
}

async function claim(path: string, o: ClaimOptions): Promise<OutClaim> {
  const dir = resolve(path);
  const parent = dirname(dir);
  try {
    await mkdir(parent, { recursive: true });
  } catch (e) {
    // mkdir -p reports a file in the path as EEXIST.
    const code = errnoOf(e) === 'EEXIST' ? Object.assign(e as Error, { code: 'ENOTDIR' }) : e;
    throw fsUserError(code, parent, 'cannot create the folder for --out');
  }
  await sweepLegacy(parent, basename(dir));
  const st = await statOrNull(dir);
  if (st && !st.isDirectory())
    throw new UserError('out-exists', 'exists and is not a folder; choose another --out', { file: dir });
  let created = false;
  if (!st)
    try {
      await mkdir(dir);
      created = true;
    } catch (e) {
      // EEXIST: another run made it just now; the lock decides which of us writes.
      if (errnoOf(e) !== 'EEXIST')
        throw fsUserError(e, parent, `cannot create the --out folder ${basename(dir)} in it`);
    }
  const token = randomBytes(8).toString('hex');
  try {
    await acquire(dir, {
      tool: 'manifold-explorer',
      command: o.command,
      token,
      since: new Date().toISOString(),
      ...currentOwner(),
    });
  } catch (e) {
    if (created) rmdirQuietly(dir);
    throw e;
  }
  const c = new Claim(dir, token, created, o.command, o.version);
  try {
    await sweepDead(dir, token);
    const entries = (await readdir(dir)).filter((n) => !isMeta(n));
    const record = await readRecord(dir);
    if (entries.length && !o.force)
      throw new UserError(
        'out-exists',
        'the folder exists and is not empty; choose another --out or pass --force to replace it',
        { file: dir },
      );
    if (entries.length && !record)
      throw new UserError(
        'out-foreign',
        `--force replaces only an empty folder or one that manifold-explorer wrote (it keeps ${RECORD_FILE} there), and this one holds ${await listEntries(dir, entries)}, which it would delete; move them away or choose another --out`,
        { file: dir },
      );
    if (entries.length && record && record.command !== o.command)
      throw new UserError(
        'out-foreign',
        `--force: this folder holds the output of manifold-explorer ${record.command}, which ${o.command} does not replace; choose another --out`,
        { file: dir },
      );
    c.previous = new Set(record?.entries ?? []);
    await mkdir(c.tmp);
  } catch (e) {
    c.release();
    throw fsUserError(e, dir);
  }
  return c;
}
