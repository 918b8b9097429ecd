/**
 * The contract's dataset calls: the built-in samples, opening and uploading files (in one message or
 * streamed in chunks), and what a loaded dataset looks like to the renderer (summary and arrays).
 */
import { z } from 'zod';
import { BytesSchema, FloatTensorSchema, IntTensorSchema } from '../arrays';
import { ByDataset, Empty, FileName, Id } from './common';

export const SampleInfoSchema = z.object({
  name: z.string(),
  title: z.string(),
  description: z.string(),
  dims: z.number().int(),
  intrinsicDims: z.number().int(),
  defaultRows: z.number().int(),
  /** The noise level the generator uses unless told otherwise (original units). */
  defaultNoise: z.number().optional(),
  truth: z.object({ coordinates: z.boolean(), tangents: z.boolean(), score: z.boolean() }),
  real: z.boolean().optional(),
});
export type SampleInfoDto = z.infer<typeof SampleInfoSchema>;

/**
 * Uploads: what a client sends per chunk, the largest chunk and browser-mode frame accepted, the
 * largest upload (the default data limit: 2 GiB), and how long an upload may sit without a chunk.
 */
export const UPLOAD_LIMITS = {
  chunkBytes: 4 * 2 ** 20,
  maxChunkBytes: 16 * 2 ** 20,
  maxFrameBytes: 64 * 2 ** 20,
  maxUploadBytes: 2 * 2 ** 30,
  idleMs: 60_000,
} as const;

export const LoadOptionsSchema = z
  .object({
    labelColumn: z.union([z.string(), z.number().int().nonnegative()]).optional(),
    missing: z.enum(['error', 'drop', 'mean']).optional(),
    delimiter: z.string().max(1).optional(),
    /** CSV/TSV: the decimal mark; detected when absent ("12,5" in a ;- or tab-delimited file). */
    decimal: z.enum(['.', ',']).optional(),
    header: z.boolean().optional(),
    imageSize: z.number().int().min(4).max(256).optional(),
    grayscale: z.boolean().optional(),
  })
  .strict();
export type LoadOptions = z.infer<typeof LoadOptionsSchema>;

export const ColumnStatsSchema = z.object({
  mean: z.array(z.number()),
  std: z.array(z.number()),
  min: z.array(z.number()),
  max: z.array(z.number()),
});

export const DatasetSummarySchema = z.object({
  id: Id,
  name: z.string(),
  source: z.string(),
  sha256: z.string(),
  rows: z.number().int(),
  dims: z.number().int(),
  featureNames: z.array(z.string()).optional(),
  labelNames: z.array(z.string()).optional(),
  hasLabels: z.boolean(),
  image: z
    .object({
      width: z.number().int(),
      height: z.number().int(),
      channels: z.union([z.literal(1), z.literal(3)]),
    })
    .optional(),
  categorical: z
    .array(z.object({ name: z.string(), start: z.number().int(), levels: z.array(z.string()) }))
    .optional(),
  truth: z.object({ coordinates: z.boolean(), tangents: z.boolean(), score: z.boolean() }),
  /** Per-column statistics (for image data: per pixel). */
  stats: ColumnStatsSchema,
  /** Value range over all cells, for the output-distribution warning. */
  range: z.object({ min: z.number(), max: z.number() }),
  /** The first rows (at most 20 rows × 50 columns), for the preview table. */
  preview: z.array(z.array(z.number())),
  memoryBytes: z.number(),
  /** What the loader read but doubts (a decimal comma, invalid UTF-8, duplicate names), one line each. */
  warnings: z.array(z.string()).optional(),
});
export type DatasetSummary = z.infer<typeof DatasetSummarySchema>;

export const DatasetArraysSchema = z.object({
  /** rows × dims, original units. */
  data: FloatTensorSchema,
  labels: IntTensorSchema.optional(),
  truth: z
    .object({
      coordinates: FloatTensorSchema.optional(),
      tangents: FloatTensorSchema.optional(),
      score: FloatTensorSchema.optional(),
    })
    .optional(),
});
export type DatasetArrays = z.infer<typeof DatasetArraysSchema>;

export const datasetsCalls = {
  listSamples: { input: Empty, result: z.array(SampleInfoSchema) },
  openSample: {
    input: z
      .object({
        name: z.string().min(1).max(64),
        rows: z.number().int().min(10).max(1_000_000).optional(),
        noise: z.number().min(0).max(10).optional(),
        seed: z.number().int().optional(),
      })
      .strict(),
    result: DatasetSummarySchema,
  },
  /** Desktop: the native open dialog. Browser mode's client implements it with a file input + uploadDataset. */
  openDatasetDialog: {
    input: z.object({ folder: z.boolean().optional(), options: LoadOptionsSchema.optional() }).strict(),
    result: DatasetSummarySchema.nullable(),
  },
  /**
   * A file's bytes in one message (desktop drag and drop): at most UPLOAD_LIMITS.maxUploadBytes in
   * all, and over the browser-mode socket at most one frame; bigger files stream with uploadBegin.
   */
  uploadDataset: {
    input: z
      .object({
        fileName: FileName,
        bytes: BytesSchema,
        options: LoadOptionsSchema.optional(),
        /** Files picked or dropped with it (an IDX images file's labels file): written beside it. */
        companions: z
          .array(z.object({ fileName: FileName, bytes: BytesSchema }).strict())
          .max(4)
          .optional(),
      })
      .strict()
      .refine(
        (u) =>
          u.bytes.byteLength + (u.companions ?? []).reduce((n, c) => n + c.bytes.byteLength, 0) <=
          UPLOAD_LIMITS.maxUploadBytes,
        { message: `an upload of at most ${UPLOAD_LIMITS.maxUploadBytes / 2 ** 30} GiB (the data limit)` },
      ),
    result: DatasetSummarySchema,
  },
  /**
   * A streamed upload: declare the files and their sizes (at most maxUploadBytes in all), send each
   * file's bytes in order (uploadChunk, at most maxChunkBytes each), then load it (uploadEnd) or
   * open it as a session (uploadEndSession), or drop it (uploadAbort). The temporary copy is removed
   * whatever happens: at the end, on an error, an abort, the socket closing or UPLOAD_LIMITS.idleMs
   * without a chunk.
   */
  uploadBegin: {
    input: z
      .object({
        fileName: FileName,
        size: z.number().int().min(1).max(UPLOAD_LIMITS.maxUploadBytes),
        options: LoadOptionsSchema.optional(),
        companions: z
          .array(z.object({ fileName: FileName, size: z.number().int().min(0) }).strict())
          .max(4)
          .optional(),
      })
      .strict(),
    result: z.object({ uploadId: Id, chunkBytes: z.number().int() }),
  },
  uploadChunk: {
    input: z
      .object({
        uploadId: Id,
        /** 0: the main file, 1…: its companions in order. */
        file: z.number().int().min(0).max(4),
        /** Where the bytes go in the file: what was received so far (chunks come in order). */
        offset: z.number().int().min(0),
        bytes: BytesSchema.refine((b) => b.byteLength <= UPLOAD_LIMITS.maxChunkBytes, {
          message: `a chunk of at most ${UPLOAD_LIMITS.maxChunkBytes / 2 ** 20} MiB`,
        }),
      })
      .strict(),
    result: z.object({ received: z.number().int() }),
  },
  uploadEnd: { input: z.object({ uploadId: Id }).strict(), result: DatasetSummarySchema },
  uploadAbort: { input: z.object({ uploadId: Id }).strict(), result: z.object({ aborted: z.boolean() }) },
  listDatasets: { input: Empty, result: z.array(DatasetSummarySchema) },
  getDataset: { input: ByDataset, result: DatasetArraysSchema },
} as const;
