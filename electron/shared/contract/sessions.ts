/**
 * The contract's session calls: saving and opening a session (the datasets, runs and view state),
 * as a file on the desktop or as bytes in browser mode.
 */
import { z } from 'zod';
import { BytesSchema } from '../arrays';
import { Empty, FileName, Id } from './common';
import { DatasetSummarySchema } from './datasets';
import { SavedSchema } from './export';
import { RunSummarySchema } from './training';

export const ViewStateSchema = z.record(z.string(), z.unknown());

export const SessionInfoSchema = z.object({
  path: z.string().nullable(),
  datasets: z.array(DatasetSummarySchema),
  runs: z.array(RunSummarySchema),
  viewState: ViewStateSchema,
});
export type SessionInfo = z.infer<typeof SessionInfoSchema>;

export const sessionsCalls = {
  uploadEndSession: { input: z.object({ uploadId: Id }).strict(), result: SessionInfoSchema },
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
} as const;
