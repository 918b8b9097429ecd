/** runTraining end to end: row order, original units, normalisation, warnings, family figures. */
import { runTraining, flattenHistory } from '../../../electron/engine/run';
import { encodeRows } from '../../../electron/engine/apply';
import { UserError } from '../../../electron/shared/errors';
import { createRng } from '../../../electron/engine/random';
import { generateSample } from '../../../electron/data/samples/generate';
import { datasetOf, lowRankData, useCpu } from './helpers';

beforeAll(useCpu);

const n = 100,
  d = 4;
const raw = lowRankData(n, d, [3, 1], 0.1, 2).map((v, i) => 50 + 10 * v * (1 + (i % d)));

describe('runTraining', () => {
  test('codes in input row order, reconstructions in original units, flat history', async () => {
    const r = await runTraining({
      dataset: datasetOf(raw, n, d),
      config: { family: 'undercomplete', latent: 2, hidden: [8] },
      // One start: this pins the history's shape (several starts add theirs: restarts.ts).
      train: { epochs: 30, valSplit: 0.2, lr: 0.01, restarts: 1 },
    });
    expect(r.split).toEqual({ train: 80, validation: 20 });
    expect(r.codes.length).toBe(n * 2);
    expect(r.reconstructions.length).toBe(n * d);
    // Row i's code is the model's code for row i alone.
    for (const i of [0, 37, 99]) {
      const one = await encodeRows(r.model, r.normalizer, raw.slice(i * d, (i + 1) * d), 1);
      expect(Array.from(one)).toEqual(Array.from(r.codes.slice(i * 2, i * 2 + 2)));
    }
    // Original units: the reconstruction error is small relative to the data's own spread.
    let se = 0,
      sv = 0;
    const mean = raw.reduce((a, b) => a + b, 0) / raw.length;
    raw.forEach((v, i) => {
      se += (v - r.reconstructions[i]!) ** 2;
      sv += (v - mean) ** 2;
    });
    expect(se / sv).toBeLessThan(0.2);
    const h = flattenHistory(r.history);
    expect(h).toHaveLength(30);
    expect(Object.keys(h[0]!)).toEqual([
      'epoch',
      'loss',
      'valLoss',
      'seconds',
      'lr',
      'reconstruction',
      'valReconstruction',
    ]);
    expect(r.metrics.valMse).not.toBeNull();
    expect(r.metrics.paramCount).toBe(r.model.paramCount);
    r.model.dispose();
  });

  test('warns when a bernoulli output meets data outside [0, 1], and suggests --normalize minmax', async () => {
    const ds = datasetOf(raw, n, d);
    const bad = await runTraining({
      dataset: ds,
      config: { family: 'undercomplete', latent: 2, output: 'bernoulli' },
      train: { epochs: 1, normalize: 'standard' },
    });
    expect(bad.warnings.join(' ')).toMatch(/Bernoulli output needs .*\[0, 1\].*minmax normalisation/);
    bad.model.dispose();
    // The default normalisation for a bernoulli output is minmax: no warning.
    const ok = await runTraining({
      dataset: ds,
      config: { family: 'undercomplete', latent: 2, output: 'bernoulli' },
      train: { epochs: 1 },
    });
    expect(ok.train.normalize).toBe('minmax');
    expect(ok.warnings.filter((w) => w.includes('bernoulli'))).toEqual([]);
    ok.model.dispose();
  });

  test('categorical output: one-hot columns keep their 0/1 values, each group decodes to probabilities', async () => {
    const rng = createRng(5);
    const rows = 120,
      dims = 5;
    const data = new Float32Array(rows * dims);
    for (let i = 0; i < rows; i++) {
      const c = rng.int(3);
      data[i * dims] = 10 + c * 5 + rng.normal();
      for (let j = 0; j < 3; j++) data[i * dims + 1 + j] = j === c ? 1 : 0;
      data[i * dims + 4] = -c + 0.1 * rng.normal();
    }
    const ds = datasetOf(data, rows, dims, {
      categorical: [{ name: 'kind', start: 1, levels: ['a', 'b', 'c'] }],
    });
    const r = await runTraining({
      dataset: ds,
      config: { family: 'undercomplete', latent: 2, hidden: [8], output: 'categorical' },
      train: { epochs: 40, lr: 0.01 },
    });
    expect([1, 2, 3].map((c) => [r.normalizer.offset[c], r.normalizer.scale[c]])).toEqual([
      [0, 1],
      [0, 1],
      [0, 1],
    ]);
    expect(r.normalizer.scale[0]).not.toBe(1);
    let correct = 0;
    for (let i = 0; i < rows; i++) {
      const p = Array.from(r.reconstructions.slice(i * dims + 1, i * dims + 4));
      expect(p.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
      if (p.indexOf(Math.max(...p)) === data.slice(i * dims + 1, i * dims + 4).indexOf(1)) correct++;
    }
    expect(correct / rows).toBeGreaterThan(0.9);
    expect(r.warnings).toEqual([]);
    r.model.dispose();
  });

  test('the VAE reports its ELBO by parts; the contractive family its ‖J‖²; capacity warnings', async () => {
    const ds = generateSample('swiss-roll', { rows: 300, seed: 1 });
    const v = await runTraining({ dataset: ds, config: { family: 'vae', latent: 2 }, train: { epochs: 3 } });
    const f = v.metrics.vae!;
    expect(f.elbo).toBeCloseTo(-(f.reconstruction + f.kl), 9);
    expect(f.kl).toBeGreaterThanOrEqual(0);
    v.model.dispose();
    const c = await runTraining({
      dataset: ds,
      config: { family: 'contractive', latent: 2, hidden: [] },
      train: { epochs: 2 },
    });
    expect(c.metrics.contraction!.method).toBe('closed-form');
    expect(c.metrics.contraction!.meanJacobianFrobeniusSq).toBeGreaterThan(0);
    c.model.dispose();
    const u = await runTraining({
      dataset: ds,
      config: { family: 'undercomplete', latent: 3 },
      train: { epochs: 1 },
    });
    expect(u.warnings.join(' ')).toMatch(/k = 3.*d = 3.*copy/);
    u.model.dispose();
  });

  test('bad requests are UserErrors that name the field', async () => {
    const ds = datasetOf(raw, n, d);
    await expect(runTraining({ dataset: ds, config: { family: 'sparse', latent: 0 } })).rejects.toThrow(
      /model\.latent/,
    );
    await expect(
      runTraining({ dataset: ds, config: { family: 'sparse' }, train: { valSplit: 2 } }),
    ).rejects.toThrow(/train\.valSplit/);
    await expect(
      runTraining({ dataset: ds, config: { family: 'sparse', output: 'categorical' } }),
    ).rejects.toThrow(UserError);
    await expect(runTraining({ dataset: datasetOf(raw.slice(0, d), 1, d), config: {} })).rejects.toThrow(
      /at least 2 rows/,
    );
  });

  test('live code snapshots of a fixed subset of rows, the last one equal to the final codes', async () => {
    const snaps: { indices: number[]; codes: number[]; step: number }[] = [];
    const r = await runTraining(
      {
        dataset: datasetOf(raw, n, d),
        config: { family: 'undercomplete', latent: 2 },
        train: { epochs: 3, batchSize: 30, patience: 0, restarts: 1 },
        snapshot: { rows: 10, everyMs: 0 },
      },
      {
        onCodes: (s) =>
          void snaps.push({ indices: Array.from(s.indices), codes: Array.from(s.codes), step: s.step }),
      },
      undefined,
      { throttleMs: 0 },
    );
    expect(snaps.map((s) => s.step)).toEqual(Array.from({ length: 9 }, (_, i) => i + 1));
    expect(snaps[0]!.indices).toEqual([0, 10, 20, 30, 40, 50, 60, 70, 80, 90]);
    expect(snaps[0]!.codes).toHaveLength(20);
    const last = snaps.at(-1)!;
    last.indices.forEach((row, i) => {
      expect(last.codes[2 * i]).toBeCloseTo(r.codes[2 * row]!, 6);
      expect(last.codes[2 * i + 1]).toBeCloseTo(r.codes[2 * row + 1]!, 6);
    });
    expect(snaps[0]!.codes).not.toEqual(last.codes);
    r.model.dispose();
  });

  test('an aborted run stops, keeps the epochs done, and still returns codes', async () => {
    const ctl = new AbortController();
    const r = await runTraining(
      {
        dataset: datasetOf(raw, n, d),
        config: { family: 'undercomplete', latent: 2 },
        train: { epochs: 1000, batchSize: 10 },
      },
      { onEpochEnd: (h) => (h.epoch === 3 ? ctl.abort() : undefined) },
      ctl.signal,
    );
    expect(r.stopped).toBe('aborted');
    expect(r.history).toHaveLength(3);
    expect(r.codes.length).toBe(n * 2);
    r.model.dispose();
  });
});
