/**
 * The live backend's size limits, for the memory check (memory-check.ts): WebGPU's
 * maxStorageBufferBindingSize of the device tfjs opened, WebGL's largest texture. Read after the
 * backend is set up; the other backends have fixed limits. Isomorphic (reads tfjs only).
 */
import { tf } from './tf';
import type { MemoryCheckOptions, RuntimeLimits } from './memory-check';

export function liveBackendLimits(): RuntimeLimits {
  const name = tf.getBackend();
  if (name === 'webgpu') {
    const device = (
      tf.backend() as unknown as { device?: { limits?: { maxStorageBufferBindingSize?: number } } }
    ).device;
    const binding = device?.limits?.maxStorageBufferBindingSize;
    return binding ? { maxStorageBufferBindingSize: binding } : {};
  }
  if (name === 'webgl') {
    const side = tf.env().getNumber('WEBGL_MAX_TEXTURE_SIZE');
    return side > 0 ? { maxTextureSize: side } : {};
  }
  return {};
}

/** Check options with the live backend's limits and device name added (after the backend is set up). */
export function withLiveLimits(opts: MemoryCheckOptions, backend: { device?: string }): MemoryCheckOptions {
  return {
    ...opts,
    runtime: {
      ...opts.runtime,
      ...liveBackendLimits(),
      ...(backend.device ? { device: backend.device } : {}),
    },
  };
}
