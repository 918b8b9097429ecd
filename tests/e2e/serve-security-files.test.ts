/**
 * Browser mode: a client that crafts session files (importSession takes bytes, with no location)
 * must not make the server read any file. Each crafted session points at a secret file (a temp
 * file with known content), /etc/passwd, a missing path, `..` and a symlink out, a labels path, or
 * a sample spec that is a path — with and without a sha256 that matches. Each is refused; the
 * reply holds neither the file's content nor a message that differs between a file that exists
 * and one that does not. Then the recovery half: weights that do not match their manifest are
 * refused naming the run, and a session whose run ids are already in memory is analysed with the
 * session's weights, not the cached ones.
 */
import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectClient, startBrowserMode } from '../helpers/serve';
import type { TestClient } from '../helpers/serve';
import { craft, sha256 } from '../helpers/sessions';
import { ROOT } from '../helpers/cli';
import type { SessionManifest } from '../../electron/app/session-file';
import type { EventMessage } from '../../electron/shared/contract';

type Server = Awaited<ReturnType<typeof startBrowserMode>>;
let app: Server;
let client: TestClient;
let dir: string;
const ROOT_DATA = join(ROOT, 'tests/fixtures/data/good');
let session: Uint8Array;
let runs: string[];

// What an attacker wants: a shadow-like line (a loader would quote it) and numbers a loader would
// accept as a dataset (getDataset would hand them over).
const SHADOW = 'root:$6$TOPSECRET-shadow-4f1c:19000:0:99999:7:::\n';
const NUMBERS = 'a,b\n1.25,2.5\n31337.5,4\n';
let shadow: string;
let numbers: string;

const done = (jobId: string) => (e: EventMessage) =>
  e.event === 'job' && e.payload.jobId === jobId && e.payload.state === 'done';

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'me-sec-'));
  shadow = join(dir, 'shadow');
  numbers = join(dir, 'numbers.csv');
  writeFileSync(shadow, SHADOW);
  writeFileSync(numbers, NUMBERS);
  symlinkSync(shadow, join(dir, 'link.csv'));
  app = await startBrowserMode({ checkpointMs: 0 });
  client = await connectClient(app.server);
  const ds = await client.call('openSample', { name: 'swiss-roll', rows: 300, seed: 2 });
  runs = [];
  for (const seed of [1, 2]) {
    const s = await client.call('startTraining', {
      datasetId: ds.id,
      config: { family: 'undercomplete', latent: 2, hidden: [8] },
      train: { epochs: 3, batchSize: 32, seed, patience: 0 },
    });
    await client.waitFor(done(s.jobId), 120_000);
    runs.push(s.runId);
  }
  session = (await client.call('exportSession', { viewState: {} })).bytes;
});
afterAll(async () => {
  client?.close();
  await app?.close();
  rmSync(dir, { recursive: true, force: true });
});

/**
 * Format 1's file origin (what the app accepted before format 2), under a valid checksum. Without a
 * sha256 of the file's, one no open dataset has (else the open sample would be used, reading nothing).
 */
const v1File = (path: string, sha: string | null, options: Record<string, unknown> = {}) =>
  craft(
    session,
    (m) => {
      const d = m.datasets[0]!;
      d.sha256 = sha ?? sha256('not open');
      (d as { origin: unknown }).origin = { kind: 'file', path, options };
    },
    1,
  );
const v2File = (origin: Record<string, unknown>, sha: string | null) =>
  craft(session, (m) => {
    const d = m.datasets[0]!;
    d.sha256 = sha ?? sha256('not open');
    (d as { origin: unknown }).origin = { kind: 'file', fileName: 'data.csv', options: {}, ...origin };
  });

async function refused(bytes: Uint8Array): Promise<{ code: string; message: string }> {
  const r = await client.call('importSession', { fileName: 'crafted.mexsession', bytes }).then(
    () => null,
    (e: { code: string; message: string }) => e,
  );
  expect(r, 'the crafted session was imported').not.toBeNull();
  return r!;
}

function noLeak(message: string): void {
  expect(message).not.toContain('TOPSECRET');
  expect(message).not.toContain('31337');
  expect(message).not.toMatch(/root:|\$6\$|\/bin\/|nologin/);
  expect(message).not.toContain(dir);
  // No hash prefix either (a sha256 mismatch message used to print twelve hex digits).
  expect(message).not.toMatch(/[0-9a-f]{12}/);
}

describe('crafted sessions never make the server read a file', () => {
  test('file origins: secret, /etc/passwd, missing, labels path; with and without the real sha256', async () => {
    const passwd = readFileSync('/etc/passwd');
    const cases: [string, Uint8Array][] = [
      ['secret', v1File(shadow, null)],
      ['secret, its sha256', v1File(shadow, sha256(SHADOW))],
      ['numbers, their sha256', v1File(numbers, sha256(NUMBERS))],
      ['/etc/passwd, its sha256', v1File('/etc/passwd', sha256(passwd))],
      ['missing', v1File(join(dir, 'missing.csv'), null)],
      ['a folder', v1File(dir, null)],
      ['symlink', v1File(join(dir, 'link.csv'), sha256(SHADOW))],
      ['dot-dot', v1File(`${dir}/../${dir.split('/').pop()}/shadow`, sha256(SHADOW))],
      ['labels path', v1File(join(ROOT_DATA, 'iris.csv'), null, { labels: shadow })],
      ['v2 path, forged grant', v2File({ path: numbers, grant: sha256('forged') }, sha256(NUMBERS))],
      ['v2 relative path', v2File({ relativePath: '../../../../etc/passwd' }, sha256(passwd))],
      ['v2 missing', v2File({ path: join(dir, 'missing.csv'), grant: sha256('x') }, null)],
    ];
    const before = await client.call('listDatasets', {});
    const messages = new Map<string, string>();
    for (const [what, bytes] of cases) {
      const e = await refused(bytes);
      noLeak(e.message);
      messages.set(
        what,
        e.message.replace(
          /data\.csv|shadow|numbers\.csv|passwd|missing\.csv|link\.csv|iris\.csv|me-sec-\w+/g,
          'F',
        ),
      );
    }
    // Existing, missing, a folder, readable or not: one message.
    expect(new Set(messages.values()).size, [...messages].join('\n')).toBe(1);
    expect([...messages.values()][0]).toMatch(
      /cannot be read as the dataset this session saved: open F first/,
    );
    // Nothing was loaded or lost.
    await expect(client.call('listDatasets', {})).resolves.toEqual(before);
  });

  test('sample specs that are paths are refused without reading them', async () => {
    for (const spec of [shadow, numbers, '/etc/passwd', `sample:${shadow}`, 'sample:../../etc/passwd']) {
      const e = await refused(
        craft(session, (m: SessionManifest) => Object.assign(m.datasets[0]!.origin, { spec }), 1),
      );
      expect(e.code).toBe('session.corrupt');
      noLeak(e.message.replace(spec, ''));
    }
  });
});

describe('recovery: weights checked, imported runs never confused with runs in memory', () => {
  test('truncated weights are refused naming the run', async () => {
    const e = await refused(
      craft(session, (m) => {
        const model = m.runs[0]!.model!;
        model.weights = model.weights.subarray(0, model.weights.length - 8);
      }),
    );
    expect(e.code).toBe('session.corrupt');
    expect(e.message).toContain(`run ${runs[0]}`);
    expect(e.message).toMatch(/truncated or mismatched/);
  });

  test('a session whose run id is in memory is analysed with the session’s weights', async () => {
    const at = { indices: [0, 50, 100, 150, 200] };
    const tangents = async (runId: string) =>
      Array.from(
        (await client.call('analyze', { runId, at, tangents: { method: 'decoder' } })).tangents!.data,
      );
    const first = await tangents(runs[0]!); // the host now caches run 0's model
    const second = await tangents(runs[1]!);
    expect(first).not.toEqual(second);
    // The same session, but run 0 holds run 1's weights.
    const swapped = craft(session, (m) => {
      const [a, b] = m.runs;
      a!.model = b!.model;
      if (a!.extra && b!.extra) a!.extra.result = b!.extra.result;
    });
    await client.call('importSession', { fileName: 'swapped.mexsession', bytes: swapped });
    expect(await tangents(runs[0]!)).toEqual(second);
    // And back: the original session gives the original weights again.
    await client.call('importSession', { fileName: 'original.mexsession', bytes: session });
    expect(await tangents(runs[0]!)).toEqual(first);
  });
});
