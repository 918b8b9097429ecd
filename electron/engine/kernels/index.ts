/**
 * Kernel overrides: faster versions of tfjs backend kernels that keep the original's results.
 * Installed by the backend registrars (electron/hosts/…) once a backend package is loaded; every
 * override falls back to the original kernel for the cases it does not handle.
 */
import type { tf } from '../tf';
import { overrideKernel, restoreKernels } from './wasm-backend';
import { wasmGather } from './wasm-gather';
import { wasmMatMul } from './wasm-matmul';
import { wasmSum } from './wasm-sum';
import { wasmTranspose } from './wasm-transpose';
import { wasmIdentity } from './wasm-identity';
import { installGradientOverrides, uninstallGradientOverrides } from './gradients';

const originals = new Map<string, tf.KernelConfig>();

/** The overrides, by backend then kernel name. */
const OVERRIDES: Record<string, Record<string, (original: tf.KernelFunc) => tf.KernelFunc>> = {
  wasm: {
    BatchMatMul: wasmMatMul,
    _FusedMatMul: wasmMatMul,
    GatherV2: wasmGather,
    Sum: wasmSum,
    Transpose: wasmTranspose,
    Identity: wasmIdentity,
  },
};

/**
 * Re-register the overridden kernels of `backend` (all backends when omitted; `only` these kernel
 * names when given). Idempotent; call it after the backend package is imported, before or after
 * the backend is initialised.
 */
export function installKernelOverrides(backend?: string, only?: readonly string[]): string[] {
  const done: string[] = [];
  if (!only || only.includes('gradients')) {
    installGradientOverrides();
    done.push('gradients/Sum,Mean');
  }
  for (const [b, kernels] of Object.entries(OVERRIDES)) {
    if (backend !== undefined && b !== backend) continue;
    for (const [name, make] of Object.entries(kernels)) {
      if (only && !only.includes(name)) continue;
      overrideKernel(name, b, originals, make);
      if (originals.has(`${b}/${name}`)) done.push(`${b}/${name}`);
    }
  }
  return done;
}

/** Put the original kernels back (tests compare the two). */
export function uninstallKernelOverrides(): void {
  restoreKernels(originals);
  uninstallGradientOverrides();
}

export { FusedAdamOptimizer, fusedAdam } from './fused-adam';

export function installedKernelOverrides(): string[] {
  return [...originals.keys()];
}
