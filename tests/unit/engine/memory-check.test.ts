/**
 * The memory check (engine/memory-check.ts): a run past the limit is refused with the figure, the
 * limit and the flag; a buffer no backend or runtime can hold is refused whatever the limit; the
 * model panel's note says the same. Pure arithmetic: nothing is allocated.
 */
import {
  APP_HINTS,
  DEFAULT_DATA_LIMIT,
  TRAINING_LIMIT_FACTOR,
  checkTrainingMemory,
  judgeTrainingMemory,
  memoryInput,
  memoryNote,
} from '../../../electron/engine/memory-check';
import { DEFAULT_MAX_BYTES } from '../../../electron/data/validate';
import { resolveOptions } from '../../../electron/shared/options/defaults';
import type { ModelConfigInput, TrainOptionsInput } from '../../../electron/shared/model-config';
import { isUserError } from '../../../electron/shared/errors';

const roll = { rows: 2000, dims: 3 };
const judge = (
  config: ModelConfigInput,
  train: TrainOptionsInput = {},
  data = roll,
  backend?: string,
  opts: Parameters<typeof judgeTrainingMemory>[1] = {},
) => judgeTrainingMemory(memoryInput(config, train, data, backend), opts);

test('the default limit is 4 × the data loader’s', () => {
  expect(DEFAULT_DATA_LIMIT).toBe(DEFAULT_MAX_BYTES);
  expect(judge({ family: 'undercomplete' }).limit).toBe(TRAINING_LIMIT_FACTOR * DEFAULT_MAX_BYTES);
});

test('the default model on a sample fits, far under the limit', () => {
  const v = judge({ family: 'undercomplete' });
  expect(v.ok).toBe(true);
  expect(v.message).toBeUndefined();
  expect(v.estimate.bytes).toBeLessThan(200 * 2 ** 20);
});

describe('past the memory limit', () => {
  const wide: ModelConfigInput = { family: 'undercomplete', hidden: [16384, 16384] };

  test('refused with the figure, its largest parts, the limit and the flag that raises it', () => {
    const v = judge(wide, {}, roll, 'cpu');
    expect(v.ok).toBe(false);
    expect(v.message).toMatch(/^training needs about 1\d\.\d GiB of memory \(training, update: /);
    expect(v.message).toMatch(/Adam’s two moments 4\.0 GiB, parameters 2\.0 GiB/);
    expect(v.message).toMatch(
      /the limit is 8\.0 GiB \(4 × the memory limit of 2\.0 GiB: raise it with --max-memory, or choose a smaller model or batch size\)$/,
    );
  });

  test('--max-memory raises it; a lower one refuses what fits the default', () => {
    expect(judge(wide, {}, roll, 'cpu', { maxMemory: 8 * 2 ** 30 }).ok).toBe(true);
    const v = judge({ family: 'undercomplete' }, {}, roll, 'cpu', { maxMemory: 2 ** 20 });
    expect(v.message).toMatch(/the limit is 4\.0 MiB \(4 × the memory limit of 1\.0 MiB/);
  });

  test('the app names no flag', () => {
    const v = judge(wide, {}, roll, 'cpu', { hints: APP_HINTS });
    expect(v.message).toMatch(
      /the limit is 8\.0 GiB \(4 × the memory limit of 2\.0 GiB\); choose a smaller model or batch size$/,
    );
    expect(v.message).not.toMatch(/--/);
  });

  test('a bigger batch needs more: full batches of 60,000 rows through 4,096 units do not fit', () => {
    const data = { rows: 60000, dims: 3 };
    expect(judge({ family: 'undercomplete', hidden: [4096] }, { batchSize: 64 }, data).ok).toBe(true);
    const v = judge({ family: 'undercomplete', hidden: [4096] }, { batchSize: 0 }, data);
    expect(v.message).toMatch(/training, backward pass: activations \(54000 rows a step\) \d\.\d GiB/);
  });

  test('checkTrainingMemory throws it as a UserError (exit status 2)', () => {
    let caught: unknown;
    try {
      checkTrainingMemory(memoryInput(wide, {}, roll, 'cpu'));
    } catch (e) {
      caught = e;
    }
    expect(isUserError(caught)).toBe(true);
    expect((caught as { code: string }).code).toBe('too-much-memory');
  });
});

describe('what no limit can raise', () => {
  const huge: ModelConfigInput = { family: 'undercomplete', hidden: [65536, 65536] };
  const big = { maxMemory: 2 ** 50 };

  test('wasm: one tensor past the 4 GiB WebAssembly heap', () => {
    const v = judge(huge, {}, roll, 'wasm', big);
    expect(v.message).toBe(
      'training cannot allocate the 65,536 × 65,536 weights enc.1.w (4,294,967,296 values, 16.0 GiB): the wasm backend keeps every tensor in one WebAssembly heap of at most 4.0 GiB; choose --backend cpu, or a smaller model',
    );
  });

  test('wasm: all the tensors together past the heap', () => {
    const v = judge({ family: 'undercomplete', hidden: [8192, 8192] }, {}, roll, 'wasm', big);
    expect(v.message).toMatch(
      /^training needs about 3\.\d GiB of tensors on the wasm backend, which keeps them all in one WebAssembly heap of at most 4\.0 GiB \(training, update: .*\); choose --backend cpu, or a smaller model or batch size$/,
    );
    expect(judge({ family: 'undercomplete', hidden: [8192, 8192] }, {}, roll, 'cpu', big).ok).toBe(true);
  });

  test('weights.bin is one byte array: 2³² bytes at most in Node 20, more where the runtime allows', () => {
    const v = judge(huge, {}, roll, 'cpu', big);
    expect(v.message).toMatch(
      /^training cannot allocate weights\.bin \(32\.0 GiB\): .* at most 4\.0 GiB of bytes; choose a smaller model$/,
    );
    expect(judge(huge, {}, roll, 'cpu', { ...big, runtime: { maxTypedArrayLength: 2 ** 53 - 1 } }).ok).toBe(
      true,
    );
  });

  test('webgpu: a tensor past the device’s storage-buffer binding, or past 32-bit indices', () => {
    const lavapipe = { maxStorageBufferBindingSize: 128 * 2 ** 20, device: 'llvmpipe' };
    const data = { rows: 60000, dims: 784 };
    const v = judge({ family: 'undercomplete' }, {}, data, 'webgpu', { runtime: lavapipe });
    expect(v.message).toBe(
      'training cannot allocate the 54,000 × 784 training rows (42,336,000 values, 161.5 MiB): the webgpu backend binds each tensor as one storage buffer of at most 128.0 MiB on llvmpipe (maxStorageBufferBindingSize), indexed by 32-bit integers; choose --backend cpu, or fewer rows',
    );
    expect(judge({ family: 'undercomplete' }, {}, data, 'webgpu').ok).toBe(true);
    expect(judge(huge, {}, roll, 'webgpu', big).message).toMatch(
      /32-bit integers \(at most 2,147,483,647 elements\)/,
    );
  });

  test('the exact contractive penalty’s [n, k, h] product', () => {
    const v = judge(
      { family: 'contractive', hidden: [65536], latent: 64 },
      { batchSize: 1024 },
      { rows: 5000, dims: 8 },
      'webgpu',
      big,
    );
    expect(v.message).toMatch(/the contractive penalty's 1,024 × 64 × 65,536 Jacobian product/);
  });
});

describe('the model panel’s note', () => {
  const resolved = (config: ModelConfigInput, train: TrainOptionsInput, rows: number, dims: number) =>
    resolveOptions(
      { config: config as Record<string, unknown>, train: train as Record<string, unknown> },
      { rows, dims },
    );

  test('nothing before a dataset is open', () => {
    expect(memoryNote(resolved({ family: 'undercomplete' }, {}, 2000, 3), null)).toBeNull();
    expect(memoryNote(null, roll)).toBeNull();
  });

  test('the estimate and the limit when it fits', () => {
    const note = memoryNote(resolved({ family: 'undercomplete' }, {}, 2000, 3), roll);
    expect(note).toEqual({
      ok: true,
      text: expect.stringMatching(
        /^Training needs about \d+\.\d MiB of memory \(at its peak, .+\); the limit is 8\.0 GiB\.$/,
      ),
    });
  });

  test('the app core’s refusal, word for word, when it will not', () => {
    const config: ModelConfigInput = { family: 'undercomplete', hidden: [16384, 16384] };
    const note = memoryNote(resolved(config, {}, 2000, 3), roll)!;
    expect(note.ok).toBe(false);
    let refusal = '';
    try {
      checkTrainingMemory(memoryInput(config, {}, roll, undefined, 5000), { hints: APP_HINTS });
    } catch (e) {
      refusal = (e as Error).message;
    }
    expect(note.text).toBe(`T${refusal.slice(1)}.`);
  });

  test('the backend chosen in the form counts (wasm’s heap)', () => {
    const config: ModelConfigInput = { family: 'undercomplete', hidden: [8192, 8192] };
    expect(memoryNote(resolved(config, {}, 2000, 3), roll)!.ok).toBe(true);
    const wasm = memoryNote(resolved(config, { backend: 'wasm' }, 2000, 3), roll)!;
    expect(wasm.text).toMatch(
      /^Training needs about .* WebAssembly heap .*; choose the CPU backend, or a smaller model or batch size\.$/,
    );
  });
});
