/**
 * train(model, data, options): the family's objective through the one loop (loop.ts); with greedy
 * pretraining (THEORY.md §3), first one shallow autoencoder per layer — stage i reconstructs h_{i−1}
 * from h_i over the deep model's own variables, so the stages stack by construction — then the
 * whole model fine-tuned end to end. Every stage's epochs are in the history, tagged with `stage`.
 */
import { tf } from './tf';
import type { ResolvedTrainOptions } from '../shared/model-config';
import type { AnyAutoencoder } from './models/create';
import { createObjective, stageObjective } from './families';
import {
  evaluateObjective,
  fit,
  type HistoryRecord,
  type LoopControl,
  type StageSummary,
  type StopReason,
  type TrainCallbacks,
  type TrainData,
} from './loop';

export type { HistoryRecord, StageSummary, TrainCallbacks, TrainData, LoopControl, StopReason } from './loop';

export interface TrainResult {
  history: HistoryRecord[];
  /** One entry per greedy stage and the fine-tuning (only with greedy pretraining). */
  stages: StageSummary[];
  stopped: StopReason;
  /** Epoch (of the last stage) whose weights the model holds. */
  bestEpoch: number;
  steps: number;
  seconds: number;
  /** Training rows processed per second of training (all stages). */
  samplesPerSecond: number;
}

const sum = (a: number[]) => a.reduce((x, y) => x + y, 0);

/** Continue an interrupted run: the model already holds the checkpoint's weights. */
export interface ResumeFrom {
  /** The last finished epoch of the final stage that the weights hold (0: none). */
  epoch: number;
  /** Greedy runs: pretraining already happened (the checkpoint is from fine-tuning). */
  skipPretraining: boolean;
}

/** A part of a run: its stage name, and the epoch it stops after (train/restarts.ts). */
export interface TrainPart {
  stage?: string;
  lastEpoch?: number;
}

export async function train(
  model: AnyAutoencoder,
  data: TrainData,
  options: ResolvedTrainOptions & TrainPart,
  callbacks: TrainCallbacks = {},
  signal?: AbortSignal,
  control: LoopControl = {},
  resume?: ResumeFrom,
): Promise<TrainResult> {
  const now = control.now ?? (() => performance.now());
  const startedAt = now();
  const history: HistoryRecord[] = [];
  const stages: StageSummary[] = [];
  let steps = 0;
  let samples = 0;
  let busy = 0;
  const greedy = model.kind === 'dense' && model.config.pretrain.mode === 'greedy';
  const pretrain = greedy && !resume?.skipPretraining;

  if (pretrain) {
    for (let i = 0; i < model.depth; i++) {
      if (signal?.aborted) break;
      const stage = `pretrain-${i + 1}`;
      const input = {
        train: i === 0 ? data.train : tf.tidy(() => model.encodeThrough(i, data.train)),
        validation:
          i === 0 || !data.validation
            ? data.validation
            : tf.tidy(() => model.encodeThrough(i, data.validation!)),
      };
      const obj = stageObjective(model, i, input.train);
      try {
        const startLoss = sum(await evaluateObjective(obj, input.train));
        const r = await fit(
          obj,
          input,
          {
            ...options,
            epochs: model.config.pretrain.epochs,
            patience: 0,
            stage,
            startedAt,
            seed: options.seed + 101 * (i + 1),
          },
          callbacks,
          signal,
          control,
        );
        history.push(...r.history);
        steps += r.steps;
        samples += r.samples;
        busy += r.seconds;
        const summary = {
          stage,
          epochs: r.history.length,
          startLoss,
          endLoss: sum(await evaluateObjective(obj, input.train)),
        };
        stages.push(summary);
        await callbacks.onStageEnd?.(summary);
      } finally {
        obj.dispose();
        if (i > 0) tf.dispose([input.train, ...(input.validation ? [input.validation] : [])]);
      }
    }
  }

  const obj = createObjective(model, data.train);
  try {
    const stage = greedy ? 'finetune' : options.stage;
    const startLoss = greedy ? sum(await evaluateObjective(obj, data.train)) : NaN;
    const r = signal?.aborted
      ? { history: [], stopped: 'aborted' as const, bestEpoch: 0, steps: 0, samples: 0, seconds: 0 }
      : await fit(
          obj,
          data,
          {
            ...options,
            ...(stage ? { stage } : {}),
            startedAt,
            ...(resume ? { firstEpoch: resume.epoch + 1 } : {}),
            ...(options.lastEpoch !== undefined ? { lastEpoch: options.lastEpoch } : {}),
            snapshot: () => model.snapshot(),
            restore: (s) => model.restore(s),
          },
          callbacks,
          signal,
          control,
        );
    history.push(...r.history);
    steps += r.steps;
    samples += r.samples;
    busy += r.seconds;
    if (greedy) {
      const summary = {
        stage: 'finetune',
        epochs: r.history.length,
        startLoss,
        endLoss: sum(await evaluateObjective(obj, data.train)),
      };
      stages.push(summary);
      await callbacks.onStageEnd?.(summary);
    }
    return {
      history,
      stages,
      stopped: r.stopped,
      bestEpoch: r.bestEpoch,
      steps,
      seconds: (now() - startedAt) / 1000,
      samplesPerSecond: busy > 0 ? samples / busy : 0,
    };
  } finally {
    obj.dispose();
  }
}
