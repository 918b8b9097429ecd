/**
 * Uploads (browser mode, drag and drop): a file's bytes with the files that came with it, loaded
 * from a private temporary folder — an IDX images file finds its labels file beside it there.
 */
import { DatasetStore } from '../../../electron/app/datasets';

/** IDX: magic (0, 0, type 0x08 = ubyte, rank), big-endian sizes, then the bytes. */
function idx(dims: number[], values: number[]): Uint8Array {
  const head = new DataView(new ArrayBuffer(4 + 4 * dims.length));
  head.setUint8(2, 0x08);
  head.setUint8(3, dims.length);
  dims.forEach((v, i) => head.setUint32(4 + 4 * i, v));
  const out = new Uint8Array(head.byteLength + values.length);
  out.set(new Uint8Array(head.buffer), 0);
  out.set(values, head.byteLength);
  return out;
}

test('an IDX images upload with its labels file as a companion has labels', async () => {
  const images = idx([3, 2, 2], [0, 255, 0, 255, 10, 20, 30, 40, 255, 255, 255, 255]);
  const labels = idx([3], [7, 1, 7]);
  const store = new DatasetStore();
  const alone = await store.upload('t-images-idx3-ubyte', images);
  expect(alone.summary.hasLabels).toBe(false);
  const rec = await store.upload('t-images-idx3-ubyte', images, {}, [
    { fileName: 't-labels-idx1-ubyte', bytes: labels },
  ]);
  expect(rec.summary).toMatchObject({ rows: 3, dims: 4, hasLabels: true, image: { width: 2, height: 2 } });
  expect(Array.from(rec.dataset.labels ?? [])).toHaveLength(3);
  expect(rec.dataset.data[1]).toBeCloseTo(1);
});

test('a bad upload names the file the user gave, not the temporary copy', async () => {
  const store = new DatasetStore();
  await expect(
    store.upload('my data.csv', new TextEncoder().encode('a,b\n1,2\n3\n'), {}, [
      { fileName: 'notes.txt', bytes: new Uint8Array([1]) },
    ]),
  ).rejects.toThrow(/^my data\.csv.*row 3/);
  expect(store.list()).toEqual([]);
});
