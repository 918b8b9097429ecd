/**
 * The explorer's plain state helpers (renderer/src/state): the engine's bad-config message split
 * by field, hash buckets and sparsity per row, two runs' codes overlaid, rows spread over a
 * dataset, the arrows of a field kept near the data, and what the views draw from the stores.
 */
import { fieldErrors, fmtSeconds } from '../../../renderer/src/state/format';
import {
  column,
  gatherRows,
  hashBuckets,
  overlayCodes,
  rowSparsity,
} from '../../../renderer/src/state/codes';
import { dataScale, nearData, spread } from '../../../renderer/src/state/field';
import {
  ERROR_SCALAR,
  SPARSITY_SCALAR,
  TRUTH_SCALAR,
  dataProjection,
  latentModel,
  pcaPlane,
} from '../../../renderer/src/state/view-models';
import type {
  CallResult,
  DatasetArrays,
  DatasetSummary,
  RunDetail,
  SnapshotEvent,
} from '../../../electron/shared/contract';

test('a bad-config message is split into one message per field', () => {
  expect(
    fieldErrors('config.lambda: Too small: expected number to be >=0; train.epochs: expected an integer'),
  ).toEqual({
    'config.lambda': 'Too small: expected number to be >=0',
    'train.epochs': 'expected an integer',
  });
  expect(fieldErrors('config.noise.level: a mask probability must be in [0, 1]')).toEqual({
    'config.noise.level': 'a mask probability must be in [0, 1]',
  });
  expect(fieldErrors('no dataset ds-1 in this session')).toEqual({});
});

test('durations read as a person would say them', () => {
  expect(fmtSeconds(0.3)).toBe('< 1 s');
  expect(fmtSeconds(42.4)).toBe('42 s');
  expect(fmtSeconds(75)).toBe('1 min 15 s');
  expect(fmtSeconds(null)).toBe('—');
});

test('hash buckets read the binary code as an integer; equal codes share a bucket', () => {
  // Rows: 1 0 1 → 5, 0 0 1 → 1, 1 0 1 → 5 (codes above ½ are 1).
  const codes = Float32Array.from([0.9, 0.1, 0.7, 0.2, 0.4, 0.6, 1, 0, 1]);
  expect(Array.from(hashBuckets(codes, 3, 3))).toEqual([5, 1, 5]);
  const long = new Float32Array(2 * 40).fill(1);
  long[40 + 39] = 0;
  const b = hashBuckets(long, 2, 40);
  expect(b[0]).not.toBe(b[1]);
  expect(b[0]).toBeGreaterThanOrEqual(0);
});

test('sparsity is the mean |h| of each row', () => {
  expect(Array.from(rowSparsity(Float32Array.from([1, -3, 0, 0.5]), 2, 2))).toEqual([2, 0.25]);
});

test('rows and columns of row-major arrays', () => {
  const x = Float32Array.from([0, 1, 10, 11, 20, 21]);
  expect(Array.from(gatherRows(x, [2, 0], 2))).toEqual([20, 21, 0, 1]);
  expect(Array.from(column(x, 2, 1))).toEqual([1, 11, 21]);
  expect(gatherRows(Int32Array.from([4, 5, 6]), [1], 1)).toBeInstanceOf(Int32Array);
});

test('two runs overlaid: the shorter codes padded with zeros, a label per run', () => {
  const o = overlayCodes(Float32Array.from([1, 2]), 1, Float32Array.from([3, 4, 5, 6]), 2, 2);
  expect(o.k).toBe(2);
  expect(Array.from(o.codes)).toEqual([1, 0, 2, 0, 3, 4, 5, 6]);
  expect(Array.from(o.labels)).toEqual([0, 0, 1, 1]);
});

test('spread rows cover the dataset evenly; the length scale is the RMS of the deviations', () => {
  expect(spread(100, 4)).toEqual([12, 37, 62, 87]);
  expect(spread(3, 10)).toEqual([0, 1, 2]);
  expect(dataScale([3, 4])).toBeCloseTo(Math.sqrt(12.5));
});

test('a field keeps the arrows within 1.5 grid steps of the data, measured in its 3-D projection', () => {
  // A 5 × 5 grid on [0, 4]² (step 1), data at (0, 0) and (4, 4).
  const grid: number[] = [];
  for (let i = 0; i < 5; i++) for (let j = 0; j < 5; j++) grid.push(i, j);
  const origins = Float32Array.from(grid);
  const vectors = Float32Array.from(grid, (v) => -v);
  const data = Float32Array.from([0, 0, 4, 4]);
  const kept = nearData(origins, vectors, data, 2, null);
  expect(kept.spacing).toBeCloseTo(1);
  const pts: string[] = [];
  for (let i = 0; i < kept.origins.length / 2; i++)
    pts.push(`${kept.origins[2 * i]},${kept.origins[2 * i + 1]}`);
  // Within √2.25 = 1.5 of a corner: the corner, its two axis neighbours and the diagonal one.
  expect(pts.sort()).toEqual(['0,0', '0,1', '1,0', '1,1', '3,3', '3,4', '4,3', '4,4']);
  expect(kept.vectors[0]).toBe(-kept.origins[0]!);
  // d > 3: distances in the projection (onto the first three of four coordinates): the offset
  // along x₄ is not seen, the point 5 steps away is dropped.
  const proj = { mean: [0, 0, 0, 0], components: [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0] };
  const o4 = Float32Array.from([0, 0, 0, 9, 1, 0, 0, 0, 5, 0, 0, 0]);
  const far = nearData(o4, new Float32Array(12), new Float32Array(4), 4, proj);
  expect(Array.from(far.origins)).toEqual([0, 0, 0, 9, 1, 0, 0, 0]);
});

describe('what the views draw (view-models.ts)', () => {
  const t = <A extends Float32Array | Int32Array>(data: A, shape: number[]) => ({ data, shape });
  // Four rows of 2-D data in two labelled classes, with the true coordinate t₁.
  const summary = {
    id: 'ds-1',
    rows: 4,
    dims: 2,
    labelNames: ['a', 'b'],
    hasLabels: true,
  } as unknown as DatasetSummary;
  const arrays = {
    data: t(Float32Array.from([0, 0, 1, 0, 0, 1, 1, 1]), [4, 2]),
    labels: t(Int32Array.from([0, 0, 1, 1]), [4]),
    truth: { coordinates: t(Float32Array.from([0.1, 0.2, 0.3, 0.4]), [4, 1]) },
  } as unknown as DatasetArrays;
  const run = (family: string, codes: number[], k: number, runId = 'run-1a2b'): RunDetail =>
    ({
      summary: { runId, family, datasetId: 'ds-1', config: { latent: k } },
      history: [],
      codes: t(Float32Array.from(codes), [codes.length / k, k]),
      errors: t(Float32Array.from([1, 2, 3, 4]), [4]),
    }) as unknown as RunDetail;
  const none = { summary, arrays, detail: null, overlay: null, snapshot: null };

  test('a finished run: its codes, labels, and the colourings its family has', () => {
    expect(latentModel(none)).toBeNull();
    const sparse = latentModel({ ...none, detail: run('sparse', [1, 0, 0, -1, 2, 2, 0, 0], 2) })!;
    expect(sparse).toMatchObject({ k: 2, rows: null, source: 'run', labelNames: ['a', 'b'], buckets: null });
    expect(sparse.scalars.map((s) => s.name)).toEqual([ERROR_SCALAR, SPARSITY_SCALAR, TRUTH_SCALAR]);
    expect(Array.from(sparse.scalars[1]!.values)).toEqual([0.5, 0.5, 2, 0]);
    const hashing = latentModel({ ...none, detail: run('hashing', [1, 0, 0, 1, 1, 1, 0, 0], 2) })!;
    expect(Array.from(hashing.buckets!)).toEqual([2, 1, 3, 0]);
    expect(hashing.scalars.map((s) => s.name)).toEqual([ERROR_SCALAR, TRUTH_SCALAR]);
  });

  test('a live snapshot of some rows: their labels and truth gathered, and a note that says so', () => {
    const snapshot = {
      epoch: 3,
      codes: t(Float32Array.from([5, 6]), [2, 1]),
      indices: t(Int32Array.from([3, 1]), [2]),
    } as unknown as SnapshotEvent;
    const m = latentModel({ ...none, detail: run('contractive', [0, 0, 0, 0], 1), snapshot })!;
    expect(m).toMatchObject({ source: 'snapshot', epoch: 3, k: 1 });
    expect(Array.from(m.rows!)).toEqual([3, 1]);
    expect(Array.from(m.labels!)).toEqual([1, 0]);
    expect(Array.from(m.scalars[0]!.values)).toEqual([Math.fround(0.4), Math.fround(0.2)]);
    expect(m.note).toMatch(/^Live codes of 2 of 4 rows/);
  });

  test('two runs overlaid: labelled by run, the narrower codes padded', () => {
    const m = latentModel({
      ...none,
      detail: run('linear', [1, 2, 3, 4], 1),
      overlay: run('contractive', [1, 1, 2, 2, 3, 3, 4, 4], 2, 'run-9f'),
    })!;
    expect(m).toMatchObject({
      source: 'overlay',
      k: 2,
      labelNames: ['linear k=1 (1a2b)', 'contractive k=2 (9f)'],
    });
    expect(m.note).toBe('Overlay: k = 1 and k = 2 padded with zeros to 2 dimensions');
    expect(Array.from(m.labels!)).toEqual([0, 0, 0, 0, 1, 1, 1, 1]);
  });

  test('the data view: a projection only for d > 3, a PCA line for d = 2 and a plane above, ± 2σ', () => {
    const pca = {
      mean: t(Float32Array.from([1, 2, 3, 4]), [4]),
      components: t(Float32Array.from([1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0]), [3, 4]),
      explainedVariance: t(Float32Array.from([4, 1, 0.25]), [3]),
    } as unknown as CallResult<'pca'>;
    expect(dataProjection(pca, 3)).toBeNull();
    expect(Array.from(dataProjection(pca, 4)!.components)).toHaveLength(12);
    const plane = pcaPlane(pca, 4)!;
    expect(Array.from(plane.axes)).toEqual([1, 0, 0, 0, 0, 1, 0, 0]);
    expect(plane.extents).toEqual([4, 2]);
    expect(pcaPlane(pca, 2)!.extents).toEqual([4]);
    expect(pcaPlane(pca, 1)).toBeNull();
  });
});
