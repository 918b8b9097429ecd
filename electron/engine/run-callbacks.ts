/**
 * What runTraining (run.ts) wraps around its callers' callbacks: live code snapshots delivered with
 * the throttled batch reports, and losses back in the user's units when the model trains in a
 * rescaled frame (the linear family's σ²). Isomorphic.
 */
import type { AnyAutoencoder } from './models/create';
import { takeRows } from './data/split';
import { mapRows } from './inference';
import type { BatchInfo, HistoryRecord, StageSummary, TrainCallbacks } from './loop';
import type { RunCallbacks, RunRequest } from './run';

/** Evenly spaced row indices, all rows when they fit. */
export function snapshotIndices(rows: number, max: number): Uint32Array {
  const m = Math.max(1, Math.min(rows, max));
  return Uint32Array.from({ length: m }, (_, i) => Math.floor((i * rows) / m));
}

/** Wrap the callbacks so throttled batch reports also deliver code snapshots when due. */
export function withSnapshots(
  callbacks: RunCallbacks,
  model: AnyAutoencoder,
  x: Float32Array,
  dims: number,
  opts: RunRequest['snapshot'],
  now: () => number,
  codeScale = 1,
): TrainCallbacks {
  const { onCodes, ...rest } = callbacks;
  if (!onCodes) return rest;
  const rows = x.length / dims;
  const indices = snapshotIndices(rows, opts?.rows ?? 5000);
  const subset = takeRows(x, dims, indices);
  const everyMs = opts?.everyMs ?? 500;
  let last = -Infinity;
  return {
    ...rest,
    onBatchEnd: async (b) => {
      await rest.onBatchEnd?.(b);
      if (now() - last < everyMs) return;
      const { values } = await mapRows(subset, indices.length, dims, (t) => model.codes(t));
      if (codeScale !== 1) for (let i = 0; i < values.length; i++) values[i]! *= codeScale;
      last = now();
      await onCodes({
        indices,
        codes: values,
        latent: model.latent,
        ...(b.stage ? { stage: b.stage } : {}),
        epoch: b.epoch,
        step: b.step,
      });
    },
  };
}

const scaleParts = (p: Record<string, number>, s: number) =>
  Object.fromEntries(Object.entries(p).map(([k, v]) => [k, v * s]));

/** A history record with its losses multiplied by `s` (the linear frame's σ²: back to user units). */
export function scaleRecord(h: HistoryRecord, s: number): HistoryRecord {
  return {
    ...h,
    loss: h.loss * s,
    valLoss: h.valLoss === null ? null : h.valLoss * s,
    parts: scaleParts(h.parts, s),
    ...(h.valParts ? { valParts: scaleParts(h.valParts, s) } : {}),
  };
}

/** Callbacks that see losses in the user's units when the model trains in a rescaled frame. */
export function inUserUnits(callbacks: RunCallbacks, s: number): RunCallbacks {
  if (s === 1) return callbacks;
  return {
    ...callbacks,
    ...(callbacks.onBatchEnd
      ? {
          onBatchEnd: (b: BatchInfo) =>
            callbacks.onBatchEnd!({ ...b, loss: b.loss * s, parts: scaleParts(b.parts, s) }),
        }
      : {}),
    ...(callbacks.onEpochEnd
      ? { onEpochEnd: (h: HistoryRecord) => callbacks.onEpochEnd!(scaleRecord(h, s)) }
      : {}),
    ...(callbacks.onStageEnd
      ? {
          onStageEnd: (st: StageSummary) =>
            callbacks.onStageEnd!({ ...st, startLoss: st.startLoss * s, endLoss: st.endLoss * s }),
        }
      : {}),
  };
}
