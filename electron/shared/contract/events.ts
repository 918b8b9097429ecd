/**
 * The contract's events (main → renderer, over a MessagePort or the socket): training progress,
 * code snapshots, job state, menu commands, and what main opened on its own.
 */
import { z } from 'zod';
import type { EVENTS } from '../call-names';
import { FloatTensorSchema, IntTensorSchema } from '../arrays';
import { Id } from './common';
import type { Same } from './common';
import { DatasetSummarySchema } from './datasets';
import { SessionInfoSchema } from './sessions';
import { HistoryEntrySchema, JobStateSchema } from './training';

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
// The preload's plain list must name exactly these events (a type error otherwise).
const _eventsMatch: Same<(typeof EVENTS)[number], EventName> = true;
void _eventsMatch;
export type EventPayload<E extends EventName> = z.output<(typeof events)[E]>;
