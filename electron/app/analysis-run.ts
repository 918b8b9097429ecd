/**
 * A finished run as the analysis calls see it: its record, the host's result, and a way to ask
 * the engine host that holds its model for tensor work. Plus the small helpers they share.
 */
import { UserError } from '../shared/errors';
import type { Normalizer } from '../engine/data/normalize';
import type { HostRunResult } from '../hosts/protocol';
import type { JobManager, RunRecord } from './jobs';
import type { EngineSupervisor } from './supervisor';

/** One engine operation, as the supervisor takes it. */
export type EngineOp = Parameters<EngineSupervisor['request']>[2];

export interface FinishedRun {
  run: RunRecord;
  result: HostRunResult;
  /** Run `op` on the engine host that holds this run's model (loading it there when needed). */
  request<T>(op: EngineOp): Promise<T>;
}

/** The run, or a UserError when it has no trained model yet. */
export function finishedRun(jobs: JobManager, supervisor: EngineSupervisor, runId: string): FinishedRun {
  const run = jobs.get(runId);
  const result = run.result;
  if (!result)
    throw new UserError('not-ready', `run ${runId} has no trained model yet (state: ${run.state})`);
  return {
    run,
    result,
    request: <T>(op: EngineOp) => supervisor.request<T>(run.runId, () => result.model, op),
  };
}

/** The run's normaliser as typed arrays (the host result holds plain arrays). */
export function normalizerOf(result: HostRunResult): Normalizer {
  return {
    kind: result.normalizer.kind,
    offset: Float32Array.from(result.normalizer.offset),
    scale: Float32Array.from(result.normalizer.scale),
  };
}

export const isHashing = (run: RunRecord): boolean => run.config.family === 'hashing';

/** The median of the finite values (the lower middle for an even count), or null when none. */
export const median = (a: ArrayLike<number>): number | null => {
  const s = Array.from(a)
    .filter(Number.isFinite)
    .sort((x, y) => x - y);
  return s.length ? s[Math.floor((s.length - 1) / 2)]! : null;
};
/** The mean of the finite values, or null when none. */
export const mean = (a: ArrayLike<number>): number | null => {
  const s = Array.from(a).filter(Number.isFinite);
  return s.length ? s.reduce((x, y) => x + y, 0) / s.length : null;
};
