/**
 * Restoring a session never reads a path the user did not pick. Crafted sessions point at a
 * secret file, /etc/passwd (with its real sha256), a missing file, `..` and symlinks out of the
 * session's folder, a labels path, a sample spec that is a path: each is refused with one message
 * that names the dataset's file name — never the file's content, never a difference between a
 * file that exists and one that does not. Sessions the app wrote itself reopen: next to their
 * data, or through a grant this installation signed; a forged grant is refused.
 */
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile, copyFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatasetStore } from '../../../electron/app/datasets';
import { JobManager } from '../../../electron/app/jobs';
import { SessionStore } from '../../../electron/app/session';
import { GrantKey } from '../../../electron/app/grants';
import type { Grants } from '../../../electron/app/grants';
import type { EngineSupervisor } from '../../../electron/app/supervisor';
import { readSessionFile } from '../../../electron/app/session-file';
import type { SessionManifest } from '../../../electron/app/session-file';
import { craft, encodeRaw, sha256 } from '../../helpers/sessions';
import { ROOT } from '../../helpers/cli';

const IRIS = join(ROOT, 'tests/fixtures/data/good/iris.csv');
const SECRET = 'TOPSECRET-4f1c9e';
let dir: string;

const supervisor = { forget: () => {}, sendIfRunning: () => false } as unknown as EngineSupervisor;

function app(grants?: Grants) {
  const datasets = new DatasetStore();
  const jobs = new JobManager(() => supervisor);
  return { datasets, jobs, sessions: new SessionStore(datasets, jobs, 't', grants) };
}

/** The message of a refused restore (it must be refused). */
async function refusal(p: Promise<unknown>): Promise<string> {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  expect(e, 'the session was opened').toBeInstanceOf(Error);
  return (e as Error).message;
}

const fileOrigin = (m: SessionManifest) => {
  const o = m.datasets[0]!.origin;
  if (o.kind !== 'file') throw new Error('expected a file dataset');
  return o;
};

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mx-sess-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('a crafted session never makes the app read a path', () => {
  let secret: string;
  let saved: Uint8Array;
  beforeEach(async () => {
    secret = join(dir, 'outside', 'secret.csv');
    await mkdir(join(dir, 'outside'));
    // A valid CSV: were it loaded, its rows would be the dataset; were it parsed and refused,
    // a loader message would quote it.
    await writeFile(secret, `a,b\n1,2\n${SECRET},3\n`);
    await mkdir(join(dir, 's'));
    await copyFile(IRIS, join(dir, 's', 'iris.csv'));
    const a = app(new GrantKey(join(dir, 'key')));
    await a.datasets.openFile(join(dir, 's', 'iris.csv'), { labelColumn: 'species' });
    await a.sessions.save(join(dir, 's', 'ok.mexsession'), {});
    saved = new Uint8Array(await readFile(join(dir, 's', 'ok.mexsession')));
  });

  const variants = (secretPath: string): [string, (m: SessionManifest) => void][] => [
    [
      'the secret by path, its real sha256',
      (m) => {
        m.datasets[0]!.sha256 = sha256(SECRET_BYTES.get(secretPath)!);
        Object.assign(fileOrigin(m), { path: secretPath, grant: 'ab'.repeat(32) });
        delete fileOrigin(m).relativePath;
      },
    ],
    [
      '/etc/passwd, its real sha256',
      (m) => {
        m.datasets[0]!.sha256 = sha256(PASSWD);
        Object.assign(fileOrigin(m), {
          path: '/etc/passwd',
          grant: 'cd'.repeat(32),
          relativePath: '../../../../etc/passwd',
        });
      },
    ],
    [
      'a missing file',
      (m) => {
        Object.assign(fileOrigin(m), {
          path: join(dir, 'nothere.csv'),
          relativePath: 'nothere.csv',
          grant: 'ef'.repeat(32),
        });
      },
    ],
    [
      '.. out of the folder',
      (m) => {
        m.datasets[0]!.sha256 = sha256(SECRET_BYTES.get(secretPath)!);
        Object.assign(fileOrigin(m), { relativePath: '../outside/secret.csv' });
        delete fileOrigin(m).path;
        delete fileOrigin(m).grant;
      },
    ],
  ];
  const SECRET_BYTES = new Map<string, Uint8Array>();
  let PASSWD: Uint8Array;
  beforeEach(async () => {
    SECRET_BYTES.set(secret, new Uint8Array(await readFile(secret)));
    PASSWD = new Uint8Array(await readFile('/etc/passwd'));
  });

  test('as bytes (importSession): refused, one message, no content, no path', async () => {
    const messages: string[] = [];
    for (const [what, change] of variants(secret)) {
      const b = app(new GrantKey(join(dir, 'key')));
      const msg = await refusal(b.sessions.decodeAndRestore(craft(saved, change), 'evil.mexsession'));
      expect(msg, what).toMatch(
        /iris\.csv cannot be read as the dataset this session saved: open iris\.csv first/,
      );
      expect(msg, what).not.toContain(SECRET);
      expect(msg, what).not.toMatch(/root:|secret\.csv|outside|passwd|nothere|[0-9a-f]{12}/);
      expect(b.datasets.list(), what).toEqual([]);
      messages.push(msg);
    }
    // Even the unmodified session: bytes carry no location, and a grant needs one.
    const b = app(new GrantKey(join(dir, 'key')));
    messages.push(await refusal(b.sessions.decodeAndRestore(saved, 'evil.mexsession')));
    expect(new Set(messages).size).toBe(1);
  });

  test('opened from disk (desktop): a path needs a grant, a relative path stays in the folder', async () => {
    const messages: string[] = [];
    for (const [what, change] of variants(secret)) {
      const b = app(new GrantKey(join(dir, 'key')));
      const path = join(dir, 's', 'evil.mexsession');
      await writeFile(path, craft(saved, change));
      const msg = await refusal(b.sessions.open(path));
      expect(msg, what).not.toContain(SECRET);
      expect(msg, what).not.toMatch(/root:|secret\.csv|outside|passwd|nothere/);
      expect(b.datasets.list(), what).toEqual([]);
      messages.push(msg.replace(path, ''));
    }
    expect(new Set(messages).size).toBe(1);
  });

  test('a symlink out of the session folder is refused like a missing file', async () => {
    await symlink(secret, join(dir, 's', 'link.csv'));
    const msgs: string[] = [];
    for (const rel of ['link.csv', 'missing.csv']) {
      const path = join(dir, 's', 'evil.mexsession');
      await writeFile(
        path,
        craft(saved, (m) => {
          m.datasets[0]!.sha256 = sha256(SECRET_BYTES.get(secret)!);
          Object.assign(fileOrigin(m), { relativePath: rel, fileName: 'x.csv' });
          delete fileOrigin(m).path;
          delete fileOrigin(m).grant;
        }),
      );
      msgs.push(await refusal(app().sessions.open(path)));
    }
    expect(msgs[0]).toBe(msgs[1]);
    expect(msgs[0]).not.toContain(SECRET);
  });

  test('a file in the folder that is not the saved one is never parsed', async () => {
    // Beside the session, a file the CSV loader would refuse quoting its row.
    await writeFile(join(dir, 's', 'iris.csv'), `a,b\n1,2\n${SECRET}\n`);
    const msg = await refusal(app().sessions.open(join(dir, 's', 'ok.mexsession')));
    expect(msg).toMatch(/iris\.csv cannot be read as the dataset this session saved/);
    expect(msg).not.toContain(SECRET);
    expect(msg).not.toMatch(/row|column|[0-9a-f]{12}/);
  });

  test('a labels path in the options is refused (format 2) or dropped unread (format 1)', async () => {
    const labels = join(dir, 's', 'labels.txt');
    await writeFile(labels, `${SECRET}a\n${SECRET}b\n${SECRET}a\n${SECRET}b\n`);
    const v2 = join(dir, 's', 'v2.mexsession');
    await writeFile(
      v2,
      craft(saved, (m) => Object.assign(fileOrigin(m).options, { labels })),
    );
    const msg = await refusal(app().sessions.open(v2));
    expect(msg).toMatch(/session's content is not valid.*labels/);
    expect(msg).not.toContain(SECRET);

    // Format 1 held the path; it opens with the labels the file itself gives, never the path's.
    const m = await readSessionFile(join(dir, 's', 'ok.mexsession'));
    const v1 = join(dir, 's', 'v1.mexsession');
    await writeFile(
      v1,
      encodeRaw(
        {
          ...m,
          version: 1,
          datasets: m.datasets.map((d) => ({
            id: d.id,
            name: d.name,
            sha256: d.sha256,
            rows: d.rows,
            dims: d.dims,
            origin: {
              kind: 'file',
              path: join(dir, 's', 'iris.csv'),
              options: { labels, labelColumn: 'species' },
            },
          })),
        },
        1,
      ),
    );
    const b = app();
    const info = await b.sessions.open(v1);
    expect(info.datasets).toHaveLength(1);
    const ds = b.datasets.get(info.datasets[0]!.id).dataset;
    expect(ds.labels).toHaveLength(4);
    expect(ds.labelNames?.join()).not.toContain(SECRET);
  });

  test('sample specs are parsed strictly, never handed to the loader as a path', async () => {
    const a = app();
    await a.datasets.openSample('swiss-roll', { rows: 50, seed: 1 });
    const bytes = a.sessions.encode({});
    for (const spec of [
      secret,
      '/etc/passwd',
      'sample:../../etc/passwd',
      'sample:swiss-roll?rows=1e12',
      'sample:nope',
    ]) {
      const msg = await refusal(
        app().sessions.decodeAndRestore(
          craft(bytes, (m) => Object.assign(m.datasets[0]!.origin, { spec })),
          'evil.mexsession',
        ),
      );
      expect(msg, spec).toMatch(/session\.mexsession|evil\.mexsession/);
      expect(msg, spec).not.toContain(SECRET);
      expect(msg, spec).not.toMatch(/root:/);
    }
    // The real one restores (and is checked against the saved sha256).
    const b = app();
    await expect(b.sessions.decodeAndRestore(bytes, 'ok.mexsession')).resolves.toMatchObject({
      datasets: [{ rows: 50, dims: 3 }],
    });
  });
});

describe('sessions the app wrote reopen', () => {
  test('next to its data: a fresh app (no key, nothing open) opens it through the relative path', async () => {
    await mkdir(join(dir, 'proj', 'data'), { recursive: true });
    await copyFile(IRIS, join(dir, 'proj', 'data', 'iris.csv'));
    const a = app();
    await a.datasets.openFile(join(dir, 'proj', 'data', 'iris.csv'), { labelColumn: 'species' });
    await a.sessions.save(join(dir, 'proj', 'analysis.mexsession'), { v: 1 });
    // Move the whole folder: the session and its data travel together.
    await mkdir(join(dir, 'moved'));
    const { rename } = await import('node:fs/promises');
    await rename(join(dir, 'proj'), join(dir, 'moved', 'proj'));
    const b = app();
    const info = await b.sessions.open(join(dir, 'moved', 'proj', 'analysis.mexsession'));
    expect(info).toMatchObject({
      viewState: { v: 1 },
      datasets: [{ name: 'iris', rows: 4, hasLabels: true }],
    });
    expect(info.datasets[0]!.source).toBe(join(dir, 'moved', 'proj', 'data', 'iris.csv'));
  });

  test('a granted path reopens with the same key; another key or a forged grant is refused', async () => {
    const key = join(dir, 'user-data', 'grants.key');
    const a = app(new GrantKey(key));
    await a.datasets.openFile(IRIS, { labelColumn: 'species' });
    const path = join(dir, 'elsewhere', 'autosave.mexsession');
    await a.sessions.save(path, {});
    const { stat } = await import('node:fs/promises');
    expect((await stat(key)).mode & 0o777).toBe(0o600);

    const b = app(new GrantKey(key));
    await expect(b.sessions.open(path, { remember: false })).resolves.toMatchObject({
      path: null,
      datasets: [{ name: 'iris', rows: 4 }],
    });
    expect(b.sessions.path).toBeNull();

    const other = app(new GrantKey(join(dir, 'other-install', 'grants.key')));
    const refusedOther = await refusal(other.sessions.open(path));
    expect(refusedOther).toMatch(/iris\.csv cannot be read as the dataset this session saved/);

    const forged = join(dir, 'elsewhere', 'forged.mexsession');
    const bytes = new Uint8Array(await readFile(path));
    await writeFile(
      forged,
      craft(bytes, (m) => (fileOrigin(m).grant = sha256('forged'))),
    );
    expect(await refusal(app(new GrantKey(key)).sessions.open(forged))).toBe(
      refusedOther.replace(path, forged),
    );
    // A valid grant is bound to its path: moved to another file, it is worthless.
    const moved = join(dir, 'elsewhere', 'moved.mexsession');
    await writeFile(
      moved,
      craft(bytes, (m) => (fileOrigin(m).path = '/etc/passwd')),
    );
    await refusal(app(new GrantKey(key)).sessions.open(moved));
  });

  test('a dataset already open is used as it is: nothing is read', async () => {
    const a = app();
    await a.datasets.openFile(IRIS, { labelColumn: 'species' });
    const bytes = a.sessions.encode({});
    // The same sha256 open in the app: bytes restore without a location.
    await expect(a.sessions.decodeAndRestore(bytes, 's.mexsession')).resolves.toMatchObject({
      datasets: [{ name: 'iris', rows: 4, hasLabels: true }],
    });
  });

  test('format 1 sessions still open: samples and uploads', async () => {
    const a = app();
    await a.datasets.openSample('helix', { rows: 40, seed: 2 });
    const up = await a.datasets.upload('points.csv', new TextEncoder().encode('x,y\n1,2\n3,4\n5,6\n'));
    const m = await (async () => {
      await a.sessions.save(join(dir, 'v2.mexsession'), { view: 'data' });
      return readSessionFile(join(dir, 'v2.mexsession'));
    })();
    const v1 = encodeRaw(
      {
        ...m,
        version: 1,
        datasets: m.datasets.map((d) => ({ ...d, origin: { ...d.origin, options: {} } })),
      },
      1,
    );
    const b = app();
    const info = await b.sessions.decodeAndRestore(v1, 'old.mexsession');
    expect(info.viewState).toEqual({ view: 'data' });
    expect(info.datasets.map((d) => [d.name, d.rows, d.dims])).toEqual([
      ['Helix', 40, 3],
      ['points', 3, 2],
    ]);
    expect(Array.from(b.datasets.get(up.id).dataset.data)).toEqual([1, 2, 3, 4, 5, 6]);
  });
});
