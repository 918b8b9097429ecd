/**
 * The analysis calls of the contract (analyze, field, surface, inspect, retrieve, quality, exports)
 * for finished runs, one file per kind: analysis-geometry.ts (tangents, r(x) − x, trajectories, the
 * field, the surface), analysis-neighbours.ts (inspect, retrieve), analysis-quality.ts and
 * run-export.ts. Tensor work (Jacobians, r(x) − x, decoding) runs on the engine host; the rest —
 * neighbours, rankings, embedding quality, the comparison with the ground truth — is plain array
 * code. Everything comes back in the data's original units.
 */
import type { CallArgs, CallResult, RunDetail } from '../shared/contract';
import type { DatasetStore } from './datasets';
import type { JobManager } from './jobs';
import type { EngineSupervisor } from './supervisor';
import { finishedRun, type FinishedRun } from './analysis-run';
import { analyze, field, surface } from './analysis-geometry';
import { inspect, retrieve } from './analysis-neighbours';
import { quality } from './analysis-quality';
import { exportRun } from './run-export';

export class Analysis {
  private readonly qualityCache = new Map<string, CallResult<'quality'>>();

  constructor(
    private readonly datasets: DatasetStore,
    private readonly jobs: JobManager,
    private readonly supervisor: EngineSupervisor,
  ) {}

  private finished(runId: string): FinishedRun {
    return finishedRun(this.jobs, this.supervisor, runId);
  }

  runDetail(runId: string): RunDetail {
    const run = this.jobs.get(runId);
    const ds = run.dataset.dataset;
    const r = run.result;
    let errors: Float32Array | undefined;
    if (r) {
      errors = new Float32Array(ds.rows);
      for (let i = 0; i < ds.rows; i++) {
        let s = 0;
        for (let c = 0; c < ds.dims; c++)
          s += (ds.data[i * ds.dims + c]! - r.reconstructions[i * ds.dims + c]!) ** 2;
        errors[i] = s / ds.dims;
      }
    }
    return {
      summary: this.jobs.summary(run),
      history: run.history,
      ...(r
        ? {
            codes: { data: r.codes, shape: [ds.rows, r.latent] },
            reconstructions: { data: r.reconstructions, shape: [ds.rows, ds.dims] },
            errors: { data: errors!, shape: [ds.rows] },
          }
        : {}),
    };
  }

  analyze(input: CallArgs<'analyze'>): Promise<CallResult<'analyze'>> {
    return analyze(this.finished(input.runId), input);
  }

  field(input: CallArgs<'field'>): Promise<CallResult<'field'>> {
    return field(this.finished(input.runId), input);
  }

  surface(input: CallArgs<'surface'>): Promise<CallResult<'surface'>> {
    return surface(this.finished(input.runId), input);
  }

  inspect(input: CallArgs<'inspect'>): Promise<CallResult<'inspect'>> {
    return inspect(this.finished(input.runId), input);
  }

  retrieve(input: CallArgs<'retrieve'>): Promise<CallResult<'retrieve'>> {
    return retrieve(this.finished(input.runId), input);
  }

  /** Measured once per run (a trained run does not change), then answered from the cache. */
  async quality(runId: string): Promise<CallResult<'quality'>> {
    const cached = this.qualityCache.get(runId);
    if (cached) return cached;
    const q = await quality(this.finished(runId));
    this.qualityCache.set(runId, q);
    return q;
  }

  exportRun(input: CallArgs<'exportRun'>): CallResult<'exportRun'> {
    const f = this.finished(input.runId);
    return exportRun(f, input, this.jobs.summary(f.run));
  }
}
