/**
 * The best of several starts. A 2-D code of a rolled sheet has folded, partly unrolled local
 * minima, and which one a run falls into is decided early by its initial weights; the final loss
 * tells them apart. So: train each start (a model built with its own seed) for the first part of
 * the run — the same learning-rate schedule, cut after `warmEpochs` — keep the one whose validation
 * loss (training loss without a validation split) is lowest, and continue it to the end. Each start
 * is a stage of the history (`start-1`, …), the continuation has none. Measured on the swiss roll
 * (defaults, ten fresh seeds): with one start one run in ten folded (10.5°); see train-config.ts.
 */
import type { ResolvedTrainOptions } from '../shared/model-config';
import type { AnyAutoencoder } from './models/create';
import { train, type TrainCallbacks, type TrainData, type TrainResult, type LoopControl } from './train';

/**
 * The share of the epochs each start trains before the best is chosen: 0.3. After 15 % no start had
 * unrolled the swiss roll yet (losses 0.07–0.12 against 0.003–0.01 at the end) and one seed in five
 * still folded (12.3°); after 30 % the choice held (3.4° on that seed). Three starts at 30 % cost
 * 1.6× one run.
 */
export const START_FRACTION = 0.3;

export interface RestartResult {
  model: AnyAutoencoder;
  result: TrainResult;
  /** 0-based index of the start kept. */
  kept: number;
  /** Each start's score (its last validation or training loss). */
  scores: number[];
}

export async function trainWithRestarts(
  make: (start: number) => AnyAutoencoder,
  data: TrainData,
  options: ResolvedTrainOptions,
  callbacksFor: (model: AnyAutoencoder) => TrainCallbacks,
  signal?: AbortSignal,
  control: LoopControl = {},
  /** Each start's model as it begins training, then the one kept (a host checkpoints the model it was last given). */
  onModel?: (model: AnyAutoencoder) => void,
): Promise<RestartResult> {
  const starts = Math.max(1, options.restarts);
  const warmEpochs = Math.max(1, Math.min(options.epochs - 1, Math.round(options.epochs * START_FRACTION)));
  const runs: { model: AnyAutoencoder; result: TrainResult; score: number }[] = [];
  try {
    for (let i = 0; i < starts; i++) {
      if (signal?.aborted) break;
      const model = make(i);
      runs.push({ model, result: undefined as never, score: Infinity });
      onModel?.(model);
      const result = await train(
        model,
        data,
        { ...options, patience: 0, stage: `start-${i + 1}`, lastEpoch: warmEpochs },
        callbacksFor(model),
        signal,
        control,
      );
      const last = result.history.at(-1);
      runs[i] = { model, result, score: last ? (last.valLoss ?? last.loss) : Infinity };
    }
  } catch (e) {
    // The first model is the caller's to dispose.
    for (const [i, r] of runs.entries()) if (i > 0) r.model.dispose();
    throw e;
  }
  let kept = 0;
  runs.forEach((r, i) => {
    if (r.score < runs[kept]!.score) kept = i;
  });
  for (const [i, r] of runs.entries()) if (i !== kept) r.model.dispose();
  const best = runs[kept]!;
  onModel?.(best.model);
  const rest = signal?.aborted
    ? { ...best.result, history: [], stopped: 'aborted' as const }
    : await train(best.model, data, options, callbacksFor(best.model), signal, control, {
        epoch: warmEpochs,
        skipPretraining: true,
      });
  const history = [...runs.flatMap((r) => r.result?.history ?? []), ...rest.history];
  const steps = runs.reduce((a, r) => a + (r.result?.steps ?? 0), 0) + rest.steps;
  const seconds = runs.reduce((a, r) => a + (r.result?.seconds ?? 0), 0) + rest.seconds;
  return {
    model: best.model,
    kept,
    scores: runs.map((r) => r.score),
    result: {
      history,
      stages: [
        ...runs.map((r, i) => ({
          stage: `start-${i + 1}`,
          epochs: r.result?.history.length ?? 0,
          startLoss: r.result?.history[0]?.loss ?? NaN,
          endLoss: r.score,
        })),
        ...rest.stages,
      ],
      stopped: rest.stopped,
      bestEpoch: rest.bestEpoch,
      steps,
      seconds,
      samplesPerSecond: rest.samplesPerSecond,
    },
  };
}
