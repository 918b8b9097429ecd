/**
 * The pure parts of the renderer's views: PCA, the screen-grid picking index against brute force,
 * axis ticks, colour maps and colourings, histograms, grid spacing, Gram–Schmidt.
 */
import * as THREE from 'three';
import { alignSigns, pcaBasis, projectPca, selectAxes } from '../../../renderer/src/scene/view-pca';
import { fitPca, pcaFromCovariance, sampledCovariance } from '../../../electron/engine/analysis/pca';
import { createRng } from '../../../electron/engine/random';
import { ScreenGrid } from '../../../renderer/src/scene/grid-index';
import {
  extent,
  formatTick,
  linearScale,
  logScale,
  logTicks,
  niceDomain,
  niceTicks,
} from '../../../renderer/src/charts/scale';
import { categoryColor, parseCssColor, viridis } from '../../../renderer/src/scene/colormap';
import { colorByBucket, colorByLabel, colorByScalar } from '../../../renderer/src/scene/coloring';
import { histogram, laplaceDensity } from '../../../renderer/src/charts/densities';
import { estimateSpacing } from '../../../renderer/src/scene/layers/field';
import { orthonormalRows } from '../../../renderer/src/scene/layers/util';
import { SceneFrame, boundsOf } from '../../../renderer/src/scene/frame';

/** Uniforms in [0, 1) from the engine's seeded generator. */
function rng(seed: number): () => number {
  const r = createRng(seed);
  return () => r.next();
}

function gauss(u: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - u())) * Math.cos(2 * Math.PI * u());
}

describe('pca', () => {
  test('the eigen-decomposition behind it satisfies A v = λ v with orthonormal v', () => {
    const u = rng(1);
    const k = 7;
    const a = new Float64Array(k * k);
    for (let i = 0; i < k; i++)
      for (let j = i; j < k; j++) {
        // A covariance is positive semi-definite: a random symmetric matrix plus k·I is.
        const v = u() * 2 - 1 + (i === j ? k : 0);
        a[i * k + j] = v;
        a[j * k + i] = v;
      }
    const { basis: vectors, variances: values } = pcaFromCovariance(new Float64Array(k), a, k, k);
    for (let c = 0; c < k; c++) {
      for (let i = 0; i < k; i++) {
        let av = 0;
        for (let j = 0; j < k; j++) av += a[i * k + j]! * vectors[c * k + j]!;
        expect(av).toBeCloseTo(values[c]! * vectors[c * k + i]!, 10);
      }
      for (let d = 0; d < k; d++) {
        let dot = 0;
        for (let i = 0; i < k; i++) dot += vectors[c * k + i]! * vectors[d * k + i]!;
        expect(dot).toBeCloseTo(c === d ? 1 : 0, 10);
      }
    }
  });

  test('the views’ PCA is the engine’s: the same directions up to sign, variances and scores', () => {
    const u = rng(6);
    const n = 3000;
    const k = 6;
    const x = Float32Array.from({ length: n * k }, (_, i) => gauss(u) * (1 + (i % k)) + (i % k));
    const view = pcaBasis(x, n, k, 3);
    const engine = fitPca(x, n, k, 3);
    expect(view.rowsUsed).toBe(n);
    for (let j = 0; j < 3; j++) {
      let dot = 0;
      for (let c = 0; c < k; c++) dot += view.components[j * k + c]! * engine.basis[j * k + c]!;
      expect(Math.abs(dot)).toBeCloseTo(1, 10);
      expect(view.variances[j]).toBeCloseTo(engine.variances[j]!, 8);
      // The views' sign convention: each direction's largest entry is positive.
      const big = view.components
        .subarray(j * k, (j + 1) * k)
        .reduce((m, v) => (Math.abs(v) > Math.abs(m) ? v : m));
      expect(big).toBeGreaterThan(0);
    }
    expect(view.total).toBeCloseTo(
      engine.variances.reduce((s, v) => s + v, 0),
      8,
    );
    // Subsampled covariance: every third row is the covariance of those rows.
    const every3 = sampledCovariance(x, n, k, 3);
    const rows = Float32Array.from({ length: 1000 * k }, (_, i) => x[Math.floor(i / k) * 3 * k + (i % k)]!);
    const sub = fitPca(rows, 1000, k, k);
    const fromCov = pcaFromCovariance(every3.mean, every3.cov, k, k);
    expect(every3.rows).toBe(1000);
    fromCov.variances.forEach((v, j) => expect(v).toBeCloseTo(sub.variances[j]!, 10));
  });

  test('recovers the axes and variances of a rotated anisotropic Gaussian', () => {
    const u = rng(2);
    const n = 20_000;
    const k = 4;
    const sd = [3, 2, 1, 0.25];
    // An orthonormal basis Q (rows) from Gram–Schmidt of random rows.
    const q = orthonormalRows(
      Array.from({ length: k * k }, () => u() * 2 - 1),
      k,
      k,
    );
    const x = new Float32Array(n * k);
    for (let i = 0; i < n; i++) {
      const z = sd.map((s) => s * gauss(u));
      for (let c = 0; c < k; c++) {
        let v = 5; // a mean to subtract
        for (let r = 0; r < k; r++) v += z[r]! * q[r * k + c]!;
        x[i * k + c] = v;
      }
    }
    const b = pcaBasis(x, n, k, 3);
    for (let j = 0; j < 3; j++) {
      expect(b.variances[j]! / sd[j]! ** 2).toBeCloseTo(1, 1);
      let dot = 0;
      for (let c = 0; c < k; c++) dot += b.components[j * k + c]! * q[j * k + c]!;
      expect(Math.abs(dot)).toBeGreaterThan(0.999);
    }
    expect(b.total).toBeCloseTo(
      sd.reduce((s, v) => s + v * v, 0),
      0,
    );
    for (let c = 0; c < k; c++) expect(b.mean[c]).toBeCloseTo(5, 1);
    // Scores: zero mean, variance = eigenvalue.
    const p = projectPca(x, n, b);
    let m = 0;
    let v = 0;
    for (let i = 0; i < n; i++) m += p[i * 3]!;
    for (let i = 0; i < n; i++) v += p[i * 3]! ** 2;
    expect(m / n).toBeCloseTo(0, 2);
    expect(v / (n - 1) / b.variances[0]!).toBeCloseTo(1, 3);
  });

  test('alignSigns keeps a streamed projection from mirroring', () => {
    const u = rng(3);
    const n = 500;
    const x = new Float32Array(n * 3);
    for (let i = 0; i < n * 3; i++) x[i] = gauss(u) * (i % 3 === 0 ? 3 : 1);
    const a = pcaBasis(x, n, 3);
    const flipped = { ...a, components: a.components.map((c) => -c) };
    const fixed = alignSigns(a, flipped);
    for (let i = 0; i < a.components.length; i++)
      expect(fixed.components[i]).toBeCloseTo(a.components[i]!, 12);
  });

  test('selectAxes picks columns and zero-fills missing ones', () => {
    const x = Float32Array.from([1, 2, 3, 4, 5, 6]); // [2, 3]
    expect(Array.from(selectAxes(x, 2, 3, [2, 0, -1]))).toEqual([3, 1, 0, 6, 4, 0]);
  });
});

describe('screen-grid picking', () => {
  test('matches a brute-force search for the front-most point within the radius', () => {
    const u = rng(4);
    const n = 5000;
    const pos = new Float32Array(n * 3);
    for (let i = 0; i < n * 3; i++) pos[i] = u() * 2 - 1;
    const camera = new THREE.PerspectiveCamera(40, 640 / 480, 0.1, 100);
    camera.position.set(1.5, 1.2, 3.5);
    camera.lookAt(0, 0, 0);
    camera.updateMatrixWorld();
    const vp = new THREE.Matrix4().multiplyMatrices(camera.projectionMatrix, camera.matrixWorldInverse);
    const grid = new ScreenGrid();
    grid.build(pos, null, 1, vp, 640, 480);
    const screen = Array.from({ length: n }, (_, i) => {
      const v = new THREE.Vector3(pos[i * 3], pos[i * 3 + 1], pos[i * 3 + 2]).project(camera);
      return { x: ((v.x + 1) / 2) * 640, y: ((1 - v.y) / 2) * 480, z: v.z };
    });
    let hits = 0;
    for (let q = 0; q < 400; q++) {
      const x = u() * 640;
      const y = u() * 480;
      let best = -1;
      for (let i = 0; i < n; i++) {
        const s = screen[i]!;
        if (Math.hypot(s.x - x, s.y - y) <= 4.5 && (best < 0 || s.z < screen[best]!.z)) best = i;
      }
      const got = grid.query(x, y, 4.5);
      expect(got).toBe(best < 0 ? null : best);
      if (best >= 0) hits++;
    }
    expect(hits).toBeGreaterThan(50);
  });

  test('uses the tweened positions while a transition runs', () => {
    // Camera space: the orthographic camera looks down −z, so the points sit at z = −1.
    const from = Float32Array.from([0, 0, -1]);
    const to = Float32Array.from([1, 0, -1]);
    const vp = new THREE.Matrix4().makeOrthographic(-1, 1, 1, -1, 0.1, 10); // x ∈ [−1, 1] → [0, 200] px
    const grid = new ScreenGrid();
    grid.build(to, from, 0.5, vp, 200, 200);
    expect(grid.query(150, 100, 2)).toBe(0); // halfway: x = 0.5
    expect(grid.query(100, 100, 2)).toBeNull();
  });
});

describe('axis arithmetic', () => {
  test('nice ticks, domains and labels', () => {
    expect(niceTicks(0, 1, 5)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(niceTicks(-0.93, 0.97, 4)).toEqual([-0.5, 0, 0.5]);
    expect(niceTicks(0.1, 0.3, 2)).toEqual([0.1, 0.2, 0.3]);
    expect(niceDomain(-0.93, 0.97, 4)).toEqual([-1, 1]);
    expect(logTicks(0.003, 2)).toEqual([0.001, 0.01, 0.1, 1, 10]);
    expect(formatTick(-0.5)).toBe('−0.5');
    expect(formatTick(25_000)).toBe('25k');
    expect(formatTick(0.0001)).toBe('1e−4');
    expect(linearScale([0, 10], [100, 0])(2.5)).toBe(75);
    expect(logScale([1, 100], [0, 2])(10)).toBeCloseTo(1, 12);
    expect(extent([3, NaN, -1, Infinity, 2])).toEqual([-1, 3]);
  });
});

describe('colours', () => {
  test('viridis matches matplotlib at its ends and middle, and gets lighter', () => {
    const close = (a: readonly number[], b: readonly number[]): void =>
      a.forEach((v, i) => expect(Math.abs(v - b[i]!)).toBeLessThanOrEqual(4));
    close(viridis(0), [0x44, 0x01, 0x54]);
    close(viridis(0.5), [0x21, 0x91, 0x8c]);
    close(viridis(1), [0xfd, 0xe7, 0x25]);
    const lum = (c: readonly number[]): number => 0.2126 * c[0]! + 0.7152 * c[1]! + 0.0722 * c[2]!;
    for (let t = 0; t < 1; t += 0.05) expect(lum(viridis(t + 0.05))).toBeGreaterThan(lum(viridis(t)));
  });

  test('categories are distinct; CSS colours parse', () => {
    const seen = new Set(Array.from({ length: 24 }, (_, i) => categoryColor(i).join(',')));
    expect(seen.size).toBe(24);
    expect(parseCssColor('#14161a')).toEqual([0x14, 0x16, 0x1a]);
    expect(parseCssColor('rgb(1, 2, 3)')).toEqual([1, 2, 3]);
    expect(parseCssColor(' #abc ')).toEqual([0xaa, 0xbb, 0xcc]);
  });

  test('colourings: labels with counts, scalars across the chosen span, buckets by size', () => {
    const byLabel = colorByLabel([0, 2, 2, -1], ['a', 'b', 'c']);
    expect(Array.from(byLabel.colors.subarray(3, 6))).toEqual([...categoryColor(2)]);
    expect(byLabel.legend).toMatchObject({
      kind: 'categories',
      items: [
        { label: 'unlabelled', count: 1 },
        { label: 'a', count: 1 },
        { label: 'c', count: 2 },
      ],
    });
    const byScalar = colorByScalar(Float32Array.from([1, 3, 2]), 'err', null, [0.2, 0.8]);
    expect(Array.from(byScalar.colors.subarray(0, 3))).toEqual([...viridis(0.2)]);
    expect(Array.from(byScalar.colors.subarray(3, 6))).toEqual([...viridis(0.8)]);
    expect(byScalar.legend).toMatchObject({ kind: 'colorbar', min: 1, max: 3, span: [0.2, 0.8] });
    const byBucket = colorByBucket([5, 5, 9]);
    expect(byBucket.legend).toMatchObject({
      items: [
        { label: '#5', count: 2 },
        { label: '#9', count: 1 },
      ],
    });
  });
});

describe('histogram and densities', () => {
  test('densities integrate to one and match the Laplace prior on Laplace samples', () => {
    const u = rng(5);
    const lambda = 4;
    const n = 50_000;
    const v = Float32Array.from({ length: n }, () => {
      const w = u() - 0.5;
      return (-Math.sign(w) * Math.log(1 - 2 * Math.abs(w))) / lambda;
    });
    const h = histogram(v, 60, -1.5, 1.5);
    const width = 3 / 60;
    const inRange = Array.from(v).filter((x) => x >= -1.5 && x <= 1.5).length;
    expect(h.n).toBe(inRange);
    expect(h.density.reduce((s, d) => s + d * width, 0)).toBeCloseTo(1, 10);
    const prior = laplaceDensity(lambda);
    // The bin over [0, w) holds (1 − e^{−λw}) / 2 of the mass.
    const b0 = h.density[30]!;
    expect(b0 / ((1 - Math.exp(-lambda * width)) / 2 / width)).toBeCloseTo(1, 1);
    expect(prior.fn(0)).toBe(lambda / 2);
  });
});

describe('geometry helpers', () => {
  test('grid spacing is estimated from nearest neighbours', () => {
    const pts: number[] = [];
    for (let i = 0; i < 10; i++) for (let j = 0; j < 10; j++) pts.push(i * 0.25, j * 0.25);
    expect(estimateSpacing(Float32Array.from(pts), 2)).toBeCloseTo(0.25, 6);
  });

  test('Gram–Schmidt rows are orthonormal and span the input', () => {
    const q = orthonormalRows([3, 0, 0, 1, 1, 0], 2, 3);
    expect(Array.from(q)).toEqual([1, 0, 0, 0, 1, 0]);
  });

  test('the scene frame maps the largest extent onto two units, centred', () => {
    const pos = Float32Array.from([0, 0, 0, 10, 4, 2]);
    const f = SceneFrame.fit(boundsOf(pos));
    const want = [-1, -0.4, -0.2, 1, 0.4, 0.2];
    f.toScene(pos).forEach((v, i) => expect(v).toBeCloseTo(want[i]!, 6));
  });
});
