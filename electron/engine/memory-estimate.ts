/**
 * How much memory a training run will need, estimated before it starts from the model, the batch,
 * the backend and the data's size — what the command line, the app core and the model panel check
 * against the memory limit (memory-check.ts). Isomorphic and pure: no tensors are made.
 *
 * A run goes through phases (engine/run.ts, train.ts, loop.ts, metrics/); the estimate is the
 * largest of their sums, each a list of named parts:
 *   data       the dataset, its normalised copy, the training and validation rows (and the linear
 *              family's centred frame), and those rows again as tensors (on the CPU backend the
 *              tensors share the arrays: counted once);
 *   model      parameters P; the optimiser's state (Adam: the two moments, 2P; SGD: P); the best
 *              weights kept for early stopping (P); a step's gradients (P, 2P when clipped);
 *   a step     its forward and backward tensors for b rows (memory-shapes.ts), or, once they are
 *              gone, the update: the zeros the moments start from, held to the end of the first
 *              step (2P), and the fused kernel's new values of one variable (wasm, cpu), or ≈ 9
 *              temporaries per parameter kept to the step's end (tfjs ops: webgpu, webgl, tfjs-node);
 *   chunks     greedy stages' inputs, an evaluation chunk (2,048 rows), an inference chunk (4,096);
 *   results    the codes and reconstructions of every row (pieces, joined, denormalised), the PCA
 *              baseline and the family's figures, and the command line's .npy and weights buffers.
 * Float32 throughout: 4 bytes a value. The runtime (Node, V8, tfjs: RUNTIME_BYTES) is a part of its
 * own, so the total compares with a process's peak RSS (README "Memory").
 */
import type { ModelConfig, ResolvedTrainOptions } from '../shared/model-config';
import { validationCount } from '../shared/model-config';
import type { BackendName } from './backend';
import {
  evalActivations,
  inferenceActivations,
  modelShape,
  stepActivations,
  widestLayer,
  type ModelShape,
} from './memory-shapes';

/** The backends the engine runs on (a type-only import: nothing here loads tfjs). */
export type EstimateBackend = BackendName;

export interface MemoryEstimateInput {
  config: ModelConfig;
  train: ResolvedTrainOptions;
  rows: number;
  dims: number;
  /** Where tensors live; undefined: not chosen yet (auto). */
  backend?: EstimateBackend;
  /** Rows of the live code snapshots a host keeps (the app: 5,000; the command line: none). */
  snapshotRows?: number;
}

export interface MemoryPart {
  /** "parameters", "Adam's two moments", "activations (64 rows)"… */
  what: string;
  bytes: number;
  /** Tensors (on the backend), host arrays, or tensors that share a host array's memory (the
   *  CPU backend keeps the Float32Array it is given): counted in tensorBytes, not twice in bytes. */
  on: 'tensors' | 'host' | 'shared';
}

/** One buffer that must exist whole (checked against the backends' size limits). */
export interface MemoryBuffer {
  what: string;
  /** float32 values, or bytes for a byte buffer. */
  elements: number;
  bytesPerElement: number;
  on: 'tensor' | 'host-floats' | 'host-bytes';
  /** What makes it smaller: "a smaller model", "fewer rows"… */
  fix: string;
}

export interface MemoryPhase {
  phase: string;
  parts: MemoryPart[];
  bytes: number;
  tensorBytes: number;
}

export interface MemoryEstimate {
  /** Peak bytes of the whole process, runtime included. */
  bytes: number;
  /** Peak bytes of tensors (what tf.memory().numBytes reaches; the WASM heap holds them). */
  tensorBytes: number;
  /** The phase with the peak. */
  peak: MemoryPhase;
  phases: MemoryPhase[];
  paramCount: number;
  /** The largest buffers of each kind. */
  buffers: MemoryBuffer[];
}

export const F32 = 4;
/** Node, V8, tfjs and the WASM module, and the garbage V8 lets grow (measured peak RSS of the
 *  command line training 200 rows: 114 MiB; 2,000 rows for 5 epochs: 145 MiB). */
export const RUNTIME_BYTES = 128 * 1024 ** 2;
/** evaluateObjective's and mapRows's chunk sizes (loop.ts, inference.ts). */
const EVAL_CHUNK = 2048;
const INFER_CHUNK = 4096;

const part = (what: string, values: number, on: MemoryPart['on'] = 'tensors'): MemoryPart => ({
  what,
  bytes: values * F32,
  on,
});

function phase(name: string, parts: MemoryPart[]): MemoryPhase {
  const kept = parts.filter((p) => p.bytes > 0);
  return {
    phase: name,
    parts: kept,
    bytes: kept.filter((p) => p.on !== 'shared').reduce((s, p) => s + p.bytes, 0),
    tensorBytes: kept.filter((p) => p.on !== 'host').reduce((s, p) => s + p.bytes, 0),
  };
}

export function estimateTrainingMemory(input: MemoryEstimateInput): MemoryEstimate {
  const { config, train, rows: n, dims: d } = input;
  const k = config.latent;
  const shape = modelShape(config, d);
  const P = shape.paramCount;
  const nv = validationCount(n, train.valSplit);
  const nt = n - nv;
  const b = train.batchSize === 0 || train.batchSize >= nt ? nt : train.batchSize;
  const shares = input.backend === 'cpu'; // tf.tensor2d keeps the Float32Array it is given
  const linear = config.family === 'linear';
  const greedy = config.pretrain.mode === 'greedy' && shape.encoder.length > 1;
  const early = train.patience > 0 && nv > 0;
  // Unknown backend (auto): the fused kernel's figure — Node hosts choose wasm where it is fastest.
  const fusedAdam = input.backend === undefined || input.backend === 'cpu' || input.backend === 'wasm';
  const largestVar = shape.largest.rows * shape.largest.cols;

  const host: MemoryPart[] = [
    part('the runtime', RUNTIME_BYTES / F32, 'host'),
    part('the dataset', n * d, 'host'),
    part('normalised rows', n * d, 'host'),
    part('training and validation rows', (linear ? 2 : 1) * (nt + nv) * d + (linear ? n * d : 0), 'host'),
    part('live code snapshots', Math.min(n, input.snapshotRows ?? 0) * (d + k), 'host'),
  ];
  const dataTensors = part('the rows as tensors', n * d, shares ? 'shared' : 'tensors');
  const params = part('parameters', P);
  const optState = part(
    train.optimizer === 'adam' ? 'Adam’s two moments' : 'SGD’s momentum',
    (train.optimizer === 'adam' ? 2 : 1) * P,
  );
  const best = part('the best weights (early stopping)', early ? P : 0);
  const grads = part('gradients', (train.clipNorm > 0 ? 2 : 1) * P);
  // The moments start as zeros that stay until the first step ends (assign replaces a variable's
  // buffer, the tidy still holds the zeros); the fused Adam kernel (cpu, wasm) then writes one
  // variable's new w, m, v at a time, while tfjs ops keep ≈ 9 temporaries per value to the step's
  // end (kernels/adam-kernel.ts), SGD two.
  const update = part(
    'the update, with the first step’s zeros',
    train.optimizer === 'sgd' ? 3 * P : fusedAdam ? 2 * P + largestVar : 11 * P,
  );
  const step = part(
    `activations (${b} rows a step)`,
    stepActivations(config, shape, d, b) + (b < nt ? b * d : 0),
  );

  // A step's forward and backward tensors are gone (tfjs's gradient scopes) before the update.
  const phases: MemoryPhase[] = [];
  phases.push(phase('training, backward pass', [...host, dataTensors, params, optState, best, grads, step]));
  phases.push(phase('training, update', [...host, dataTensors, params, optState, best, grads, update]));
  if (greedy) phases.push(...greedyPhases(config, shape, nt, nv, b, host, dataTensors, params, train));
  const ce = Math.min(EVAL_CHUNK, greedy ? nt : nv);
  if (ce > 0)
    phases.push(
      phase('validation', [
        ...host,
        dataTensors,
        params,
        optState,
        best,
        part(`activations (${ce} rows evaluated)`, evalActivations(config, shape, d, ce)),
      ]),
    );
  const ci = Math.min(INFER_CHUNK, n);
  // The codes, then the reconstructions: pieces of every row, then joined (inference.ts).
  phases.push(
    phase('codes and reconstructions', [
      ...host,
      dataTensors,
      params,
      part(`activations (${ci} rows inferred)`, inferenceActivations(shape, d, ci)),
      part('codes', n * k, 'host'),
      part('reconstructions, in pieces and joined', 2 * n * d, 'host'),
    ]),
  );
  phases.push(phase('metrics', [...host, dataTensors, params, ...metricParts(config, shape, n, d, nt, nv)]));
  // After training (command line): the results, their .npy buffer and the saved weights.
  phases.push(
    phase('writing the results', [
      host[0]!,
      host[1]!,
      params,
      part('codes', n * k, 'host'),
      part('reconstructions', n * d, 'host'),
      part('reconstructions.npy', n * d, 'host'),
      part('the weights read back and weights.bin', 2 * P, 'host'),
    ]),
  );

  const peak = phases.reduce((a, p) => (p.bytes > a.bytes ? p : a));
  return {
    bytes: peak.bytes,
    tensorBytes: Math.max(...phases.map((p) => p.tensorBytes)),
    peak,
    phases,
    paramCount: P,
    buffers: largestBuffers(config, shape, n, d, nt, b),
  };
}

/** Greedy stage i ≥ 1 trains on h_{i−1} of every row, kept as tensors, with its own optimiser. */
function greedyPhases(
  config: ModelConfig,
  shape: ModelShape,
  nt: number,
  nv: number,
  b: number,
  host: MemoryPart[],
  dataTensors: MemoryPart,
  params: MemoryPart,
  train: ResolvedTrainOptions,
): MemoryPhase[] {
  const out: MemoryPhase[] = [];
  for (let i = 1; i < shape.encoder.length; i++) {
    const enc = shape.encoder[i]!;
    const dec = shape.decoder[shape.decoder.length - 1 - i]!;
    const stageP = enc.from * enc.to + enc.to + (config.tied ? 0 : dec.from * dec.to) + dec.to;
    const view = {
      ...shape,
      encoder: [enc],
      decoder: [{ ...dec, activation: 'linear' as const }],
      extra: [],
    };
    out.push(
      phase(`greedy stage ${i + 1}`, [
        ...host,
        dataTensors,
        params,
        part(`stage ${i + 1}’s inputs`, (nt + nv) * enc.from),
        part('the stage’s optimiser state and gradients', (train.optimizer === 'adam' ? 3 : 2) * stageP),
        part(`activations (${b} rows a step)`, stepActivations(config, view, enc.from, b)),
      ]),
    );
  }
  return out;
}

/** computeMetrics: errors on row copies, the PCA baseline, the family's figures. */
function metricParts(
  config: ModelConfig,
  shape: ModelShape,
  n: number,
  d: number,
  nt: number,
  nv: number,
): MemoryPart[] {
  const k = config.latent;
  const parts = [
    part('codes', n * k, 'host'),
    part('reconstructions', n * d, 'host'),
    part('rows copied for the errors', 2 * Math.max(nt, nv) * d, 'host'),
  ];
  if (d <= 2048) {
    // fitPca: centred float64 rows when the covariance is small, else XᵀX on the device; then
    // d × d float64 matrices (covariance, eigenvectors, sorted copy) and the PCA reconstruction.
    const direct = nt * d * d <= 2e8 || d > nt;
    parts.push(
      part('the PCA baseline', 8 * d * d + (direct ? 2 * nt * d : 0) + nt * d, 'host'),
      part('the PCA covariance', direct ? 0 : 3 * d * d + 3 * INFER_CHUNK * d),
    );
  }
  const enc = shape.encoder;
  if (config.family === 'contractive') {
    // ‖J‖² on up to 1,000 rows: k vector-Jacobian products, each a taped encoder pass and its
    // backward, all kept until the mean is taken.
    const m = Math.min(1000, nt);
    parts.push(part(`the Jacobian of ${m} rows`, k * m * (enc.reduce((s, l) => s + 2 * l.to, 0) + d)));
  }
  if (config.family === 'vae') {
    const m = Math.min(5000, nt);
    const decWidths = shape.decoder.reduce((s, l) => s + 3 * l.to, 0);
    parts.push(
      part(
        `the ELBO of ${m} rows`,
        m * (d + enc.reduce((s, l) => s + 3 * l.to, 0) + 4 * (decWidths + 4 * d)),
      ),
    );
  }
  if (config.family === 'psd') parts.push(part('the ISTA figures', Math.min(512, nt) * (30 * k + 6 * d)));
  if (config.family === 'sparse' || config.family === 'hashing')
    parts.push(part('codes again', 2 * n * k, 'host'));
  return parts;
}

/** The largest single buffers: each must fit the backend's and the runtime's size limits. */
function largestBuffers(
  config: ModelConfig,
  shape: ModelShape,
  n: number,
  d: number,
  nt: number,
  b: number,
): MemoryBuffer[] {
  const w = shape.largest;
  const wide = widestLayer(shape);
  const inferred = Math.min(n, Math.max(b, INFER_CHUNK));
  const weights = `the ${fmt(w.rows)} × ${fmt(w.cols)} weights ${w.name}`;
  const tensors: MemoryBuffer[] = [
    { what: weights, elements: w.rows * w.cols, bytesPerElement: F32, on: 'tensor', fix: 'a smaller model' },
    {
      what: `the ${fmt(nt)} × ${fmt(d)} training rows`,
      elements: nt * d,
      bytesPerElement: F32,
      on: 'tensor',
      fix: 'fewer rows',
    },
    {
      what: `the ${fmt(inferred)} × ${fmt(wide.to)} activations of ${wide.name}`,
      elements: inferred * wide.to,
      bytesPerElement: F32,
      on: 'tensor',
      fix: 'a smaller model or batch size',
    },
  ];
  if (config.family === 'contractive' && config.contractive.method === 'exact') {
    // M is [rows, k, in_i] at each layer i > 0 and J itself, [rows, k, d], for one layer; the
    // rows of a step or of an evaluation chunk.
    const enc = shape.encoder;
    const widest = enc.length === 1 ? d : Math.max(...enc.slice(1).map((l) => l.from));
    const rows = Math.max(b, Math.min(EVAL_CHUNK, n - nt));
    tensors.push({
      what: `the contractive penalty's ${fmt(rows)} × ${fmt(config.latent)} × ${fmt(widest)} Jacobian product`,
      elements: rows * config.latent * widest,
      bytesPerElement: F32,
      on: 'tensor',
      fix: 'a smaller batch size, code size or model',
    });
  }
  return [
    tensors.reduce((a, t) => (t.elements > a.elements ? t : a)),
    {
      what: `the ${fmt(n)} × ${fmt(d)} dataset`,
      elements: n * d,
      bytesPerElement: F32,
      on: 'host-floats',
      fix: 'fewer rows',
    },
    {
      what: `${weights} as they are drawn`,
      elements: w.rows * w.cols,
      bytesPerElement: F32,
      on: 'host-floats',
      fix: 'a smaller model',
    },
    {
      what: 'weights.bin',
      elements: shape.paramCount * F32,
      bytesPerElement: 1,
      on: 'host-bytes',
      fix: 'a smaller model',
    },
    {
      what: 'reconstructions.npy',
      elements: n * d * F32 + 128,
      bytesPerElement: 1,
      on: 'host-bytes',
      fix: 'fewer rows',
    },
  ];
}

const fmt = (v: number) => Math.round(v).toLocaleString('en-US');
