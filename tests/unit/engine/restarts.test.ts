/**
 * Several starts (engine/restarts.ts): each start trains the first 15 % of the run on the run's
 * schedule, the one with the lowest validation loss goes on from there, and the run is what that
 * start continued gives.
 */
import { runTraining } from '../../../electron/engine/run';
import { START_FRACTION } from '../../../electron/engine/restarts';
import { datasetOf, lowRankData, useCpu } from './helpers';

beforeAll(useCpu);

const n = 200,
  d = 3;
const data = lowRankData(n, d, [3, 1], 0.1, 4);

test('three starts, the best continued to the last epoch', async () => {
  const r = await runTraining({
    dataset: datasetOf(data, n, d),
    config: { family: 'undercomplete', latent: 2, hidden: [8] },
    train: { epochs: 20, restarts: 3, seed: 5 },
  });
  try {
    const warm = Math.round(20 * START_FRACTION);
    expect(r.train.restarts).toBe(3);
    expect(r.stages.map((s) => [s.stage, s.epochs])).toEqual([
      ['start-1', warm],
      ['start-2', warm],
      ['start-3', warm],
    ]);
    const starts = r.history.filter((h) => h.stage);
    const rest = r.history.filter((h) => !h.stage);
    expect(starts).toHaveLength(3 * warm);
    expect(rest.map((h) => h.epoch)).toEqual(Array.from({ length: 20 - warm }, (_, i) => warm + 1 + i));
    // The start kept is the one with the lowest validation loss after its warm-up.
    const scores = r.stages.map((s) => s.endLoss);
    const kept = scores.indexOf(Math.min(...scores));
    // The continuation picks up from the kept start: its first epoch's loss is near that start's last.
    const keptLast = starts.filter((h) => h.stage === `start-${kept + 1}`).at(-1)!;
    expect(rest[0]!.loss).toBeLessThan(keptLast.loss * 1.5);
    // And the schedule is the whole run's: the continuation's learning rate goes on falling.
    expect(rest.at(-1)!.lr).toBeLessThan(rest[0]!.lr);
  } finally {
    r.model.dispose();
  }
});

test('one start is the plain run; a greedy or resumed run has no starts', async () => {
  const ds = datasetOf(data, n, d);
  const one = await runTraining({
    dataset: ds,
    config: { family: 'undercomplete', hidden: [8] },
    train: { epochs: 5, restarts: 1 },
  });
  expect(one.stages).toEqual([]);
  one.model.dispose();
  const greedy = await runTraining({
    dataset: ds,
    config: { family: 'deep', hidden: [8, 4], pretrain: { mode: 'greedy', epochs: 2 } },
    train: { epochs: 5, restarts: 3 },
  });
  expect(greedy.stages.map((s) => s.stage)).toEqual(['pretrain-1', 'pretrain-2', 'pretrain-3', 'finetune']);
  greedy.model.dispose();
});
