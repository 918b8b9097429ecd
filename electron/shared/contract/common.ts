/**
 * Pieces every domain of the contract uses: ids, file names, the input shapes that name one
 * dataset, run or job, and the check that a resolved configuration in a result is still valid input.
 */
import { z } from 'zod';
import { ModelConfigInputSchema, TrainOptionsSchema } from '../model-config';
import type { ModelConfig, ResolvedTrainOptions } from '../model-config';

/** A resolved configuration coming back in a result: it must still be a valid input. */
export const ResolvedConfigSchema = z.custom<ModelConfig>(
  (v) => ModelConfigInputSchema.safeParse(v).success,
  'not a valid model configuration',
);
export const ResolvedTrainSchema = z.custom<ResolvedTrainOptions>(
  (v) => TrainOptionsSchema.safeParse(v).success,
  'not valid training options',
);

export const Id = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[\w.-]+$/, 'expected an id of letters, digits, "-", "_" or "."');
export const FileName = z.string().min(1).max(255);

export const Empty = z.object({}).strict();
export const ByDataset = z.object({ datasetId: Id }).strict();
export const ByRun = z.object({ runId: Id }).strict();
export const ByJob = z.object({ jobId: Id }).strict();

/** True exactly when A and B are the same type (the checks that call-names.ts matches the tables). */
export type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
