/**
 * The contract's training calls: starting, pausing, resuming and cancelling a job, and what a run
 * looks like (its summary, loss history, codes and reconstructions).
 */
import { z } from 'zod';
import { FloatTensorSchema } from '../arrays';
import { ModelConfigInputSchema, TrainOptionsSchema } from '../model-config';
import { ByJob, ByRun, Empty, Id, ResolvedConfigSchema, ResolvedTrainSchema } from './common';

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

export const trainingCalls = {
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
} as const;
