/**
 * train(model, data, options): the family's objective through the one loop (loop.ts); with greedy
 * pretraining (docs/theory.md, "Deep and greedy pretraining"), first one shallow autoencoder per
 * layer — stage i reconstructs h_{i−1} from h_i over the deep model's own variables, so the stages
 * stack by construction — then the
 * whole model fine-tuned end to end. Every stage's epochs are in the history, tagged with `stage`.
 */
import { tf } from './tf';
import type { ResolvedTrainOptions } from '../shared/model-config';
import type { AnyAutoencoder } from './models/create';
import { createObjective, stageObjective } from './families';
import {
  evaluateObjective,
  fit,
  type FitResult,
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

/** What the stages add up: their epochs, summaries, steps, rows and busy seconds. */
interface Tally {
  history: HistoryRecord[];
  stages: StageSummary[];
  steps: number;
  samples: number;
  busy: number;
}

const add = (t: Tally, r: FitResult) => {
  t.history.push(...r.history);
  t.steps += r.steps;
  t.samples += r.samples;
  t.busy += r.seconds;
};

/** How every stage of one train() call runs: its options, callbacks, signal, clock and origin. */
interface StageRun {
  options: ResolvedTrainOptions & TrainPart;
  callbacks: TrainCallbacks;
  signal: AbortSignal | undefined;
  control: LoopControl;
  startedAt: number;
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
  const run: StageRun = { options, callbacks, signal, control, startedAt: now() };
  const tally: Tally = { history: [], stages: [], steps: 0, samples: 0, busy: 0 };
  const greedy = model.kind === 'dense' && model.config.pretrain.mode === 'greedy';
  if (greedy && !resume?.skipPretraining)
    for (let i = 0; i < model.depth; i++) {
      if (signal?.aborted) break;
      await pretrainStage(model, i, data, run, tally);
    }
  const r = await finalStage(model, data, run, tally, greedy, resume);
  return {
    history: tally.history,
    stages: tally.stages,
    stopped: r.stopped,
    bestEpoch: r.bestEpoch,
    steps: tally.steps,
    seconds: (now() - run.startedAt) / 1000,
    samplesPerSecond: tally.busy > 0 ? tally.samples / tally.busy : 0,
  };
}

/**
 * Greedy stage i (pretrain-(i+1)): the shallow autoencoder that reconstructs h_{i−1} from h_i,
 * trained on the codes of the layers below (computed once), without early stopping.
 */
async function pretrainStage(
  model: Extract<AnyAutoencoder, { kind: 'dense' }>,
  i: number,
  data: TrainData,
  run: StageRun,
  tally: Tally,
): Promise<void> {
  const { options, callbacks } = run;
  const stage = `pretrain-${i + 1}`;
  const input = {
    train: i === 0 ? data.train : tf.tidy(() => model.encodeThrough(i, data.train)),
    validation:
      i === 0 || !data.validation ? data.validation : tf.tidy(() => model.encodeThrough(i, data.validation!)),
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
        startedAt: run.startedAt,
        seed: options.seed + 101 * (i + 1),
      },
      callbacks,
      run.signal,
      run.control,
    );
    add(tally, r);
    const summary = {
      stage,
      epochs: r.history.length,
      startLoss,
      endLoss: sum(await evaluateObjective(obj, input.train)),
    };
    tally.stages.push(summary);
    await callbacks.onStageEnd?.(summary);
  } finally {
    obj.dispose();
    if (i > 0) tf.dispose([input.train, ...(input.validation ? [input.validation] : [])]);
  }
}

/**
 * The family's objective over the whole model (greedy runs: the fine-tuning, with its stage
 * summary), with early stopping and, on a resume, from the epoch after the checkpoint's.
 */
async function finalStage(
  model: AnyAutoencoder,
  data: TrainData,
  run: StageRun,
  tally: Tally,
  greedy: boolean,
  resume: ResumeFrom | undefined,
): Promise<FitResult> {
  const { options, callbacks } = run;
  const obj = createObjective(model, data.train);
  try {
    const stage = greedy ? 'finetune' : options.stage;
    const startLoss = greedy ? sum(await evaluateObjective(obj, data.train)) : NaN;
    const r: FitResult = run.signal?.aborted
      ? { history: [], stopped: 'aborted' as const, bestEpoch: 0, steps: 0, samples: 0, seconds: 0 }
      : await fit(
          obj,
          data,
          {
            ...options,
            ...(stage ? { stage } : {}),
            startedAt: run.startedAt,
            ...(resume ? { firstEpoch: resume.epoch + 1 } : {}),
            ...(options.lastEpoch !== undefined ? { lastEpoch: options.lastEpoch } : {}),
            snapshot: () => model.snapshot(),
            restore: (s) => model.restore(s),
          },
          callbacks,
          run.signal,
          run.control,
        );
    add(tally, r);
    if (greedy) {
      const summary = {
        stage: 'finetune',
        epochs: r.history.length,
        startLoss,
        endLoss: sum(await evaluateObjective(obj, data.train)),
      };
      tally.stages.push(summary);
      await callbacks.onStageEnd?.(summary);
    }
    return r;
  } finally {
    obj.dispose();
  }
}
