/**
 * Refuse a training run that cannot fit, before it starts: the estimate (memory-estimate.ts)
 * against the memory limit, and every buffer against the sizes the chosen backend and the
 * JavaScript runtime can hold at all. The command line, the app core and the model panel call
 * the same function, so each says the same thing. Isomorphic and pure.
 *
 * The memory limit for training is TRAINING_LIMIT_FACTOR × the data limit (`--max-memory`,
 * default 2 GiB), one knob as for the readers (data/limits.ts): 8 GiB by default, what a laptop can
 * spare. A run holds ≈ 8 copies of its data at its peak (normalised, split, as tensors, codes and
 * reconstructions, the metrics' copies: 1.5 GiB for 60,000 × 784), so past ≈ 1 GiB of data the
 * message asks for a higher --max-memory.
 *
 * Hard limits (measured, tfjs 4.22; see README "Memory"):
 *  - JavaScript typed arrays hold at most 2³² elements in Node 20 (buffer.constants.MAX_LENGTH;
 *    larger in later V8s: hosts pass theirs). Host arrays, the CPU backend's tensors, and the byte
 *    buffers of weights.bin and reconstructions.npy are each one typed array.
 *  - wasm: every tensor lives in one WebAssembly heap of 4 GiB − 64 KiB (32-bit addresses). Past it
 *    allocations fail or, measured, silently overwrite other tensors.
 *  - webgpu: a tensor is one storage buffer bound whole: at most the device's
 *    maxStorageBufferBindingSize (128 MiB on Mesa's lavapipe; past it tfjs computes garbage with
 *    only a validation message), and its shaders index with i32: fewer than 2³¹ elements.
 *  - webgl: a tensor is one texture, at most maxTextureSize² texels (16,384² where unknown).
 */
import { UserError } from '../shared/errors';
import {
  parseModelConfig,
  parseTrainOptions,
  resolveTrainOptions,
  validationCount,
  type ModelConfig,
  type ModelConfigInput,
  type ResolvedTrainOptions,
  type TrainOptionsInput,
} from '../shared/model-config';
import type { EstimateBackend, MemoryBuffer, MemoryEstimate, MemoryEstimateInput } from './memory-estimate';
import { estimateTrainingMemory } from './memory-estimate';

/** data/validate.ts DEFAULT_MAX_BYTES (repeated: the renderer may not import electron/data). */
export const DEFAULT_DATA_LIMIT = 2 * 1024 ** 3;
export const TRAINING_LIMIT_FACTOR = 4;
/** V8's typed-array length limit in Node 20 (64-bit). */
export const DEFAULT_MAX_TYPED_ARRAY = 2 ** 32;
/** The WASM heap's maximum (tfjs-backend-wasm's emscripten build: getHeapMax()). */
export const WASM_HEAP_BYTES = 4294901760;
const I32_MAX = 2 ** 31 - 1;
/** The WASM heap never shrinks and its free space fragments: its high-water mark was 1.0–1.4 ×
 *  the tensors' peak in the measured runs (1.2 × for those past 300 MiB). */
const WASM_FRAGMENTATION = 1.25;

/** What a host knows of its runtime and its live backend (memory-live.ts reads them). */
export interface RuntimeLimits {
  /** The largest typed array, in elements (Node: buffer.constants.MAX_LENGTH). */
  maxTypedArrayLength?: number;
  /** WebGPU: the device's maxStorageBufferBindingSize, bytes. */
  maxStorageBufferBindingSize?: number;
  /** WebGL: the largest texture side. */
  maxTextureSize?: number;
  /** Words for the device ("llvmpipe"), for the message. */
  device?: string;
}

export interface MemoryCheckOptions {
  /** The data memory limit (`--max-memory`), bytes; default DEFAULT_DATA_LIMIT. */
  maxMemory?: number;
  runtime?: RuntimeLimits;
  /** How a user raises the limit ('' where it cannot be) and changes the backend, in this face's
   *  words. Default CLI_HINTS. */
  hints?: { raise: string; backend: string };
}

export const CLI_HINTS = { raise: 'raise it with --max-memory', backend: '--backend cpu' };
export const APP_HINTS = { raise: '', backend: 'the CPU backend' };
/** The rows of the live code snapshots an app host keeps while training (engine/run.ts). */
export const APP_SNAPSHOT_ROWS = 5000;

export interface MemoryVerdict {
  ok: boolean;
  estimate: MemoryEstimate;
  /** The training memory limit, bytes. */
  limit: number;
  /** Why not (one line, the figure, the limit and what to do), when not ok. */
  message?: string;
}

/** "1.5 GiB" (the format of data/errors.ts fmtBytes). */
export function fmtBytes(n: number): string {
  const units = ['bytes', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
  let v = n;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return u === 0 ? `${Math.round(v)} bytes` : `${v.toFixed(1)} ${units[u]}`;
}

const fmtInt = (n: number) => Math.round(n).toLocaleString('en-US');

interface SizeLimit {
  on: MemoryBuffer['on'];
  maxElements?: number;
  maxBytes?: number;
  /** "a JavaScript typed array holds at most 4,294,967,296 elements". */
  why: string;
}

function sizeLimits(backend: MemoryEstimateInput['backend'], rt: RuntimeLimits): SizeLimit[] {
  const typed = rt.maxTypedArrayLength ?? DEFAULT_MAX_TYPED_ARRAY;
  const js = `a JavaScript typed array holds at most ${fmtInt(typed)} elements`;
  const out: SizeLimit[] = [
    { on: 'host-floats', maxElements: typed, why: js },
    {
      on: 'host-bytes',
      maxElements: typed,
      why: `it is written from one byte array, and a JavaScript typed array holds at most ${fmtBytes(typed)} of bytes`,
    },
  ];
  if (backend === 'cpu' || backend === 'tensorflow')
    out.push({
      on: 'tensor',
      maxElements: typed,
      why: `the ${backend} backend keeps each tensor in one typed array: ${js}`,
    });
  if (backend === 'wasm')
    out.push({
      on: 'tensor',
      maxBytes: WASM_HEAP_BYTES,
      why: `the wasm backend keeps every tensor in one WebAssembly heap of at most ${fmtBytes(WASM_HEAP_BYTES)}`,
    });
  if (backend === 'webgpu') {
    const binding = rt.maxStorageBufferBindingSize;
    out.push({
      on: 'tensor',
      maxElements: I32_MAX,
      ...(binding ? { maxBytes: binding } : {}),
      why: binding
        ? `the webgpu backend binds each tensor as one storage buffer of at most ${fmtBytes(binding)} on ${rt.device ?? 'this device'} (maxStorageBufferBindingSize), indexed by 32-bit integers`
        : `the webgpu backend's shaders index a tensor with 32-bit integers (at most ${fmtInt(I32_MAX)} elements)`,
    });
  }
  if (backend === 'webgl') {
    const side = rt.maxTextureSize ?? 16384;
    out.push({
      on: 'tensor',
      maxElements: Math.min(I32_MAX, side * side),
      why: `the webgl backend keeps each tensor in one texture of at most ${fmtInt(side)} × ${fmtInt(side)} texels`,
    });
  }
  return out;
}

function tooBig(buf: MemoryBuffer, l: SizeLimit): boolean {
  return (
    (l.maxElements !== undefined && buf.elements > l.maxElements) ||
    (l.maxBytes !== undefined && buf.elements * buf.bytesPerElement > l.maxBytes)
  );
}

/** The peak phase's largest parts: "training, update: parameters 2.0 GiB, Adam’s two moments 4.0
 *  GiB, …" (at most four, none under 2 % of the whole). */
function partsText(e: MemoryEstimate, count = 4): string {
  const top = [...e.peak.parts]
    .filter((p) => p.bytes >= 0.02 * e.peak.bytes)
    .sort((a, b) => b.bytes - a.bytes);
  const shown = top.slice(0, count).map((p) => `${p.what} ${fmtBytes(p.bytes)}`);
  return `${e.peak.phase}: ${shown.join(', ')}${top.length > count ? ', …' : ''}`;
}

/** Judge a run: ok, or the one-line reason it cannot run (hard limits first: nothing raises them). */
export function judgeTrainingMemory(
  input: MemoryEstimateInput,
  opts: MemoryCheckOptions = {},
): MemoryVerdict {
  const estimate = estimateTrainingMemory(input);
  const dataLimit = opts.maxMemory ?? DEFAULT_DATA_LIMIT;
  const limit = TRAINING_LIMIT_FACTOR * dataLimit;
  const hints = opts.hints ?? CLI_HINTS;
  const verdict = (message?: string): MemoryVerdict => ({
    ok: !message,
    estimate,
    limit,
    ...(message ? { message } : {}),
  });
  const backend = input.backend;
  const limits = sizeLimits(backend, opts.runtime ?? {});
  // Tensors first (another backend may hold them), then host arrays and the files' buffers.
  for (const on of ['tensor', 'host-floats', 'host-bytes'] as const)
    for (const buf of estimate.buffers.filter((b) => b.on === on))
      for (const l of limits.filter((x) => x.on === on && tooBig(buf, x))) {
        const bytes = buf.elements * buf.bytesPerElement;
        const size =
          on === 'host-bytes' ? fmtBytes(bytes) : `${fmtInt(buf.elements)} values, ${fmtBytes(bytes)}`;
        const other = on === 'tensor' && backend !== 'cpu' ? `${hints.backend}, or ` : '';
        return verdict(`training cannot allocate ${buf.what} (${size}): ${l.why}; choose ${other}${buf.fix}`);
      }
  if (backend === 'wasm' && WASM_FRAGMENTATION * estimate.tensorBytes > WASM_HEAP_BYTES)
    return verdict(
      `training needs about ${fmtBytes(estimate.tensorBytes)} of tensors on the wasm backend, which keeps them all in one WebAssembly heap of at most ${fmtBytes(WASM_HEAP_BYTES)} (${partsText(estimate)}); choose ${hints.backend}, or a smaller model or batch size`,
    );
  if (estimate.bytes > limit) {
    const what = 'a smaller model or batch size';
    const fix = hints.raise ? `: ${hints.raise}, or choose ${what})` : `); choose ${what}`;
    return verdict(
      `training needs about ${fmtBytes(estimate.bytes)} of memory (${partsText(estimate)}); the limit is ${fmtBytes(limit)} (${TRAINING_LIMIT_FACTOR} × the memory limit of ${fmtBytes(dataLimit)}${fix}`,
    );
  }
  return verdict();
}

/**
 * The estimate's input from what a caller has (the command line's flags, a startTraining request):
 * the defaults resolved as runTraining will. `backend` 'auto' or absent: not chosen yet.
 */
export function memoryInput(
  config: ModelConfigInput | ModelConfig,
  train: TrainOptionsInput,
  data: { rows: number; dims: number },
  backend?: string,
  snapshotRows?: number,
): MemoryEstimateInput {
  // The defaults depend on the data's shape (families.ts): resolved for these rows and columns.
  const shape = { rows: data.rows, dims: data.dims };
  const cfg = parseModelConfig(config, 'model', shape);
  const t = parseTrainOptions(train);
  const trainRows = data.rows - validationCount(data.rows, t.valSplit);
  const resolved = resolveTrainOptions(t, cfg, trainRows, data.dims);
  return {
    config: cfg,
    train: resolved,
    rows: data.rows,
    dims: data.dims,
    ...(backend && backend !== 'auto' ? { backend: backend as EstimateBackend } : {}),
    ...(snapshotRows ? { snapshotRows } : {}),
  };
}

/** judgeTrainingMemory, throwing the refusal as a UserError (exit status 2, a message in the app). */
export function checkTrainingMemory(
  input: MemoryEstimateInput,
  opts: MemoryCheckOptions = {},
): MemoryEstimate {
  const v = judgeTrainingMemory(input, opts);
  if (!v.ok) throw new UserError('too-much-memory', v.message!);
  return v.estimate;
}

/**
 * The model panel's note for the form's resolved options and the dataset: what training will
 * need and the limit, or why the app will refuse it. Null before a dataset is open.
 */
export function memoryNote(
  resolved: { config: ModelConfig; train: ResolvedTrainOptions } | null,
  data: { rows: number; dims: number } | null,
): { ok: boolean; text: string } | null {
  if (!resolved || !data || !(data.rows >= 2 && data.dims >= 1)) return null;
  const backend = resolved.train.backend;
  const v = judgeTrainingMemory(
    {
      config: resolved.config,
      train: resolved.train,
      rows: data.rows,
      dims: data.dims,
      ...(backend !== 'auto' ? { backend } : {}),
      snapshotRows: APP_SNAPSHOT_ROWS,
    },
    { hints: APP_HINTS },
  );
  if (!v.ok) return { ok: false, text: `${v.message![0]!.toUpperCase()}${v.message!.slice(1)}.` };
  return {
    ok: true,
    text: `Training needs about ${fmtBytes(v.estimate.bytes)} of memory (at its peak, ${v.estimate.peak.phase}); the limit is ${fmtBytes(v.limit)}.`,
  };
}
