import { loadDataset } from '../../../electron/data/load';
import {
  generateSample,
  parseSampleSpec,
  sampleEmbed,
  sampleLogDensity,
  sampleScore,
  sampleTangent,
} from '../../../electron/data/samples/generate';
import { MANIFOLDS } from '../../../electron/data/samples/manifolds';
import { SAMPLES } from '../../../electron/data/samples/registry';
import { isValidDataset } from '../../../electron/data/validate';
import { createRng } from '../../../electron/engine/random';

const manifolds = Object.keys(MANIFOLDS);

/** Central differences of φ along each intrinsic coordinate: m rows of length d. */
function fdJacobian(name: string, c: number[], h = 1e-5): number[][] {
  return c.map((_, a) => {
    const plus = [...c];
    const minus = [...c];
    plus[a]! += h;
    minus[a]! -= h;
    const p = MANIFOLDS[name]!.embed(plus);
    const m = MANIFOLDS[name]!.embed(minus);
    return p.map((v, j) => (v - m[j]!) / (2 * h));
  });
}

const dot = (a: number[], b: number[]) => a.reduce((s, v, i) => s + v * b[i]!, 0);

describe('built-in manifolds: ground truth against finite differences of the parametrisation', () => {
  test.each(manifolds)('%s: Jacobian = finite differences of φ', (name) => {
    const mf = MANIFOLDS[name]!;
    const rng = createRng(7);
    for (let i = 0; i < 50; i++) {
      const c = mf.draw(rng);
      const fd = fdJacobian(name, c);
      const J = mf.jacobian(c);
      for (let a = 0; a < mf.intrinsicDims; a++)
        for (let j = 0; j < mf.dims; j++) expect(J[a]![j]!).toBeCloseTo(fd[a]![j]!, 5);
    }
  });

  test.each(manifolds)('%s: tangent rows are orthonormal and span the finite-difference Jacobian', (name) => {
    const mf = MANIFOLDS[name]!;
    const rng = createRng(11);
    for (let i = 0; i < 50; i++) {
      const c = mf.draw(rng);
      const T = mf.tangent(c);
      for (let a = 0; a < mf.intrinsicDims; a++)
        for (let b = 0; b < mf.intrinsicDims; b++) expect(dot(T[a]!, T[b]!)).toBeCloseTo(a === b ? 1 : 0, 6);
      // Each finite-difference column lies in the span of T: its projection keeps its length.
      for (const col of fdJacobian(name, c)) {
        const proj = T.map((t) => dot(t, col));
        const norm2 = dot(col, col);
        if (norm2 < 1e-8) continue; // the sphere's ∂/∂azimuth at a pole
        expect(dot(proj, proj) / norm2).toBeCloseTo(1, 6);
      }
    }
  });

  test.each(manifolds)('%s: generated points, coordinates and tangents agree (noise = 0)', (name) => {
    const ds = generateSample(name, { rows: 64, noise: 0, seed: 3 });
    const m = MANIFOLDS[name]!.intrinsicDims;
    expect(isValidDataset(ds)).toBe(true);
    expect(ds.truth!.coordinates!.length).toBe(64 * m);
    expect(ds.truth!.tangents!.length).toBe(64 * m * ds.dims);
    // x = φ(c), and the stored tangents are those at arbitrary coordinates (up to the float32
    // rounding of the stored coordinates).
    const again = sampleEmbed(name, ds.truth!.coordinates!);
    for (let i = 0; i < ds.data.length; i++) expect(again[i]).toBeCloseTo(ds.data[i]!, 3);
    const t = sampleTangent(name, ds.truth!.coordinates!);
    for (let i = 0; i < t.length; i++) expect(t[i]).toBeCloseTo(ds.truth!.tangents![i]!, 4);
  });

  test('noise is isotropic Gaussian with the requested standard deviation', () => {
    const clean = generateSample('helix', { rows: 4000, noise: 0, seed: 5 });
    const noisy = generateSample('helix', { rows: 4000, noise: 0.1, seed: 5 });
    const onCurve = sampleEmbed('helix', noisy.truth!.coordinates!);
    let s2 = 0;
    for (let i = 0; i < noisy.data.length; i++) s2 += (noisy.data[i]! - onCurve[i]!) ** 2;
    expect(Math.sqrt(s2 / noisy.data.length)).toBeCloseTo(0.1, 2);
    expect(clean.sha256).not.toBe(noisy.sha256);
  });

  test('the torus is uniform in area: E[cos v] = r / 2R under the area measure', () => {
    const ds = generateSample('torus', { rows: 20000, noise: 0, seed: 1 });
    const c = ds.truth!.coordinates!;
    let s = 0;
    for (let i = 0; i < 20000; i++) s += Math.cos(c[2 * i + 1]!);
    // ∫cos v (R + r cos v) dv / ∫(R + r cos v) dv = (π r) / (2π R) = r / 2R = 0.175.
    expect(s / 20000).toBeCloseTo(0.175, 1);
  });
});

describe('known densities: the true score', () => {
  const fdScore = (name: string, params: object, x: number[], h = 1e-4) =>
    x.map((_, j) => {
      const p = [...x];
      const m = [...x];
      p[j]! += h;
      m[j]! -= h;
      const lp = sampleLogDensity(name, params, Float64Array.from(p))[0]!;
      const lm = sampleLogDensity(name, params, Float64Array.from(m))[0]!;
      return (lp - lm) / (2 * h);
    });

  test.each([
    ['gaussian-mixture', { noise: 0.3, components: 4 }, 2],
    ['gaussian-mixture', { noise: 0.7, components: 3 }, 2],
    ['sphere', { noise: 0.2 }, 3],
    ['sphere', { noise: 0.05 }, 3],
  ] as const)('%s %o: score = finite differences of log p at arbitrary points', (name, params, d) => {
    const rng = createRng(2);
    for (let i = 0; i < 40; i++) {
      const x = Array.from({ length: d }, () => 3 * (rng.next() - 0.5));
      const s = sampleScore(name, params, Float64Array.from(x));
      const fd = fdScore(name, params, x);
      for (let j = 0; j < d; j++)
        expect(s[j]!).toBeCloseTo(fd[j]!, 1 + Math.max(0, 2 - Math.log10(1 + Math.abs(fd[j]!))));
    }
  });

  test('the mixture density integrates to 1 (grid quadrature)', () => {
    const h = 0.05;
    const pts: number[] = [];
    for (let x = -5; x <= 5; x += h) for (let y = -5; y <= 5; y += h) pts.push(x, y);
    const lp = sampleLogDensity('gaussian-mixture', { noise: 0.4 }, Float64Array.from(pts));
    expect(lp.reduce((s, v) => s + Math.exp(v), 0) * h * h).toBeCloseTo(1, 3);
  });

  test('the noisy-sphere log density matches the convolution integral (up to a constant)', () => {
    const sigma = 0.3;
    // log ∫_{S²} exp(−|x − u|²/2σ²) du by quadrature over (θ, φ), vs the closed form.
    const conv = (x: number[]) => {
      let s = 0;
      const n = 400;
      for (let i = 0; i < n; i++) {
        const th = ((i + 0.5) * Math.PI) / n;
        for (let k = 0; k < 2 * n; k += 8) {
          const ph = ((k + 0.5) * Math.PI) / n;
          const u = [Math.sin(th) * Math.cos(ph), Math.sin(th) * Math.sin(ph), Math.cos(th)];
          const d2 = (x[0]! - u[0]!) ** 2 + (x[1]! - u[1]!) ** 2 + (x[2]! - u[2]!) ** 2;
          s += Math.exp(-d2 / (2 * sigma * sigma)) * Math.sin(th);
        }
      }
      return Math.log(s);
    };
    const xs = [
      [0.1, 0, 0],
      [0, 0.9, 0],
      [0.5, 0.5, 0.8],
      [0, 0, 1.6],
    ];
    const closed = sampleLogDensity('sphere', { noise: sigma }, Float64Array.from(xs.flat()));
    const ref = xs.map(conv);
    for (let i = 1; i < xs.length; i++) expect(closed[i]! - closed[0]!).toBeCloseTo(ref[i]! - ref[0]!, 2);
  });

  test('the dataset carries the score at its points; samples without a density refuse', () => {
    const ds = generateSample('gaussian-mixture', { rows: 100, seed: 1 });
    expect(Array.from(ds.truth!.score!)).toEqual(Array.from(sampleScore('gaussian-mixture', {}, ds.data)));
    expect(ds.labels!.length).toBe(100);
    expect(() => sampleScore('swiss-roll', {}, new Float32Array(3))).toThrow(/no closed-form density/);
    expect(() => sampleScore('sphere', { noise: 0 }, new Float32Array(3))).toThrow(/no closed-form density/);
  });
});

describe('sample specs', () => {
  test('parse options and reproduce by seed', async () => {
    expect(parseSampleSpec('sample:swiss-roll?rows=20&noise=0.1&seed=4')).toEqual({
      name: 'swiss-roll',
      params: { rows: 20, noise: 0.1, seed: 4 },
    });
    const a = await loadDataset('sample:swiss-roll?rows=20&noise=0.1&seed=4');
    const b = await loadDataset('sample:swiss-roll', { rows: 20, noise: 0.1, seed: 4 });
    expect(a.sha256).toBe(b.sha256);
    expect(a.source).toBe('sample:swiss-roll?rows=20&noise=0.1&seed=4');
    const c = await loadDataset('sample:swiss-roll?rows=20&noise=0.1&seed=5');
    expect(c.sha256).not.toBe(a.sha256);
  });

  test('the memory limit applies to generated samples too', async () => {
    await expect(loadDataset('sample:torus?rows=100000', { maxBytes: 1e6 })).rejects.toThrow(
      /sample:torus\?rows=100000: generating 100000 rows needs about 5\.3 MiB; the limit is 976\.6 KiB/,
    );
  });

  test('every registry entry loads with its registered shape', async () => {
    for (const s of SAMPLES) {
      const ds = await loadDataset(`sample:${s.name}?rows=50`);
      expect([ds.rows, ds.dims], s.name).toEqual([50, s.dims]);
      expect(isValidDataset(ds)).toBe(true);
      expect(!!ds.truth?.tangents, s.name).toBe(s.truth.tangents);
      expect(!!ds.truth?.coordinates, s.name).toBe(s.truth.coordinates);
      if (!s.real) expect(!!ds.truth?.score, s.name).toBe(s.truth.score);
    }
  });

  test.each([
    ['sample:moons', /no built-in sample named "moons"; expected one of swiss-roll/],
    ['sample:sphere?rows=abc', /expected a number for rows, got "abc"/],
    ['sample:sphere?rows=0', /rows must be a whole number from 1/],
    ['sample:sphere?size=3', /unknown sample option "size"/],
    ['sample:sphere?noise=-1', /noise must be a finite number ≥ 0/],
    ['sample:gaussian-mixture?noise=0', /must be > 0/],
    ['sample:sphere?components=3', /components applies to sample:gaussian-mixture only/],
    ['sample:digits?noise=0.1', /noise does not apply to sample:digits/],
    ['sample:sphere?rows=1', /at least 2 are needed to train/],
    ['sample:digits?rows=1', /sample:digits\?rows=1: only 1 rows; at least 2 are needed to train/],
  ])('%s is refused: %s', async (spec, why) => {
    await expect(loadDataset(spec)).rejects.toThrow(why);
  });
});

describe('sample:digits (MNIST subset shipped in assets/)', () => {
  test('5,000 balanced 28×28 digits in [0, 1] with labels 0–9', async () => {
    const ds = await loadDataset('sample:digits');
    expect([ds.rows, ds.dims]).toEqual([5000, 784]);
    expect(ds.image).toEqual({ width: 28, height: 28, channels: 1 });
    expect(ds.labelNames).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
    const counts = new Array<number>(10).fill(0);
    for (const l of ds.labels!) counts[l]!++;
    expect(counts).toEqual(new Array(10).fill(500));
    let min = Infinity;
    let max = -Infinity;
    for (const v of ds.data) {
      min = Math.min(min, v);
      max = Math.max(max, v);
    }
    expect([min, max]).toEqual([0, 1]);
    // A digit has ink: between 5% and 50% of its pixels are set.
    for (let r = 0; r < 5000; r += 97) {
      const ink = ds.data.subarray(r * 784, (r + 1) * 784).filter((v) => v > 0.5).length;
      expect(ink).toBeGreaterThan(0.05 * 784 * 0.5);
      expect(ink).toBeLessThan(0.5 * 784);
    }
  });

  test('rows= takes a seeded subset', async () => {
    const a = await loadDataset('sample:digits?rows=100&seed=1');
    const b = await loadDataset('sample:digits?rows=100&seed=1');
    expect(a.rows).toBe(100);
    expect(a.sha256).toBe(b.sha256);
    expect((await loadDataset('sample:digits?rows=100&seed=2')).sha256).not.toBe(a.sha256);
  });
});
