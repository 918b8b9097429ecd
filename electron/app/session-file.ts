/**
 * The session file (.mexsession): everything needed to pick an analysis up again — the datasets
 * (a reference with its sha256, or the data itself for uploads), each run's configuration, history,
 * metrics, codes, reconstructions and weights, checkpoints, and the view state.
 *
 *   file = "MEXSESS\0" (8 bytes) | u32 format version (LE) | u32 CRC-32 of the frame | frame
 *   frame = shared/wire.ts encoding of the manifest (JSON with typed arrays as raw bytes)
 *
 * Written atomically. Reading checks the magic, the version (a newer file is refused with the
 * version it needs, never half-read), the checksum (a corrupt file is reported as such) and the
 * manifest's schema.
 */
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { decodeFrame, encodeFrame } from '../shared/wire';
import { HistoryEntrySchema, RunSummarySchema } from '../shared/contract';
import { UserError } from '../shared/errors';
import { BytesSchema } from '../shared/arrays';
import { describeZodError } from '../shared/model-config';
import { writeFileAtomic } from './atomic';

export const SESSION_MAGIC = 'MEXSESS\0';
export const SESSION_VERSION = 1;
export const SESSION_EXTENSION = '.mexsession';

const F32 = z.custom<Float32Array>((v) => v instanceof Float32Array, 'expected float32 values');
const I32 = z.custom<Int32Array>((v) => v instanceof Int32Array, 'expected int32 values');
const Tensor = z.object({ data: F32, shape: z.array(z.number().int().nonnegative()) });
const ModelBytes = z.object({ manifest: z.unknown(), weights: BytesSchema });

export const SessionDatasetSchema = z.object({
  id: z.string(),
  name: z.string(),
  sha256: z.string(),
  rows: z.number().int(),
  dims: z.number().int(),
  origin: z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('file'), path: z.string(), options: z.record(z.string(), z.unknown()) }),
    z.object({ kind: z.literal('sample'), spec: z.string() }),
    z.object({ kind: z.literal('upload'), fileName: z.string(), options: z.record(z.string(), z.unknown()) }),
  ]),
  /** Uploads only: the data itself (there is no file to read again). */
  embedded: z
    .object({
      data: F32,
      labels: I32.optional(),
      labelNames: z.array(z.string()).optional(),
      featureNames: z.array(z.string()).optional(),
      image: z
        .object({ width: z.number(), height: z.number(), channels: z.union([z.literal(1), z.literal(3)]) })
        .optional(),
      categorical: z
        .array(z.object({ name: z.string(), start: z.number(), levels: z.array(z.string()) }))
        .optional(),
    })
    .optional(),
});
export type SessionDataset = z.infer<typeof SessionDatasetSchema>;

export const SessionRunSchema = z.object({
  summary: RunSummarySchema,
  history: z.array(HistoryEntrySchema),
  codes: Tensor.optional(),
  reconstructions: Tensor.optional(),
  model: ModelBytes.optional(),
  checkpoint: z.object({ epoch: z.number().int(), model: ModelBytes }).optional(),
  /** Engine-side extras a run keeps (normaliser, split, metrics detail). */
  extra: z.record(z.string(), z.unknown()).optional(),
});
export type SessionRun = z.infer<typeof SessionRunSchema>;

export const SessionManifestSchema = z.object({
  format: z.literal('manifold-explorer-session'),
  version: z.number().int(),
  savedAt: z.string(),
  appVersion: z.string(),
  datasets: z.array(SessionDatasetSchema),
  runs: z.array(SessionRunSchema),
  viewState: z.record(z.string(), z.unknown()),
});
export type SessionManifest = z.infer<typeof SessionManifestSchema>;

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

export function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) c = CRC_TABLE[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

export function encodeSession(manifest: SessionManifest): Uint8Array {
  const frame = encodeFrame(manifest);
  const out = new Uint8Array(16 + frame.length);
  out.set(new TextEncoder().encode(SESSION_MAGIC), 0);
  const view = new DataView(out.buffer);
  view.setUint32(8, SESSION_VERSION, true);
  view.setUint32(12, crc32(frame), true);
  out.set(frame, 16);
  return out;
}

export function decodeSession(bytes: Uint8Array, file: string): SessionManifest {
  const magic = new TextDecoder().decode(bytes.subarray(0, 8));
  if (bytes.length < 16 || magic !== SESSION_MAGIC)
    throw new UserError('session.not-a-session', 'not a Manifold Explorer session file (wrong magic bytes)', {
      file,
      byteOffset: 0,
    });
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = view.getUint32(8, true);
  if (version > SESSION_VERSION)
    throw new UserError(
      'session.newer',
      `saved by a newer Manifold Explorer (session format ${version}; this version reads up to ${SESSION_VERSION}); update the app to open it`,
      { file, byteOffset: 8 },
    );
  if (version < 1)
    throw new UserError('session.corrupt', `unknown session format version ${version}`, {
      file,
      byteOffset: 8,
    });
  const frame = bytes.subarray(16);
  if (crc32(frame) !== view.getUint32(12, true))
    throw new UserError(
      'session.corrupt',
      'the file is damaged (checksum mismatch): it was truncated or changed after saving',
      { file, byteOffset: 16 },
    );
  let value: unknown;
  try {
    value = decodeFrame(frame);
  } catch (e) {
    throw new UserError(
      'session.corrupt',
      `the file is damaged: ${e instanceof Error ? e.message : String(e)}`,
      { file, byteOffset: 16 },
    );
  }
  const parsed = SessionManifestSchema.safeParse(value);
  if (!parsed.success)
    throw new UserError(
      'session.corrupt',
      `the session's content is not valid: ${describeZodError(parsed.error)}`,
      { file },
    );
  return parsed.data;
}

export async function writeSessionFile(path: string, manifest: SessionManifest): Promise<number> {
  return writeFileAtomic(path, encodeSession(manifest));
}

export async function readSessionFile(path: string): Promise<SessionManifest> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new UserError(
      'session.unreadable',
      code === 'ENOENT'
        ? 'no such file'
        : code === 'EISDIR'
          ? 'is a folder, not a session file'
          : `cannot read (${code ?? 'error'})`,
      {
        file: path,
      },
    );
  }
  return decodeSession(bytes, path);
}
