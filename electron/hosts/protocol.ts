/**
 * The engine-host protocol: what the main process (or `serve`) says to a host that runs the engine
 * — a Node worker thread, Electron's hidden compute window, a utility process with tfjs-node — and
 * what the host answers. Isomorphic types only; every host runs hosts/engine-host.ts behind its own
 * transport (parentPort, MessagePort, process.parentPort), so they all behave the same.
 */
import type { BackendChoice, BackendPreference } from '../engine/backend';
import type { Dataset } from '../shared/dataset';
import type {
  ModelConfig,
  ModelConfigInput,
  ResolvedTrainOptions,
  TrainOptionsInput,
} from '../shared/model-config';
import type { ProgressEvent } from '../shared/contract';
import type { RunMetrics } from '../engine/metrics';
import type { Diagnosis } from '../engine/diagnostics';
import type { StageSummary, StopReason } from '../engine/train';
import type { NormalizeKind } from '../engine/data/normalize';

/** A model as bytes (engine/serialize.ts): the manifest and the weights buffer. */
export interface ModelBytes {
  manifest: unknown;
  weights: Uint8Array;
}

export interface StartJob {
  type: 'start';
  jobId: string;
  runId: string;
  dataset: Dataset;
  config: ModelConfigInput | ModelConfig;
  train: TrainOptionsInput;
  /** Continue from a checkpoint: its weights, and the epoch it holds. */
  resume?: { epoch: number; model: ModelBytes };
  /** Code snapshots for the live latent view, at most this often (ms). 0 = none. */
  snapshotMs: number;
  /** Checkpoints (weights) at epoch ends, at most this often (ms): 0 = every epoch, null = none. */
  checkpointMs: number | null;
}

export type AnalysisOp =
  | { op: 'tangents'; points: Float32Array; n: number; method: 'decoder' | 'encoder'; dims?: number }
  | { op: 'score'; points: Float32Array; n: number }
  | {
      op: 'trajectories';
      points: Float32Array;
      n: number;
      steps: number;
      mode: 'descent' | 'chain';
      alpha: number;
      seed: number;
      /** Per-column min/max of the training data in normalised units (salt-and-pepper corruption). */
      range?: { min: Float32Array; max: Float32Array };
    }
  | { op: 'surface'; codes: Float32Array; n: number; resolution: number }
  | { op: 'encode'; points: Float32Array; n: number };

export type ToHost =
  | { type: 'init'; backend: BackendPreference; dims?: number }
  | StartJob
  | { type: 'pause' | 'resume' | 'cancel'; jobId: string }
  | ({ type: 'request'; requestId: number; runId: string; model?: ModelBytes } & AnalysisOp);

export type ProgressPayload = Omit<ProgressEvent, 'jobId' | 'runId'>;

export interface HostRunResult {
  config: ModelConfig;
  train: ResolvedTrainOptions;
  normalizer: { kind: NormalizeKind; offset: number[]; scale: number[] };
  split: { train: number; validation: number };
  history: Record<string, number | string | null>[];
  stages: StageSummary[];
  stopped: StopReason;
  metrics: RunMetrics;
  warnings: string[];
  diagnostics?: Diagnosis[];
  codes: Float32Array;
  latent: number;
  reconstructions: Float32Array;
  model: ModelBytes;
  seconds: number;
  /** Epoch the run started from (0, or a checkpoint's). */
  resumedFrom: number;
}

export type FromHost =
  | { type: 'ready'; backend: BackendChoice }
  | { type: 'fatal'; message: string }
  | { type: 'state'; jobId: string; state: 'running' | 'paused' | 'cancelled' }
  | { type: 'progress'; jobId: string; progress: ProgressPayload }
  | { type: 'snapshot'; jobId: string; epoch: number; codes: Float32Array; k: number; indices?: Uint32Array }
  | { type: 'checkpoint'; jobId: string; epoch: number; stage?: string; model: ModelBytes }
  | { type: 'done'; jobId: string; result: HostRunResult }
  | { type: 'failed'; jobId: string; code: string; message: string; user: boolean }
  | { type: 'reply'; requestId: number; ok: true; result: unknown }
  | { type: 'reply'; requestId: number; ok: false; code: string; message: string; user: boolean };

/** The transport a host runs behind. `transfer` lists buffers that may be moved, not copied. */
export interface HostPort {
  post(message: FromHost, transfer?: ArrayBuffer[]): void;
  onMessage(handler: (message: ToHost) => void): void;
}
