/**
 * One training job of the engine host (engine-host.ts): its abort and pause gate, and the
 * callbacks it gives runTraining — progress with the stage's throughput and ETA (~10 Hz, the loop
 * throttles), live code snapshots, and checkpoints at epoch ends. Its state lives here, one object
 * per job. Isomorphic.
 */
import { flattenHistory, type RunCallbacks, type RunHooks } from '../engine/run';
import type { LoopControl } from '../engine/loop';
import { saveModel } from '../engine/serialize';
import type { Normalizer } from '../engine/data/normalize';
import { validationCount } from '../engine/data/split';
import type { AnyAutoencoder } from '../engine/models/create';
import type { HistoryEntry } from '../shared/contract';
import type { FromHost, StartJob } from './protocol';

type Post = (m: FromHost, transfer?: ArrayBuffer[]) => void;
type Progress = Omit<Extract<FromHost, { type: 'progress' }>['progress'], 'elapsedSeconds'>;

export const buffers = (...arrays: ArrayBufferView[]): ArrayBuffer[] =>
  arrays.map((a) => a.buffer as ArrayBuffer);

export class TrainJob {
  readonly abort = new AbortController();
  paused: { promise: Promise<void>; release: () => void } | null = null;
  private readonly t0: number;
  /** The model training now (the kept start's, with restarts), for checkpoints. */
  private live: { model: AnyAutoencoder; normalizer: Normalizer } | undefined;
  private lastCheckpoint = -Infinity;
  // Throughput and ETA of the current stage (greedy runs have several).
  private readonly trainRows: number;
  private stageEpochs = 0;
  private stageStart: number;
  private rate = 0;

  constructor(
    private readonly msg: StartJob,
    private readonly post: Post,
    private readonly now: () => number,
  ) {
    this.t0 = now();
    this.trainRows = msg.dataset.rows - validationCount(msg.dataset.rows, msg.train.valSplit ?? 0.1);
    this.stageStart = this.t0;
  }

  private progress(p: Progress): void {
    const { jobId } = this.msg;
    this.post({ type: 'progress', jobId, progress: { ...p, elapsedSeconds: (this.now() - this.t0) / 1000 } });
  }

  /** What runTraining reports to, as protocol messages. */
  callbacks(): RunCallbacks {
    return {
      onStageBegin: (st) => {
        this.stageEpochs = st.epochs;
        this.stageStart = this.now();
      },
      onBatchEnd: (b) => {
        const inStage = (this.now() - this.stageStart) / 1000;
        const done = (b.epoch - 1) * b.batches + b.batch;
        const total = this.stageEpochs * b.batches;
        this.rate = inStage > 0 ? (done * this.trainRows) / b.batches / inStage : 0;
        this.progress({
          epoch: b.epoch,
          epochs: this.stageEpochs,
          step: b.batch,
          stepsPerEpoch: b.batches,
          ...(b.stage ? { stage: b.stage } : {}),
          losses: { loss: b.loss, ...b.parts },
          samplesPerSecond: this.rate,
          etaSeconds: done > 0 && inStage > 0 ? ((total - done) * inStage) / done : null,
        });
      },
      onEpochEnd: async (h) => {
        const [entry] = flattenHistory([h]);
        const inStage = (this.now() - this.stageStart) / 1000;
        const epochs = this.stageEpochs;
        this.progress({
          epoch: h.epoch,
          epochs,
          step: 0,
          stepsPerEpoch: 0,
          ...(h.stage ? { stage: h.stage } : {}),
          losses: { loss: h.loss, ...h.parts },
          samplesPerSecond: this.rate,
          etaSeconds: h.epoch > 0 && inStage > 0 ? ((epochs - h.epoch) * inStage) / h.epoch : null,
          ...(entry ? { history: entry as HistoryEntry } : {}),
        });
        await this.checkpoint(h.epoch, h.stage);
      },
      onCodes: (s) => {
        const all = s.indices.length === this.msg.dataset.rows;
        this.post(
          {
            type: 'snapshot',
            jobId: this.msg.jobId,
            epoch: s.epoch,
            codes: s.codes,
            k: s.latent,
            ...(all ? {} : { indices: s.indices }),
          },
          all ? buffers(s.codes) : buffers(s.codes, s.indices),
        );
      },
    };
  }

  /**
   * A checkpoint at an epoch's end, when one is due. Only once greedy pretraining is over (a resume
   * skips it). A checkpoint of a start (start-2, epoch 5) resumes as one start from there
   * (engine/restarts.ts).
   */
  private async checkpoint(epoch: number, stage: string | undefined): Promise<void> {
    const { msg } = this;
    const due = msg.checkpointMs !== null && this.now() - this.lastCheckpoint >= msg.checkpointMs;
    const resumable = !stage || stage === 'finetune' || stage.startsWith('start-');
    if (!this.live || !due || !resumable) return;
    this.lastCheckpoint = this.now();
    const saved = await saveModel(this.live.model, this.live.normalizer, msg.dataset.categorical);
    this.post(
      { type: 'checkpoint', jobId: msg.jobId, epoch, ...(stage ? { stage } : {}), model: saved },
      buffers(saved.weights),
    );
  }

  /** The pause gate: the loop awaits it before every step. */
  control(): LoopControl {
    return {
      now: this.now,
      beforeStep: async () => {
        while (this.paused && !this.abort.signal.aborted) await this.paused.promise;
      },
    };
  }

  hooks(): RunHooks {
    return { onModel: (ctx) => (this.live = { model: ctx.model, normalizer: ctx.normalizer }) };
  }

  pause(): void {
    if (this.paused) return;
    let release = () => {};
    const promise = new Promise<void>((r) => (release = r));
    this.paused = { promise, release };
    this.post({ type: 'state', jobId: this.msg.jobId, state: 'paused' });
  }

  resume(): void {
    if (!this.paused) return;
    const p = this.paused;
    this.paused = null;
    p.release();
    this.post({ type: 'state', jobId: this.msg.jobId, state: 'running' });
  }

  cancel(): void {
    this.abort.abort();
    this.paused?.release();
  }
}
