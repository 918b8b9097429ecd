/**
 * Backend selection, isomorphic: a host registers what it can run (Dawn WebGPU, tfjs-node, WASM,
 * CPU in Node; WebGPU, WebGL, WASM, CPU in a browser window), then `selectBackend` either takes the
 * one asked for or, for `auto`, calibrates each candidate with a short training-like probe and keeps
 * the fastest. The choice and the reason are recorded in run.json.
 */
import { tf } from './tf';

export const BACKEND_NAMES = ['webgpu', 'tensorflow', 'webgl', 'wasm', 'cpu'] as const;
export type BackendName = (typeof BACKEND_NAMES)[number];
export type BackendPreference = 'auto' | BackendName;

export interface CalibrationEntry {
  backend: BackendName;
  /** Milliseconds per probe step after warm-up, or undefined when the backend failed. */
  msPerStep?: number;
  error?: string;
}

export interface BackendChoice {
  backend: BackendName;
  requested: BackendPreference;
  reason: string;
  calibration?: CalibrationEntry[];
  /** What the host knows of the device (GPU adapter, thread count…). */
  device?: string;
}

/** A host's way of making a backend usable (registering its factory, loading native code). */
export type BackendRegistrar = () => Promise<{ device?: string } | void>;

export interface ProbeShape {
  /** Input width of the probe network (the model's d). */
  dims: number;
  hidden: number;
  batch: number;
}

/** One step of a dense autoencoder d-h-d with its gradient: a stand-in for a training step. The
 *  loss is read back asynchronously (WebGPU in Node cannot read synchronously). */
export async function probeStep(
  shape: ProbeShape,
  weights: { w1: tf.Variable; w2: tf.Variable },
  x: tf.Tensor2D,
): Promise<number> {
  const value = tf.tidy(() => {
    const { value, grads } = tf.variableGrads(() => {
      const h = tf.relu(tf.matMul(x, weights.w1));
      return tf.mean(tf.square(tf.sub(tf.matMul(h, weights.w2), x))) as tf.Scalar;
    });
    weights.w1.assign(tf.sub(weights.w1, tf.mul(grads[weights.w1.name]!, 1e-3)));
    weights.w2.assign(tf.sub(weights.w2, tf.mul(grads[weights.w2.name]!, 1e-3)));
    return value;
  });
  const v = (await value.data())[0]!;
  value.dispose();
  return v;
}

/** Time the probe on the current backend: milliseconds per step after `warmup` steps. */
export async function timeProbe(
  shape: ProbeShape,
  steps: number,
  warmup = 2,
  now: () => number = () => performance.now(),
): Promise<number> {
  const x = tf.randomUniform([shape.batch, shape.dims], 0, 1, 'float32', 1) as tf.Tensor2D;
  const w1 = tf.variable(tf.randomNormal([shape.dims, shape.hidden], 0, 0.05, 'float32', 2));
  const w2 = tf.variable(tf.randomNormal([shape.hidden, shape.dims], 0, 0.05, 'float32', 3));
  try {
    for (let i = 0; i < warmup; i++) await probeStep(shape, { w1, w2 }, x);
    const t0 = now();
    for (let i = 0; i < steps; i++) await probeStep(shape, { w1, w2 }, x);
    return (now() - t0) / steps;
  } finally {
    tf.dispose([x, w1, w2]);
  }
}

export interface SelectOptions {
  /** In preference order; `auto` tries these. */
  candidates: BackendName[];
  registrars: Partial<Record<BackendName, BackendRegistrar>>;
  probe?: ProbeShape;
  steps?: number;
  log?: (msg: string) => void;
}

async function activate(
  name: BackendName,
  registrars: SelectOptions['registrars'],
): Promise<string | undefined> {
  const reg = registrars[name];
  if (!reg) throw new Error(`backend ${name} is not available in this host`);
  const info = await reg();
  if (!(await tf.setBackend(name))) throw new Error(`backend ${name} failed to initialise`);
  await tf.ready();
  return info ? info.device : undefined;
}

export async function selectBackend(pref: BackendPreference, opts: SelectOptions): Promise<BackendChoice> {
  if (pref !== 'auto') {
    const device = await activate(pref, opts.registrars);
    return { backend: pref, requested: pref, reason: 'requested', ...(device ? { device } : {}) };
  }
  const probe = opts.probe ?? { dims: 784, hidden: 256, batch: 128 };
  const calibration: CalibrationEntry[] = [];
  const devices: Partial<Record<BackendName, string>> = {};
  for (const backend of opts.candidates) {
    try {
      const device = await activate(backend, opts.registrars);
      if (device) devices[backend] = device;
      const msPerStep = await timeProbe(probe, opts.steps ?? 3);
      calibration.push({ backend, msPerStep });
      opts.log?.(`calibration: ${backend} ${msPerStep.toFixed(2)} ms/step`);
    } catch (e) {
      calibration.push({ backend, error: e instanceof Error ? e.message : String(e) });
    }
  }
  const ok = calibration.filter((c) => c.msPerStep !== undefined).sort((a, b) => a.msPerStep! - b.msPerStep!);
  const best = ok[0];
  if (!best)
    throw new Error(`no backend could run: ${calibration.map((c) => `${c.backend}: ${c.error}`).join('; ')}`);
  await tf.setBackend(best.backend);
  await tf.ready();
  const runnerUp = ok[1];
  const reason =
    `auto: fastest of ${ok.map((c) => c.backend).join(', ')} on a ${probe.dims}-${probe.hidden}-${probe.dims} probe, batch ${probe.batch}` +
    ` (${best.msPerStep!.toFixed(2)} ms/step${runnerUp ? `; next ${runnerUp.backend} ${runnerUp.msPerStep!.toFixed(2)}` : ''})`;
  const device = devices[best.backend];
  return { backend: best.backend, requested: 'auto', reason, calibration, ...(device ? { device } : {}) };
}
