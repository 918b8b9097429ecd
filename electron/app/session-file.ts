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
 * manifest's schema. Format 2 names a file dataset by its file name, a path relative to the
 * session's folder and, for files the user picked, a path with a grant (grants.ts); format 1 held
 * a bare path and is read into format 2's terms (see upgradeV1).
 */
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import * as zlib from 'node:zlib';
import { z } from 'zod';
import { decodeFrame, encodeFrame } from '../shared/wire';
import { HistoryEntrySchema, RunSummarySchema } from '../shared/contract';
import { isUserError, UserError } from '../shared/errors';
import { BytesSchema } from '../shared/arrays';
import { describeZodError } from '../shared/model-config';
import { writeFileAtomic } from './atomic';

export const SESSION_MAGIC = 'MEXSESS\0';
/** 2: datasets refer to files by name (relative path, grant), never by a bare path; see below. */
export const SESSION_VERSION = 2;
export const SESSION_EXTENSION = '.mexsession';

const F32 = z.custom<Float32Array>((v) => v instanceof Float32Array, 'expected float32 values');
const I32 = z.custom<Int32Array>((v) => v instanceof Int32Array, 'expected int32 values');
const Tensor = z.object({ data: F32, shape: z.array(z.number().int().nonnegative()) });
const ModelBytes = z.object({ manifest: z.unknown(), weights: BytesSchema });
const Hex64 = z.string().regex(/^[0-9a-f]{64}$/, 'expected 64 hex digits');
/** A file's name, without any folder. */
const FileName = z
  .string()
  .min(1)
  .max(255)
  .refine((n) => !/[/\\\0]/.test(n) && n !== '.' && n !== '..', 'expected a file name without folders');

/**
 * Loader options a session may carry. None of them is a path: a labels file travels as its labels
 * (`labels` below), and the memory and row limits are the app's, not the file's.
 */
const LoadOptionsShape = {
  labelColumn: z.union([z.string().max(1000), z.number().int()]).optional(),
  missing: z.enum(['error', 'drop', 'mean']).optional(),
  delimiter: z.string().min(1).max(4).optional(),
  header: z.boolean().optional(),
  categorical: z
    .array(z.union([z.string().max(1000), z.number().int()]))
    .max(100_000)
    .optional(),
  maxLevels: z.number().int().min(1).max(1_000_000).optional(),
  imageSize: z
    .union([
      z.number().int().min(1).max(8192),
      z.object({ width: z.number().int().min(1).max(8192), height: z.number().int().min(1).max(8192) }),
    ])
    .optional(),
  color: z.enum(['grey', 'rgb']).optional(),
  rawPixels: z.boolean().optional(),
  transposeImages: z.boolean().optional(),
};
export const SessionLoadOptionsSchema = z.object(LoadOptionsShape).strict();
export type SessionLoadOptions = z.infer<typeof SessionLoadOptionsSchema>;
/**
 * The same options picked out of anything (format 1's options, a dataset record's): only the keys
 * above, each kept only when its value is one the schema allows; everything else is dropped.
 */
export function sessionLoadOptions(o: unknown): SessionLoadOptions {
  const out: Record<string, unknown> = {};
  if (o && typeof o === 'object')
    for (const [key, schema] of Object.entries(LoadOptionsShape)) {
      const v = (o as Record<string, unknown>)[key];
      if (v !== undefined && schema.safeParse(v).success) out[key] = v;
    }
  return out as SessionLoadOptions;
}

/**
 * A dataset read from a file. The session names it, never makes the app read a path it holds:
 * restoring uses an open dataset with the same sha256, or `relativePath` inside the session's own
 * folder, or `path` when `grant` (grants.ts) shows this installation wrote it for a file the user
 * picked.
 */
const FileOriginSchema = z
  .object({
    kind: z.literal('file'),
    fileName: FileName,
    relativePath: z.string().min(1).max(4096).optional(),
    path: z.string().min(1).max(4096).optional(),
    grant: Hex64.optional(),
    options: SessionLoadOptionsSchema,
  })
  .strict();
export type SessionFileOrigin = z.infer<typeof FileOriginSchema> & {
  /** Files of format 1 only: the absolute path they held (read only inside the session's folder). */
  legacyPath?: string;
};
const SampleOriginSchema = z.object({ kind: z.literal('sample'), spec: z.string().min(1).max(300) }).strict();
const UploadOriginSchema = z
  .object({ kind: z.literal('upload'), fileName: FileName, options: SessionLoadOptionsSchema })
  .strict();

const EmbeddedSchema = z.object({
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
});

const DatasetFields = {
  id: z.string().min(1).max(200),
  name: z.string().max(1000),
  sha256: Hex64,
  rows: z.number().int().nonnegative(),
  dims: z.number().int().positive(),
  /** Uploads only: the data itself (there is no file to read again). */
  embedded: EmbeddedSchema.optional(),
  /** Files: their labels (from a labels file or a column), so no labels path is ever needed. */
  labels: z.object({ data: I32, names: z.array(z.string()).optional() }).optional(),
};
export const SessionDatasetSchema = z.object({
  ...DatasetFields,
  origin: z.discriminatedUnion('kind', [FileOriginSchema, SampleOriginSchema, UploadOriginSchema]),
});
export type SessionDataset = Omit<z.infer<typeof SessionDatasetSchema>, 'origin'> & {
  origin: SessionFileOrigin | z.infer<typeof SampleOriginSchema> | z.infer<typeof UploadOriginSchema>;
};

/** Format 1's datasets: a file origin held an absolute path and the loader's options as given. */
const V1DatasetSchema = z.object({
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
  embedded: EmbeddedSchema.optional(),
});

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

const ManifestFields = {
  format: z.literal('manifold-explorer-session'),
  version: z.number().int(),
  savedAt: z.string(),
  appVersion: z.string(),
  runs: z.array(SessionRunSchema),
  viewState: z.record(z.string(), z.unknown()),
};
export const SessionManifestSchema = z.object({
  ...ManifestFields,
  datasets: z.array(SessionDatasetSchema),
});
const V1ManifestSchema = z.object({ ...ManifestFields, datasets: z.array(V1DatasetSchema) });
export type SessionManifest = Omit<z.infer<typeof SessionManifestSchema>, 'datasets'> & {
  datasets: SessionDataset[];
};

/** A format-1 manifest in today's terms: paths become names (plus `legacyPath`), options are sifted. */
function upgradeV1(m: z.infer<typeof V1ManifestSchema>): SessionManifest {
  const baseName = (p: string) => {
    const b = basename(p.replace(/\\/g, '/')).replace(/\0/g, '_').slice(0, 255);
    return b === '' || b === '.' || b === '..' ? 'data' : b;
  };
  return {
    ...m,
    version: SESSION_VERSION,
    datasets: m.datasets.map((d, i) => {
      const o = d.origin;
      const sha256 = Hex64.safeParse(d.sha256);
      if (!sha256.success || d.dims < 1 || d.rows < 0)
        throw new UserError('session.corrupt', `datasets[${i}]: not a valid dataset entry`);
      const origin: SessionDataset['origin'] =
        o.kind === 'file'
          ? {
              kind: 'file',
              fileName: baseName(o.path),
              options: sessionLoadOptions(o.options),
              legacyPath: o.path,
            }
          : o.kind === 'upload'
            ? {
                kind: 'upload',
                fileName: baseName(o.fileName),
                options: sessionLoadOptions(o.options),
              }
            : { kind: 'sample', spec: o.spec };
      return { ...d, origin };
    }),
  };
}

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

/** CRC-32 in JavaScript (IEEE 802.3, as zlib's): the reference, and where zlib has no crc32. */
export function crc32Js(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) c = CRC_TABLE[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

// zlib's CRC-32 (Node ≥ 20.15) is the same function about 6× faster: the autosave checksums the
// whole session on every write (179 MiB: ≈ 1 s in JavaScript, ≈ 0.16 s in zlib, measured here).
const zlibCrc32 = (zlib as { crc32?: (data: Uint8Array) => number }).crc32;

export function crc32(bytes: Uint8Array): number {
  return zlibCrc32 ? zlibCrc32(bytes) >>> 0 : crc32Js(bytes);
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
  const parsed = version === 1 ? V1ManifestSchema.safeParse(value) : SessionManifestSchema.safeParse(value);
  if (!parsed.success)
    throw new UserError(
      'session.corrupt',
      `the session's content is not valid: ${describeZodError(parsed.error)}`,
      { file },
    );
  if (version !== 1) return parsed.data as SessionManifest;
  try {
    return upgradeV1(parsed.data as z.infer<typeof V1ManifestSchema>);
  } catch (e) {
    throw isUserError(e) ? new UserError(e.code, e.message, { file }) : e;
  }
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
