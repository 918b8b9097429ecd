/**
 * The contract's export calls: a file the renderer made (PNG, SVG, CSV…), a run's arrays as file
 * content, and codes trained elsewhere read back into a run.
 */
import { z } from 'zod';
import { BytesSchema } from '../arrays';
import { FileName, Id } from './common';

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

export const exportCalls = {
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
