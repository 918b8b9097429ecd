/**
 * Crafting session files for tests: decode, change the manifest as an attacker (or a bug) would,
 * encode again with a valid checksum — so the checks under test are the app's, not the CRC's.
 */
import { createHash } from 'node:crypto';
import { decodeSession, encodeSession, SESSION_VERSION } from '../../electron/app/session-file';
import type { SessionManifest } from '../../electron/app/session-file';
import { parseModelConfig } from '../../electron/shared/model-config';
import type { RunRecord } from '../../electron/app/jobs';
import type { DatasetRecord } from '../../electron/app/datasets';

export function craft(
  bytes: Uint8Array,
  change: (m: SessionManifest) => void,
  version: number = SESSION_VERSION,
): Uint8Array {
  const m = decodeSession(bytes, 'test');
  change(m);
  return withVersion(encodeSession(m), version);
}

/** Bytes of a manifest written as-is (any shape, any format version). */
export function encodeRaw(manifest: unknown, version: number = SESSION_VERSION): Uint8Array {
  return withVersion(encodeSession(manifest as SessionManifest), version);
}

function withVersion(bytes: Uint8Array, version: number): Uint8Array {
  new DataView(bytes.buffer, bytes.byteOffset).setUint32(8, version, true);
  return bytes;
}

export const sha256 = (b: Uint8Array | string): string => createHash('sha256').update(b).digest('hex');

/**
 * A finished run without an engine: a 3-2 linear model's manifest and weights (3·2 + 2 + 2·3 + 3
 * floats), codes and reconstructions of the dataset's rows.
 */
export function fakeRun(dataset: DatasetRecord, runId = 'run-fake0001'): RunRecord {
  const { rows, dims } = dataset.dataset;
  const config = parseModelConfig({ family: 'undercomplete', latent: 2, hidden: [] });
  const shapes = [[dims, 2], [2], [2, dims], [dims]];
  let offset = 0;
  const weights = shapes.map((shape, i) => {
    const w = { name: `w${i}`, shape, offset };
    offset += 4 * shape.reduce((a, b) => a * b, 1);
    return w;
  });
  const manifest = {
    format: 'manifold-explorer-model',
    version: 1,
    config,
    inputDims: dims,
    latent: 2,
    normalizer: { kind: 'none', offset: Array(dims).fill(0), scale: Array(dims).fill(1) },
    weights,
    byteLength: offset,
  };
  const model = { manifest, weights: new Uint8Array(offset) };
  return {
    runId,
    jobId: `job-${runId.slice(4)}`,
    dataset,
    config,
    train: { epochs: 1 },
    state: 'done',
    createdAt: new Date(0).toISOString(),
    history: [{ epoch: 1, loss: 1, seconds: 0.1 }],
    checkpoint: { epoch: 1, model: { manifest, weights: new Uint8Array(offset) } },
    result: {
      config,
      train: {} as never,
      normalizer: manifest.normalizer as never,
      split: { train: rows - 1, validation: 1 },
      history: [],
      stages: [],
      stopped: 'epochs' as never,
      metrics: {} as never,
      warnings: [],
      codes: new Float32Array(rows * 2),
      latent: 2,
      reconstructions: new Float32Array(rows * dims),
      model,
      seconds: 1,
      resumedFrom: 0,
    },
  };
}
