/**
 * The API contract between the renderer and the rest of the app: every call with its input schema
 * and result schema, every event with its payload. Electron main (over one IPC channel), the preload
 * (named functions), and browser mode (over a WebSocket) all implement this one table; the renderer
 * sees it as `window.explorer` (`ExplorerApi`). Types and schemas only: no electron, Node or DOM.
 *
 * Large arrays travel as `{ data: Float32Array, shape }` (see arrays.ts): checked for length and
 * finiteness, never element by element.
 */
import { z } from 'zod';
import type { CALLS, EVENTS } from './call-names';
import {
  BytesSchema,
  ByteTensorSchema,
  FloatTensorSchema,
  IntTensorSchema,
  LooseFloatTensorSchema,
} from './arrays';
import { ModelConfigInputSchema, TrainOptionsSchema } from './model-config';
import type { ModelConfig, ResolvedTrainOptions } from './model-config';

/** A resolved configuration coming back in a result: it must still be a valid input. */
const ResolvedConfigSchema = z.custom<ModelConfig>(
  (v) => ModelConfigInputSchema.safeParse(v).success,
  'not a valid model configuration',
);
const ResolvedTrainSchema = z.custom<ResolvedTrainOptions>(
  (v) => TrainOptionsSchema.safeParse(v).success,
  'not valid training options',
);

const Id = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[\w.-]+$/, 'expected an id of letters, digits, "-", "_" or "."');
const FileName = z.string().min(1).max(255);

// ─── Datasets ────────────────────────────────────────────────────────────────────────────────────

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

// ─── Training ────────────────────────────────────────────────────────────────────────────────────

export const JobStateSchema = z.enum([
  'queued',
  'running',
  'paused',
  'done',
  'cancelled',
  'failed',
  'interrupted',
]);
export type JobState = z.infer<typeof JobStateSchema>;

/** One row of the loss history: the total and each component (reconstruction, penalty, kl, …). */
export const HistoryEntrySchema = z
  .object({
    epoch: z.number().int(),
    loss: z.number(),
    valLoss: z.number().nullable().optional(),
    seconds: z.number(),
    stage: z.string().optional(),
  })
  .catchall(z.union([z.number(), z.string(), z.null()]));
export type HistoryEntry = z.infer<typeof HistoryEntrySchema>;

export const BackendInfoSchema = z.object({
  backend: z.string(),
  requested: z.string(),
  reason: z.string(),
  device: z.string().optional(),
});

export const RunSummarySchema = z.object({
  runId: Id,
  jobId: Id,
  datasetId: Id,
  datasetName: z.string(),
  family: z.string(),
  config: ResolvedConfigSchema,
  train: ResolvedTrainSchema,
  state: JobStateSchema,
  createdAt: z.string(),
  backend: BackendInfoSchema.optional(),
  metrics: z.record(z.string(), z.union([z.number(), z.string(), z.boolean(), z.null()])),
  warnings: z.array(z.string()),
  /** What the run fell short of, each with its fix as option values (engine/diagnostics.ts). */
  diagnostics: z
    .array(
      z.object({
        code: z.string(),
        message: z.string(),
        fix: z.object({ label: z.string(), set: z.record(z.string(), z.string()) }).optional(),
      }),
    )
    .optional(),
  /** Last epoch that a checkpoint holds, when there is one. */
  checkpointEpoch: z.number().int().optional(),
  error: z.string().optional(),
});
export type RunSummary = z.infer<typeof RunSummarySchema>;

export const RunDetailSchema = z.object({
  summary: RunSummarySchema,
  history: z.array(HistoryEntrySchema),
  /** rows × k (VAE: the means; hashing: 0/1), input row order. */
  codes: FloatTensorSchema.optional(),
  /** rows × d, original units. */
  reconstructions: FloatTensorSchema.optional(),
  /** Per-row reconstruction error (squared, original units), for colouring. */
  errors: FloatTensorSchema.optional(),
});
export type RunDetail = z.infer<typeof RunDetailSchema>;

// ─── Analysis ────────────────────────────────────────────────────────────────────────────────────

/** Where to analyse: rows of the run's dataset, or new points (original units). */
export const AtSchema = z.union([
  z.object({ indices: z.array(z.number().int().nonnegative()).min(1).max(100_000) }).strict(),
  z.object({ points: FloatTensorSchema }).strict(),
]);

export const AnalyzeInputSchema = z
  .object({
    runId: Id,
    at: AtSchema,
    tangents: z
      .object({ method: z.enum(['decoder', 'encoder']).default('decoder') })
      .strict()
      .optional(),
    score: z.boolean().optional(),
    trajectories: z
      .object({
        steps: z.number().int().min(1).max(500),
        alpha: z.number().positive().max(2).default(1),
        /** 'descent': x ← x + α(r(x) − x); 'chain': x ← r(C(x)), corrupt then denoise. */
        mode: z.enum(['descent', 'chain']).default('descent'),
        /** Start this far off the manifold (Gaussian, original units); 0 starts at the points. */
        offset: z.number().nonnegative().default(0),
        seed: z.number().int().default(0),
      })
      .strict()
      .optional(),
  })
  .strict();
export type AnalyzeInput = z.input<typeof AnalyzeInputSchema>;

export const AnalyzeResultSchema = z.object({
  /** n × d, the points analysed (original units). */
  points: FloatTensorSchema,
  /** n × m × d, orthonormal rows: the estimated tangent basis at each point. */
  tangents: FloatTensorSchema.optional(),
  /** n × m, the Jacobian's singular values. */
  singularValues: FloatTensorSchema.optional(),
  /** n, local intrinsic-dimension estimate. */
  intrinsicDims: IntTensorSchema.optional(),
  /** n × d, r(x) − x. */
  score: FloatTensorSchema.optional(),
  /** n × (steps+1) × d. */
  trajectories: FloatTensorSchema.optional(),
  /** n, angle (degrees) to the true tangent plane, for built-in samples. */
  tangentAngles: LooseFloatTensorSchema.optional(),
  /** n, cosine between r(x) − x and the true score, where the density is known. */
  scoreCosines: LooseFloatTensorSchema.optional(),
  metrics: z.record(z.string(), z.number().nullable()),
});
export type AnalyzeResult = z.infer<typeof AnalyzeResultSchema>;

export const FieldInputSchema = z
  .object({
    runId: Id,
    /** Points per axis of the regular grid around the data. */
    resolution: z.number().int().min(2).max(64).default(16),
    /** Grid in the data's first 2 or 3 coordinates (or PCA axes when d > 3). */
    dims: z.union([z.literal(2), z.literal(3)]).default(3),
    /** Extra margin around the data's bounding box, as a fraction of its size. */
    padding: z.number().min(0).max(2).default(0.15),
  })
  .strict();
export const FieldResultSchema = z.object({
  /** g × d grid points and g × d vectors r(x) − x, original units. */
  points: FloatTensorSchema,
  vectors: FloatTensorSchema,
  scoreCosines: LooseFloatTensorSchema.optional(),
});

export const SurfaceInputSchema = z
  .object({ runId: Id, resolution: z.number().int().min(2).max(256).default(48) })
  .strict();
export const SurfaceResultSchema = z.object({
  /** 'curve' for k = 1, 'mesh' for k = 2, 'projection' (codes' PCA to 3-D) for k > 3. */
  kind: z.enum(['curve', 'mesh', 'none']),
  /** v × d decoded points, original units. */
  vertices: FloatTensorSchema,
  /** Triangle indices (mesh) or line-strip order (curve). */
  indices: IntTensorSchema,
  /** The latent box that was decoded: k × 2 (min, max). */
  latentRange: FloatTensorSchema,
});

export const PcaInputSchema = z
  .object({ datasetId: Id, components: z.number().int().min(1).max(64).default(3) })
  .strict();
export const PcaResultSchema = z.object({
  mean: FloatTensorSchema,
  /** c × d, orthonormal rows. */
  components: FloatTensorSchema,
  explainedVariance: FloatTensorSchema,
  /** rows × c, the data projected. */
  projection: FloatTensorSchema,
});

export const InspectInputSchema = z
  .object({
    runId: Id,
    index: z.number().int().nonnegative(),
    neighbors: z.number().int().min(1).max(100).default(8),
  })
  .strict();
export const InspectResultSchema = z.object({
  index: z.number().int(),
  original: FloatTensorSchema,
  reconstruction: FloatTensorSchema,
  code: FloatTensorSchema,
  label: z.number().int().optional(),
  singularValues: FloatTensorSchema,
  neighbors: z.object({
    indices: IntTensorSchema,
    distances: FloatTensorSchema,
    space: z.enum(['code', 'hamming']),
  }),
});
export type InspectResult = z.infer<typeof InspectResultSchema>;

export const RetrieveInputSchema = z
  .object({
    runId: Id,
    query: z.union([
      z.object({ index: z.number().int().nonnegative() }).strict(),
      z.object({ point: FloatTensorSchema }).strict(),
    ]),
    k: z.number().int().min(1).max(1000).default(20),
    /** Hamming distance on the 0/1 codes (hashing), or Euclidean in code space. */
    space: z.enum(['code', 'hamming']).default('code'),
    /** Hamming-ball retrieval: everything within this radius (hashing only). */
    radius: z.number().int().nonnegative().optional(),
  })
  .strict();
export const RetrieveResultSchema = z.object({
  indices: IntTensorSchema,
  distances: FloatTensorSchema,
  /** Whether each result shares the query's label (when labels exist). */
  relevant: ByteTensorSchema.optional(),
  precisionAtK: z.number().nullable(),
  averagePrecision: z.number().nullable(),
});

export const QualityResultSchema = z.object({
  trustworthiness: z.number().nullable(),
  continuity: z.number().nullable(),
  knnAccuracy: z.number().nullable(),
  reconstructionMse: z.number(),
  pcaMse: z.number(),
  meanAveragePrecision: z.number().nullable(),
  /** Principal angles (degrees) between the decoder's subspace and PCA's (linear runs). */
  principalAngles: z.array(z.number()).optional(),
  /** Median angle (degrees) to the true tangent planes (built-in samples). */
  medianTangentAngle: z.number().nullable(),
  sampled: z.number().int().nullable(),
});

// ─── Sessions and exports ────────────────────────────────────────────────────────────────────────

export const ViewStateSchema = z.record(z.string(), z.unknown());

export const SessionInfoSchema = z.object({
  path: z.string().nullable(),
  datasets: z.array(DatasetSummarySchema),
  runs: z.array(RunSummarySchema),
  viewState: ViewStateSchema,
});
export type SessionInfo = z.infer<typeof SessionInfoSchema>;

export const ExportFileInputSchema = z
  .object({
    suggestedName: FileName,
    /** PNG/NPY bytes, or SVG/CSV/JSON text. */
    content: z.union([BytesSchema, z.string()]),
  })
  .strict();

export const ExportRunInputSchema = z
  .object({
    runId: Id,
    what: z.enum(['codes', 'reconstructions', 'weights', 'metrics', 'history']),
    format: z.enum(['csv', 'npy', 'json', 'bin']),
  })
  .strict();

export const SavedSchema = z.object({ path: z.string().nullable(), bytes: z.number().int() });

// ─── The table ───────────────────────────────────────────────────────────────────────────────────

const Empty = z.object({}).strict();
const ByDataset = z.object({ datasetId: Id }).strict();
const ByRun = z.object({ runId: Id }).strict();
const ByJob = z.object({ jobId: Id }).strict();

export const AppInfoSchema = z.object({
  name: z.string(),
  version: z.string(),
  host: z.enum(['electron', 'browser']),
  backends: z.array(z.string()),
});
export type AppInfo = z.infer<typeof AppInfoSchema>;

export const calls = {
  appInfo: { input: Empty, result: AppInfoSchema },
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
  uploadEndSession: { input: z.object({ uploadId: Id }).strict(), result: SessionInfoSchema },
  uploadAbort: { input: z.object({ uploadId: Id }).strict(), result: z.object({ aborted: z.boolean() }) },
  listDatasets: { input: Empty, result: z.array(DatasetSummarySchema) },
  getDataset: { input: ByDataset, result: DatasetArraysSchema },
  pca: { input: PcaInputSchema, result: PcaResultSchema },

  startTraining: {
    // The config as sent: its defaults depend on the dataset, so the app core resolves it.
    input: z.object({ datasetId: Id, config: ModelConfigInputSchema, train: TrainOptionsSchema }).strict(),
    result: z.object({ jobId: Id, runId: Id }),
  },
  pauseTraining: { input: ByJob, result: z.object({ state: JobStateSchema }) },
  resumeTraining: { input: ByJob, result: z.object({ state: JobStateSchema }) },
  cancelTraining: { input: ByJob, result: z.object({ state: JobStateSchema }) },
  /** Start a new job from a run's last checkpoint (after a crash or a cancel). */
  restartFromCheckpoint: { input: ByRun, result: z.object({ jobId: Id, runId: Id }) },
  listRuns: { input: Empty, result: z.array(RunSummarySchema) },
  getRun: { input: ByRun, result: RunDetailSchema },
  deleteRun: { input: ByRun, result: z.object({ deleted: z.boolean() }) },

  analyze: { input: AnalyzeInputSchema, result: AnalyzeResultSchema },
  field: { input: FieldInputSchema, result: FieldResultSchema },
  surface: { input: SurfaceInputSchema, result: SurfaceResultSchema },
  inspect: { input: InspectInputSchema, result: InspectResultSchema },
  retrieve: { input: RetrieveInputSchema, result: RetrieveResultSchema },
  quality: { input: ByRun, result: QualityResultSchema },

  saveSession: {
    input: z.object({ viewState: ViewStateSchema, saveAs: z.boolean().optional() }).strict(),
    result: SavedSchema,
  },
  openSession: { input: Empty, result: SessionInfoSchema.nullable() },
  /** The session as bytes (browser mode downloads them; the desktop uses saveSession). */
  exportSession: {
    input: z.object({ viewState: ViewStateSchema }).strict(),
    result: z.object({ bytes: BytesSchema }),
  },
  /** A session file's bytes (browser upload, drag and drop). */
  importSession: {
    input: z.object({ fileName: FileName, bytes: BytesSchema }).strict(),
    result: SessionInfoSchema,
  },
  /** Desktop: a save dialog, then an atomic write. Browser mode's client downloads instead. */
  exportFile: { input: ExportFileInputSchema, result: SavedSchema },
  /** A run's codes, reconstructions, weights, metrics or history as file content; the renderer saves it with exportFile. */
  exportRun: {
    input: ExportRunInputSchema,
    result: z.object({ suggestedName: FileName, content: z.union([BytesSchema, z.string()]) }),
  },
  /**
   * Codes trained elsewhere (an exported package's train.py writes codes.npy) replace a finished
   * run's codes in the views: a .npy of float32, rows × k as the run's codes (hashing: 0/1 bits),
   * checked before anything changes (export/codes-file.ts).
   */
  openCodes: {
    input: z.object({ runId: Id, fileName: FileName, bytes: BytesSchema }).strict(),
    result: z.object({ rows: z.number().int(), k: z.number().int() }),
  },
} as const;

export type CallName = keyof typeof calls;
export const CALL_NAMES = Object.keys(calls) as CallName[];
// The preload's plain list must name exactly these calls and events (a type error otherwise).
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const _callsMatch: Same<(typeof CALLS)[number], CallName> = true;
void _callsMatch;
export type CallInput<N extends CallName> = z.input<(typeof calls)[N]['input']>;
export type CallArgs<N extends CallName> = z.output<(typeof calls)[N]['input']>;
export type CallResult<N extends CallName> = z.output<(typeof calls)[N]['result']>;

// ─── Events (main → renderer, over a MessagePort or the socket) ──────────────────────────────────

export const ProgressEventSchema = z.object({
  jobId: Id,
  runId: Id,
  epoch: z.number().int(),
  epochs: z.number().int(),
  step: z.number().int(),
  stepsPerEpoch: z.number().int(),
  stage: z.string().optional(),
  /** The latest value of each loss component. */
  losses: z.record(z.string(), z.number()),
  samplesPerSecond: z.number(),
  elapsedSeconds: z.number(),
  etaSeconds: z.number().nullable(),
  /** Set once per finished epoch. */
  history: HistoryEntrySchema.optional(),
});
export type ProgressEvent = z.infer<typeof ProgressEventSchema>;

export const SnapshotEventSchema = z.object({
  jobId: Id,
  runId: Id,
  epoch: z.number().int(),
  /** n × k codes of the rows in `indices` (all rows, in order, when absent). */
  codes: FloatTensorSchema,
  /** Large datasets: the evenly spaced rows the snapshot covers. */
  indices: IntTensorSchema.optional(),
});
export type SnapshotEvent = z.infer<typeof SnapshotEventSchema>;

export const JobEventSchema = z.object({
  jobId: Id,
  runId: Id,
  state: JobStateSchema,
  message: z.string().optional(),
  checkpointEpoch: z.number().int().optional(),
});
export type JobEvent = z.infer<typeof JobEventSchema>;

/** Menu and app-level commands the desktop shell asks the renderer to carry out. */
export const COMMANDS = [
  'open-dataset',
  'open-session',
  'save-session',
  'save-session-as',
  'export-png',
  'export-codes',
  'toggle-theme',
  'start-training',
  'stop-training',
] as const;
export const CommandEventSchema = z.object({ name: z.enum(COMMANDS) });
export type CommandEvent = z.infer<typeof CommandEventSchema>;

/** Main opened something on its own (recent files, the command line, a double-clicked session). */
export const DatasetOpenedEventSchema = z.object({ summary: DatasetSummarySchema });
export const SessionOpenedEventSchema = z.object({ session: SessionInfoSchema });

export const events = {
  progress: ProgressEventSchema,
  snapshot: SnapshotEventSchema,
  job: JobEventSchema,
  command: CommandEventSchema,
  datasetOpened: DatasetOpenedEventSchema,
  sessionOpened: SessionOpenedEventSchema,
} as const;
export type EventName = keyof typeof events;
const _eventsMatch: Same<(typeof EVENTS)[number], EventName> = true;
void _eventsMatch;
export type EventPayload<E extends EventName> = z.output<(typeof events)[E]>;
export type Unsubscribe = () => void;

/** `window.explorer`: one async function per call, plus event subscriptions. */
export type ExplorerApi = { [N in CallName]: (input: CallInput<N>) => Promise<CallResult<N>> } & {
  onProgress(cb: (e: ProgressEvent) => void): Unsubscribe;
  onSnapshot(cb: (e: SnapshotEvent) => void): Unsubscribe;
  onJob(cb: (e: JobEvent) => void): Unsubscribe;
  onCommand(cb: (e: CommandEvent) => void): Unsubscribe;
  onDatasetOpened(cb: (e: EventPayload<'datasetOpened'>) => void): Unsubscribe;
  onSessionOpened(cb: (e: EventPayload<'sessionOpened'>) => void): Unsubscribe;
};

/** The subscription functions of ExplorerApi, by event. */
export const EVENT_SUBSCRIBERS = {
  progress: 'onProgress',
  snapshot: 'onSnapshot',
  job: 'onJob',
  command: 'onCommand',
  datasetOpened: 'onDatasetOpened',
  sessionOpened: 'onSessionOpened',
} as const satisfies Record<EventName, keyof ExplorerApi>;

// ─── Transport ───────────────────────────────────────────────────────────────────────────────────

export { IPC_CHANNEL, PORT_CHANNEL } from './call-names';

export const RequestSchema = z.object({ call: z.string(), input: z.unknown() });
export interface ErrorDto {
  code: string;
  message: string;
}
export type CallReply<T> = { ok: true; result: T } | { ok: false; error: ErrorDto };
export type EventMessage = { [E in EventName]: { event: E; payload: EventPayload<E> } }[EventName];
