import { vi } from 'vitest';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// Native dialogs are mocked: each test says what the user "picked".
const dialog = { showOpenDialog: vi.fn(), showSaveDialog: vi.fn() };
vi.mock('electron', () => ({ dialog }));

const { desktopHandlers } = await import('../../../electron/main/desktop');
const { createAppCore } = await import('../../../electron/app/core');
const { RecentFiles } = await import('../../../electron/main/recent');
const { ROOT } = await import('../../helpers/cli');

const iris = join(ROOT, 'tests/fixtures/data/good/iris.csv');
let dir: string;
let core: ReturnType<typeof createAppCore>;
let recent: InstanceType<typeof RecentFiles>;
let h: ReturnType<typeof desktopHandlers>;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mx-desktop-'));
  // No engine host is started by these calls.
  core = createAppCore({
    host: 'electron',
    version: 't',
    hostFactory: () => {
      throw new Error('no engine in this test');
    },
  });
  recent = new RecentFiles(join(dir, 'recent.json'));
  await recent.load();
  h = desktopHandlers(core, () => undefined, recent);
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
  vi.clearAllMocks();
});

describe('desktop calls (dialogs mocked)', () => {
  test('open a dataset through the dialog; it is listed and remembered', async () => {
    dialog.showOpenDialog.mockResolvedValueOnce({ canceled: false, filePaths: [iris] });
    const summary = await h.openDatasetDialog!({ options: { labelColumn: 'species' } });
    expect(summary).toMatchObject({ name: 'iris', rows: 4, hasLabels: true });
    expect(core.datasets.list()).toHaveLength(1);
    expect(recent.list()[0]).toMatchObject({ path: iris, kind: 'dataset' });
    expect(JSON.parse(await readFile(join(dir, 'recent.json'), 'utf8'))[0].path).toBe(iris);
  });

  test('a cancelled dialog changes nothing; a bad file fails and keeps what was loaded', async () => {
    dialog.showOpenDialog.mockResolvedValueOnce({ canceled: true, filePaths: [] });
    expect(await h.openDatasetDialog!({})).toBeNull();
    dialog.showOpenDialog.mockResolvedValueOnce({ canceled: false, filePaths: [iris] });
    await h.openDatasetDialog!({});
    dialog.showOpenDialog.mockResolvedValueOnce({
      canceled: false,
      filePaths: [join(ROOT, 'tests/fixtures/data/bad/ragged.csv')],
    });
    await expect(h.openDatasetDialog!({})).rejects.toThrow(/ragged\.csv.*row/);
    expect(core.datasets.list().map((d) => d.name)).toEqual(['iris']);
  });

  test('exports are written where the user chose, atomically', async () => {
    const target = join(dir, 'figure.svg');
    dialog.showSaveDialog.mockResolvedValueOnce({ canceled: false, filePath: target });
    const r = await h.exportFile!({ suggestedName: 'figure.svg', content: '<svg/>' });
    expect(r).toEqual({ path: target, bytes: 6 });
    expect(await readFile(target, 'utf8')).toBe('<svg/>');
    expect(dialog.showSaveDialog.mock.calls[0]![0]).toMatchObject({
      defaultPath: 'figure.svg',
      filters: [{ extensions: ['svg'] }],
    });
  });

  test('save a session, then open it; a corrupt file is refused and the previous file is kept', async () => {
    dialog.showOpenDialog.mockResolvedValueOnce({ canceled: false, filePaths: [iris] });
    await h.openDatasetDialog!({});
    const path = join(dir, 'analysis.mexsession');
    dialog.showSaveDialog.mockResolvedValueOnce({ canceled: false, filePath: join(dir, 'analysis') });
    const saved = await h.saveSession!({ viewState: { camera: [1, 2, 3] } });
    expect(saved.path).toBe(path);
    // Save again: no dialog, same file.
    await h.saveSession!({ viewState: { camera: [4, 5, 6] } });
    expect(dialog.showSaveDialog).toHaveBeenCalledTimes(1);
    const good = await readFile(path);

    dialog.showOpenDialog.mockResolvedValueOnce({ canceled: false, filePaths: [path] });
    const info = await h.openSession!({});
    expect(info).toMatchObject({
      path,
      viewState: { camera: [4, 5, 6] },
      datasets: [{ name: 'iris', rows: 4 }],
    });

    const broken = join(dir, 'broken.mexsession');
    await writeFile(broken, good.subarray(0, good.length - 7));
    dialog.showOpenDialog.mockResolvedValueOnce({ canceled: false, filePaths: [broken] });
    await expect(h.openSession!({})).rejects.toThrow(/broken\.mexsession.*damaged/);
    expect(core.datasets.list()).toHaveLength(1);
    expect(Buffer.compare(await readFile(path), good)).toBe(0);
  });
});
