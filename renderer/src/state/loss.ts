/**
 * The loss history (one entry per epoch, each component beside the total) → the LossChart's
 * series: the total and each component, training solid and validation dashed, over a running
 * epoch count so greedy-pretraining stages sit one after another with a marker where each begins.
 */
import type { HistoryEntry } from '../../../electron/shared/contract';
import type { LossSeries } from '../shared/view-types';

const META = new Set(['epoch', 'stage', 'loss', 'valLoss', 'seconds', 'lr']);

/** "pretrain-1" → "layer 1", "finetune" → "fine-tune". */
export function stageLabel(stage: string): string {
  const m = /^pretrain-?(\d+)$/.exec(stage);
  if (m) return `layer ${m[1]}`;
  const start = /^start-(\d+)$/.exec(stage);
  if (start) return `start ${start[1]}`;
  return stage === 'finetune' ? 'fine-tune' : stage;
}

export function lossSeries(history: readonly HistoryEntry[]): {
  series: LossSeries[];
  stages: { epoch: number; label: string }[];
} {
  const parts = new Set<string>();
  for (const h of history)
    for (const [key, v] of Object.entries(h))
      if (!META.has(key) && !/^val[A-Z]/.test(key) && typeof v === 'number') parts.add(key);
  const components = [...parts];
  // One component: the total is that component, draw it once as "loss".
  const named: { name: string; train: string; val: string }[] =
    components.length <= 1
      ? [{ name: 'loss', train: 'loss', val: 'valLoss' }]
      : [
          { name: 'total', train: 'loss', val: 'valLoss' },
          ...components.map((c) => ({ name: c, train: c, val: `val${c[0]!.toUpperCase()}${c.slice(1)}` })),
        ];
  const series: LossSeries[] = [];
  for (const n of named) {
    for (const [split, key] of [
      ['train', n.train],
      ['validation', n.val],
    ] as const) {
      const x: number[] = [];
      const y: number[] = [];
      history.forEach((h, i) => {
        const v = h[key];
        if (typeof v === 'number' && Number.isFinite(v)) {
          x.push(i + 1);
          y.push(v);
        }
      });
      if (x.length) series.push({ name: n.name, split, x, y });
    }
  }
  const stages: { epoch: number; label: string }[] = [];
  let prev: string | undefined;
  history.forEach((h, i) => {
    if (h.stage && h.stage !== prev) stages.push({ epoch: i + 0.5, label: stageLabel(h.stage) });
    // After several starts the best one goes on without a stage of its own.
    else if (!h.stage && prev?.startsWith('start-'))
      stages.push({ epoch: i + 0.5, label: 'best, continued' });
    prev = h.stage;
  });
  return { series, stages: stages.length > 1 ? stages : [] };
}
