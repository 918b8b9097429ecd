/**
 * Desktop sessions and their data (dialogs mocked): a session saved next to its data opens in a
 * fresh app through its relative path; one saved elsewhere reopens its data through the grant this
 * installation signed; another installation (another key) or a forged grant gets the one message
 * that names the file and the fix, and the app keeps what it had open.
 */
import { vi } from 'vitest';
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const dialog = { showOpenDialog: vi.fn(), showSaveDialog: vi.fn() };
vi.mock('electron', () => ({ dialog }));

const { desktopHandlers } = await import('../../../electron/main/desktop');
const { createAppCore } = await import('../../../electron/app/core');
const { RecentFiles } = await import('../../../electron/main/recent');
const { GrantKey } = await import('../../../electron/app/grants');
const { ROOT } = await import('../../helpers/cli');
const { craft } = await import('../../helpers/sessions');

const IRIS = join(ROOT, 'tests/fixtures/data/good/iris.csv');
let dir: string;

async function desktop(keyFile: string) {
  const core = createAppCore({
    host: 'electron',
    version: 't',
    hostFactory: () => {
      throw new Error('no engine in this test');
    },
    grants: new GrantKey(keyFile),
  });
  const recent = new RecentFiles(join(dir, `recent-${Math.random()}.json`));
  await recent.load();
  return { core, h: desktopHandlers(core, () => undefined, recent) };
}

const pick = (path: string) =>
  dialog.showOpenDialog.mockResolvedValueOnce({ canceled: false, filePaths: [path] });
const saveTo = (path: string) =>
  dialog.showSaveDialog.mockResolvedValueOnce({ canceled: false, filePath: path });

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mx-desk-sess-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
  vi.clearAllMocks();
});

test('a session next to its data opens in a fresh app (another installation) through its relative path', async () => {
  await mkdir(join(dir, 'project', 'data'), { recursive: true });
  const data = join(dir, 'project', 'data', 'iris.csv');
  await copyFile(IRIS, data);
  const a = await desktop(join(dir, 'a.key'));
  pick(data);
  await a.h.openDatasetDialog!({ options: { labelColumn: 'species' } });
  saveTo(join(dir, 'project', 'analysis.mexsession'));
  await a.h.saveSession!({ viewState: { view: 'data' } });

  const b = await desktop(join(dir, 'b.key'));
  pick(join(dir, 'project', 'analysis.mexsession'));
  await expect(b.h.openSession!({})).resolves.toMatchObject({
    path: join(dir, 'project', 'analysis.mexsession'),
    viewState: { view: 'data' },
    datasets: [{ name: 'iris', rows: 4, dims: 2, hasLabels: true, source: data }],
  });
});

test('a granted path reopens on this installation only; a forged grant is refused', async () => {
  const key = join(dir, 'user-data', 'grants.key');
  const a = await desktop(key);
  pick(IRIS);
  await a.h.openDatasetDialog!({ options: { labelColumn: 'species' } });
  const session = join(dir, 'sessions', 'elsewhere.mexsession');
  await mkdir(join(dir, 'sessions'));
  saveTo(session);
  await a.h.saveSession!({ viewState: {} });

  const same = await desktop(key);
  pick(session);
  await expect(same.h.openSession!({})).resolves.toMatchObject({ datasets: [{ name: 'iris', rows: 4 }] });

  const other = await desktop(join(dir, 'other.key'));
  await other.core.datasets.openSample('helix', { rows: 20 });
  pick(session);
  await expect(other.h.openSession!({})).rejects.toThrow(
    /iris\.csv cannot be read as the dataset this session saved: open iris\.csv first, then open the session again/,
  );
  expect(other.core.datasets.list().map((d) => d.name)).toEqual(['Helix']);

  const forged = join(dir, 'sessions', 'forged.mexsession');
  await writeFile(
    forged,
    craft(new Uint8Array(await readFile(session)), (m) => {
      const o = m.datasets[0]!.origin;
      if (o.kind === 'file') o.grant = 'f'.repeat(64);
    }),
  );
  const again = await desktop(key);
  pick(forged);
  await expect(again.h.openSession!({})).rejects.toThrow(/iris\.csv cannot be read as the dataset/);
});
