/**
 * Streamed uploads (app/uploads.ts): chunks written in order to a private folder, loaded at the
 * end; the folder is gone after every way out (a load, a failed load, an abort, a refused chunk, the
 * owner leaving, the idle timeout, closing), and one owner cannot touch another's upload.
 */
import { existsSync } from 'node:fs';
import { DatasetStore } from '../../../electron/app/datasets';
import { UploadStore, type UploadLimits } from '../../../electron/app/uploads';
import { loadOptions } from '../../../electron/app/core';

const csv = (rows: number) =>
  new TextEncoder().encode('a;b\n' + Array.from({ length: rows }, (_, i) => `${i},5;${i}`).join('\n') + '\n');

function store(limits: Partial<UploadLimits> = {}) {
  const datasets = new DatasetStore();
  const logs: string[] = [];
  const sessions: Uint8Array[] = [];
  const uploads = new UploadStore(
    datasets,
    loadOptions,
    async (bytes, fileName) => {
      sessions.push(bytes);
      return { fileName, datasets: [], runs: [] } as never;
    },
    limits,
    (m) => logs.push(m),
  );
  return { datasets, uploads, logs, sessions };
}

async function send(u: UploadStore, owner: string, id: string, bytes: Uint8Array, chunk = 7, file = 0) {
  for (let o = 0; o < bytes.length; o += chunk)
    await u.chunk(owner, { uploadId: id, file, offset: o, bytes: bytes.subarray(o, o + chunk) });
}

test('chunks in order make the file; the end loads it and removes the folder', async () => {
  const { uploads, datasets } = store();
  const bytes = csv(50);
  const { uploadId } = await uploads.begin('a', { fileName: 'eu.csv', size: bytes.length });
  const dir = uploads.active()[0]!.dir;
  expect(existsSync(dir)).toBe(true);
  await send(uploads, 'a', uploadId, bytes);
  const summary = await uploads.end('a', uploadId);
  expect(summary).toMatchObject({ rows: 50, dims: 2, source: 'upload:eu.csv', name: 'eu' });
  // The decimal comma was detected and said.
  expect(summary.warnings?.[0]).toMatch(/decimal commas detected \("0,5" in row 2, column 1\)/);
  expect(datasets.get(summary.id).dataset.data[0]).toBe(0.5);
  expect(existsSync(dir)).toBe(false);
  expect(uploads.active()).toEqual([]);
});

test('a companion file travels beside the main one', async () => {
  const { uploads } = store();
  const head = Uint8Array.from([0, 0, 8, 3, 0, 0, 0, 2, 0, 0, 0, 1, 0, 0, 0, 2]);
  const images = new Uint8Array([...head, 0, 255, 255, 0]);
  const labels = Uint8Array.from([0, 0, 8, 1, 0, 0, 0, 2, 3, 5]);
  const { uploadId } = await uploads.begin('a', {
    fileName: 't-images-idx3-ubyte',
    size: images.length,
    companions: [{ fileName: 't-labels-idx1-ubyte', size: labels.length }],
  });
  await send(uploads, 'a', uploadId, images);
  await send(uploads, 'a', uploadId, labels, 4, 1);
  expect(await uploads.end('a', uploadId)).toMatchObject({
    rows: 2,
    dims: 2,
    hasLabels: true,
    labelNames: ['3', '5'],
  });
});

test('every way out removes the folder', async () => {
  const { uploads, logs } = store({ idleMs: 50 });
  const bytes = csv(10);
  const begin = async (owner = 'a', name = 'x.csv') => {
    const { uploadId } = await uploads.begin(owner, { fileName: name, size: bytes.length });
    return { id: uploadId, dir: uploads.active().find((u) => u.id === uploadId)!.dir };
  };
  // A failed load: the message names the user's file, not the copy.
  const bad = await begin('a', 'bad data.csv');
  const broken = new TextEncoder().encode('a,b\n1,2\n3\n'.padEnd(bytes.length, '\n'));
  await send(uploads, 'a', bad.id, broken);
  await expect(uploads.end('a', bad.id)).rejects.toThrow(/^bad data\.csv, row 3: expected 2 fields/);
  expect(existsSync(bad.dir)).toBe(false);
  // An abort.
  const ab = await begin();
  expect(await uploads.abort('a', ab.id)).toEqual({ aborted: true });
  expect(existsSync(ab.dir)).toBe(false);
  // A chunk out of order, and more bytes than declared.
  const order = await begin();
  await expect(
    uploads.chunk('a', { uploadId: order.id, file: 0, offset: 5, bytes: bytes.subarray(0, 5) }),
  ).rejects.toThrow(
    /a chunk at byte 5 of x\.csv; expected byte 0 \(chunks come in order\); the upload was dropped/,
  );
  expect(existsSync(order.dir)).toBe(false);
  const more = await begin();
  await send(uploads, 'a', more.id, bytes);
  await expect(
    uploads.chunk('a', { uploadId: more.id, file: 0, offset: bytes.length, bytes: bytes.subarray(0, 1) }),
  ).rejects.toThrow(/sends more than the \d+ bytes declared/);
  expect(existsSync(more.dir)).toBe(false);
  // An incomplete upload ended.
  const part = await begin();
  await send(uploads, 'a', part.id, bytes.subarray(0, 10));
  await expect(uploads.end('a', part.id)).rejects.toThrow(/the upload is incomplete \(10 of \d+ bytes\)/);
  expect(existsSync(part.dir)).toBe(false);
  // The owner goes away; the other owner's upload stays.
  const gone = await begin('b');
  const kept = await begin('c');
  await uploads.closeOwner('b');
  expect(existsSync(gone.dir)).toBe(false);
  expect(existsSync(kept.dir)).toBe(true);
  // No chunk for idleMs.
  await new Promise((r) => setTimeout(r, 200));
  expect(existsSync(kept.dir)).toBe(false);
  expect(logs.some((l) => /dropped after 50 ms without a chunk/.test(l))).toBe(true);
  // Closing the store.
  const last = await begin();
  await uploads.close();
  expect(existsSync(last.dir)).toBe(false);
  expect(uploads.active()).toEqual([]);
});

test('limits: the size, uploads at once, and only the owner can touch an upload', async () => {
  const { uploads } = store({ maxBytes: 1000, perOwner: 2 });
  await expect(uploads.begin('a', { fileName: 'big.csv', size: 1001 })).rejects.toThrow(
    /big\.csv: the upload is 1,001 bytes; the limit is 1,000 bytes \(the data limit\)/,
  );
  await expect(
    uploads.begin('a', { fileName: 'x.csv', size: 600, companions: [{ fileName: 'y.csv', size: 600 }] }),
  ).rejects.toThrow(/the upload is 1\.2 KiB; the limit is 1,000 bytes/);
  const { uploadId } = await uploads.begin('a', { fileName: 'x.csv', size: 10 });
  await uploads.begin('a', { fileName: 'y.csv', size: 10 });
  await expect(uploads.begin('a', { fileName: 'z.csv', size: 10 })).rejects.toThrow(
    /2 uploads are in progress/,
  );
  await expect(
    uploads.chunk('b', { uploadId, file: 0, offset: 0, bytes: new Uint8Array(1) }),
  ).rejects.toThrow(/no upload up-[\w-]+ in progress/);
  expect(await uploads.abort('b', uploadId)).toEqual({ aborted: false });
  expect(uploads.active()).toHaveLength(2);
  await uploads.close();
});

test('a session file can be streamed too', async () => {
  const { uploads, sessions } = store();
  const bytes = Uint8Array.from({ length: 100 }, (_, i) => i);
  const { uploadId } = await uploads.begin('a', { fileName: 's.mexsession', size: bytes.length });
  await send(uploads, 'a', uploadId, bytes, 33);
  await uploads.endSession('a', uploadId);
  expect(Array.from(sessions[0]!)).toEqual(Array.from(bytes));
  expect(uploads.active()).toEqual([]);
});
