/**
 * The learning rate at a point of the run, `progress` in epochs (fractional within an epoch):
 *   constant:    η
 *   step:        η·γ^⌊progress / every⌋
 *   exponential: η·γ^progress
 *   cosine:      η_min + ½(η − η_min)(1 + cos(π·progress/epochs)), η_min = η·minFactor
 */
import type { ResolvedTrainOptions } from '../../shared/model-config';

export function learningRate(
  lr: number,
  schedule: ResolvedTrainOptions['schedule'],
  progress: number,
  epochs: number,
): number {
  switch (schedule.kind) {
    case 'constant':
      return lr;
    case 'step':
      return lr * schedule.gamma ** Math.floor(progress / schedule.every);
    case 'exponential':
      return lr * schedule.gamma ** progress;
    case 'cosine': {
      const min = lr * schedule.minFactor;
      return min + 0.5 * (lr - min) * (1 + Math.cos((Math.PI * Math.min(progress, epochs)) / epochs));
    }
  }
}
