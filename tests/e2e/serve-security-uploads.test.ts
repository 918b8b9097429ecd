/**
 * Browser mode under load and abuse (issue #18): an oversized frame closes only the socket that
 * sent it; uploads past the limit are refused and leave no temporary folder, nor do sockets that
 * close mid-upload or uploads left idle; a big file streamed in chunks (by the browser client's own
 * upload code) loads while the server keeps answering other sockets, a new connection included; a
 * flood of small calls is answered in full.
 */
import { existsSync } from 'node:fs';
import { UPLOAD_LIMITS } from '../../electron/shared/contract';
import type { CallName, ExplorerApi } from '../../electron/shared/contract';
import { bytesPart, streamUpload } from '../../renderer/src/api/upload';
import { connectClient, startBrowserMode } from '../helpers/serve';
import { openApp, shot } from './app-helpers';
import type { TestClient } from '../helpers/serve';

type Server = Awaited<ReturnType<typeof startBrowserMode>>;
let app: Server;
let client: TestClient;

const MiB = 2 ** 20;

beforeAll(async () => {
  app = await startBrowserMode({ uploads: { maxBytes: 256 * MiB, idleMs: 500 } });
  client = await connectClient(app.server);
});
afterAll(async () => {
  client?.close();
  await app?.close();
});

/** The browser client's API, over a test client (upload.ts only needs the calls). */
function apiOf(c: TestClient): ExplorerApi {
  return new Proxy({} as ExplorerApi, {
    get: (_t, name: string) => (input: never) => c.call(name as CallName, input),
  });
}

/** Wait for a condition the server reaches on its own (a socket's cleanup, an idle timeout). */
async function until(what: string, ok: () => boolean, ms = 10_000): Promise<void> {
  for (const end = Date.now() + ms; !ok();) {
    if (Date.now() > end) throw new Error(`timed out waiting: ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const closed = (c: TestClient) =>
  new Promise<number>((resolve) => c.socket.once('close', (code: number) => resolve(code)));

test('a frame past the limit closes only that socket (1009); the server and the others go on', async () => {
  const rogue = await connectClient(app.server);
  const code = closed(rogue);
  rogue.socket.send(new Uint8Array(UPLOAD_LIMITS.maxFrameBytes + 1));
  expect(await code).toBe(1009);
  await expect(client.call('appInfo', {})).resolves.toMatchObject({ host: 'browser' });
  const fresh = await connectClient(app.server);
  await expect(fresh.call('listSamples', {})).resolves.toEqual(
    expect.arrayContaining([expect.objectContaining({ name: 'swiss-roll' })]),
  );
  fresh.close();
  expect(app.logs.some((l) => /closed a socket that sent a message over 67108864 bytes/.test(l))).toBe(true);
});

test('uploads past the limits are refused; a refused upload leaves no folder', async () => {
  await expect(client.call('uploadBegin', { fileName: 'huge.csv', size: 300 * MiB })).rejects.toThrow(
    /huge\.csv: the upload is 300\.0 MiB; the limit is 256\.0 MiB \(the data limit\)/,
  );
  await expect(
    client.call('uploadBegin', { fileName: 'x.csv', size: UPLOAD_LIMITS.maxUploadBytes + 1 }),
  ).rejects.toMatchObject({ code: 'bad-request' });
  const { uploadId } = await client.call('uploadBegin', { fileName: 'small.csv', size: 10 });
  const dir = app.core.uploads.active().find((u) => u.id === uploadId)!.dir;
  expect(existsSync(dir)).toBe(true);
  await expect(
    client.call('uploadChunk', { uploadId, file: 0, offset: 0, bytes: new Uint8Array(17 * MiB) }),
  ).rejects.toThrow(/uploadChunk\.bytes: a chunk of at most 16 MiB/);
  await expect(
    client.call('uploadChunk', { uploadId, file: 0, offset: 0, bytes: new Uint8Array(11) }),
  ).rejects.toThrow(/small\.csv: small\.csv sends more than the 10 bytes declared; the upload was dropped/);
  expect(existsSync(dir)).toBe(false);
  expect(app.core.uploads.active()).toEqual([]);
});

test('a socket that closes mid-upload, and an upload left idle, leave no folder', async () => {
  const leaving = await connectClient(app.server);
  const a = await leaving.call('uploadBegin', { fileName: 'a.csv', size: 1000 });
  await leaving.call('uploadChunk', { uploadId: a.uploadId, file: 0, offset: 0, bytes: new Uint8Array(100) });
  const dirA = app.core.uploads.active().find((u) => u.id === a.uploadId)!.dir;
  // Another socket cannot touch it.
  await expect(
    client.call('uploadChunk', { uploadId: a.uploadId, file: 0, offset: 100, bytes: new Uint8Array(1) }),
  ).rejects.toThrow(/no upload up-[\w-]+ in progress/);
  leaving.close();
  await until('the closed socket’s upload folder goes', () => !existsSync(dirA));
  const b = await client.call('uploadBegin', { fileName: 'b.csv', size: 1000 });
  const dirB = app.core.uploads.active().find((u) => u.id === b.uploadId)!.dir;
  await until('the idle upload goes', () => !existsSync(dirB));
  expect(
    app.logs.some((l) => /upload up-[\w-]+ \(b\.csv\) dropped after 500 ms without a chunk/.test(l)),
  ).toBe(true);
  expect(app.core.uploads.active()).toEqual([]);
});

test('a 50 MB CSV streamed in chunks loads while other sockets are answered promptly', async () => {
  const cols = 50;
  const row = Array.from({ length: cols }, (_, c) => (c / 7).toFixed(4)).join(',');
  const text = `${Array.from({ length: cols }, (_, c) => `c${c}`).join(',')}\n${`${row}\n`.repeat(170_000)}`;
  const bytes = new TextEncoder().encode(text);
  // A second socket connects and calls appInfo every 20 ms for as long as the upload runs.
  const latencies: number[] = [];
  let uploading = true;
  let duringLoad = 0;
  let loading = false;
  const watcher = (async () => {
    const t0 = performance.now();
    const other = await connectClient(app.server);
    latencies.push(performance.now() - t0); // the connection itself
    while (uploading) {
      const t = performance.now();
      await other.call('appInfo', {});
      latencies.push(performance.now() - t);
      if (loading) duringLoad++;
      await new Promise((r) => setTimeout(r, 20));
    }
    other.close();
  })();
  const api = apiOf(client);
  const realEnd = api.uploadEnd;
  const t0 = performance.now();
  const summary = await streamUpload(
    new Proxy(api, {
      get: (t, k: string) =>
        k === 'uploadEnd'
          ? (i: never) => {
              loading = true;
              return (realEnd as (i: never) => Promise<unknown>)(i);
            }
          : (t as unknown as Record<string, unknown>)[k],
    }),
    [bytesPart('big.csv', bytes)],
    'dataset',
  );
  const seconds = (performance.now() - t0) / 1000;
  uploading = false;
  await watcher;
  expect(summary).toMatchObject({ rows: 170_000, dims: cols, source: 'upload:big.csv' });
  // Calls were answered while the file was parsed, not only before and after.
  expect(duringLoad).toBeGreaterThan(0);
  expect(app.core.uploads.active()).toEqual([]);
  const sorted = [...latencies].sort((a, b) => a - b);
  console.log(
    `upload+load of ${(bytes.length / MiB).toFixed(0)} MiB in ${seconds.toFixed(1)} s; ` +
      `${latencies.length} replies to another socket (connect ${latencies[0]!.toFixed(0)} ms), ` +
      `median ${sorted[sorted.length >> 1]!.toFixed(0)} ms, max ${sorted.at(-1)!.toFixed(0)} ms, ${duringLoad} during the parse`,
  );
});

test('a session file streams too', async () => {
  await client.call('openSample', { name: 'swiss-roll', rows: 200 });
  const { bytes } = await client.call('exportSession', { viewState: {} });
  const info = await streamUpload(apiOf(client), [bytesPart('s.mexsession', bytes)], 'session');
  expect(info.datasets.length).toBeGreaterThan(0);
});

test('a flood of small calls is answered in full, and other sockets meanwhile', async () => {
  const other = await connectClient(app.server);
  const flood = Array.from({ length: 3000 }, () => client.call('appInfo', {}));
  const meanwhile = other.call('listSamples', {});
  const replies = await Promise.all(flood);
  expect(replies).toHaveLength(3000);
  expect(replies.every((r) => r.host === 'browser')).toBe(true);
  await expect(meanwhile).resolves.toEqual(expect.any(Array));
  // The flooding socket was paused until its replies caught up, not dropped.
  expect(
    app.logs.some((l) => /a socket has 65 calls \(\d+ bytes\) in flight; reading it waits/.test(l)),
  ).toBe(true);
  other.close();
});

test('in Chromium: a 13 MB file dropped on the page streams in chunks; the loader’s warning is shown', async () => {
  const s = await openApp();
  try {
    const { page } = s;
    const chunks = vi.spyOn(s.server.core.uploads, 'chunk');
    await page.getByRole('tab', { name: /Data$/ }).click();
    // Built in the page: 800,000 rows of ";"-separated decimal commas (what a German Excel writes).
    await page.evaluate(() => {
      const rows = ['Länge;Breite;Höhe'];
      for (let i = 0; i < 800_000; i++) rows.push(`${i % 97},5;${i % 13},25;-${i % 7},125`);
      const dt = new DataTransfer();
      dt.items.add(new File([rows.join('\n') + '\n'], 'messung.csv', { type: 'text/csv' }));
      const init = { dataTransfer: dt, bubbles: true, cancelable: true };
      document.body.dispatchEvent(new DragEvent('dragenter', init));
      document.body.dispatchEvent(new DragEvent('dragover', init));
      document.body.dispatchEvent(new DragEvent('drop', init));
    });
    await page.getByTestId('dataset-shape').filter({ hasText: '800,000 rows × 3 columns' }).waitFor();
    await page
      .getByRole('status')
      .filter({ hasText: /messung: decimal commas detected \("0,5" in row 2, column 1\)/ })
      .waitFor();
    await shot(page, 'serve-uploads-decimal-warning.png');
    // It came in chunks of 4 MiB, and left nothing behind.
    expect(chunks.mock.calls.length).toBeGreaterThan(2);
    expect(chunks.mock.calls[0]![1].bytes.byteLength).toBe(UPLOAD_LIMITS.chunkBytes);
    expect(s.server.core.uploads.active()).toEqual([]);
    expect(s.server.logs.filter((l) => /closed a socket/.test(l))).toEqual([]);
    expect(s.errors).toEqual([]);
  } finally {
    await s.close();
  }
});
