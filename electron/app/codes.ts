/**
 * "Open codes…": codes trained elsewhere — the codes.npy that an exported package's train.py
 * writes (`manifold-explorer export`), or any rows × k float32 array — replace a finished run's
 * codes, so the latent view, the inspector's neighbours and retrieval show them. The file is
 * checked against the run first (export/codes-file.ts: float32, rows × k, finite, bits for
 * hashing); on a refusal nothing changes. The model, reconstructions and history stay the run's.
 */
import type { CallArgs, CallResult } from '../shared/contract';
import { UserError } from '../shared/errors';
import { checkCodesNpy } from '../export/codes-file';
import type { JobManager } from './jobs';

export function openCodes(jobs: JobManager, input: CallArgs<'openCodes'>): CallResult<'openCodes'> {
  const run = jobs.get(input.runId);
  const result = run.result;
  if (!result)
    throw new UserError(
      'not-ready',
      `run ${run.runId} has no trained model yet (${run.state}); codes can replace a finished run's only`,
    );
  const rows = run.dataset.dataset.rows;
  const k = result.latent;
  result.codes = checkCodesNpy(input.bytes, input.fileName, {
    rows,
    k,
    binary: run.config.family === 'hashing',
  });
  return { rows, k };
}
