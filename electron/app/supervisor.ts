/**
 * Supervises one engine host (a Node worker thread here; the desktop app can plug in its compute
 * window or utility process behind the same HostHandle): starts it on first use with the backend
 * preference, routes job messages to a listener and analysis replies to their callers, and notices
 * when it dies — every open request is rejected, the listener is told, and the next use starts a
 * fresh host. The app stays up.
 */
import type { BackendChoice, BackendPreference } from '../engine/backend';
import { UserError } from '../shared/errors';
import type { AnalysisOp, FromHost, ModelBytes, ToHost } from '../hosts/protocol';

export interface HostHandle {
  post(message: ToHost, transfer?: ArrayBuffer[]): void;
  onMessage(cb: (m: FromHost) => void): void;
  /** Called once when the host is gone (crash, kill or terminate); `reason` says which. */
  onExit(cb: (reason: string) => void): void;
  terminate(): Promise<void>;
}

export type HostFactory = () => HostHandle;

type JobMessage = Extract<FromHost, { jobId: string }>;

interface Live {
  handle: HostHandle;
  ready: Promise<BackendChoice>;
  /** Runs whose model this host holds. */
  loaded: Set<string>;
  requests: Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>;
  exited: boolean;
}

export class EngineSupervisor {
  private live: Live | undefined;
  private nextRequest = 1;
  private generation = 0;

  constructor(
    private readonly factory: HostFactory,
    private readonly listener: {
      job(m: JobMessage): void;
      /** The host died; `generation` identifies which start of it. */
      exit(reason: string, generation: number): void;
    },
    private readonly backend: BackendPreference = 'auto',
    private readonly log: (msg: string) => void = () => {},
  ) {}

  /** The host's generation: it changes each time a fresh host starts. */
  get currentGeneration(): number {
    return this.generation;
  }

  private start(): Live {
    const handle = this.factory();
    this.generation++;
    const generation = this.generation;
    let resolveReady!: (b: BackendChoice) => void;
    let rejectReady!: (e: Error) => void;
    const ready = new Promise<BackendChoice>((res, rej) => {
      resolveReady = res;
      rejectReady = rej;
    });
    ready.catch(() => {});
    const live: Live = { handle, ready, loaded: new Set(), requests: new Map(), exited: false };
    handle.onMessage((m) => {
      switch (m.type) {
        case 'ready':
          resolveReady(m.backend);
          return;
        case 'fatal':
          rejectReady(new UserError('backend', `the engine could not start: ${m.message}`));
          return;
        case 'reply': {
          const p = live.requests.get(m.requestId);
          if (!p) return;
          live.requests.delete(m.requestId);
          if (m.ok) p.resolve(m.result);
          else {
            const e = m.user ? new UserError(m.code, m.message) : new Error(m.message);
            p.reject(e);
          }
          return;
        }
        default:
          this.listener.job(m);
      }
    });
    handle.onExit((reason) => {
      live.exited = true;
      rejectReady(new Error(`the engine stopped: ${reason}`));
      for (const p of live.requests.values()) p.reject(new Error(`the engine stopped: ${reason}`));
      live.requests.clear();
      if (this.live === live) this.live = undefined;
      this.log(`engine host exited (${reason})`);
      this.listener.exit(reason, generation);
    });
    handle.post({ type: 'init', backend: this.backend });
    return live;
  }

  private get host(): Live {
    if (!this.live || this.live.exited) this.live = this.start();
    return this.live;
  }

  /** The backend the host chose (starting it if needed). */
  ready(): Promise<BackendChoice> {
    return this.host.ready;
  }

  async send(message: ToHost, transfer?: ArrayBuffer[]): Promise<number> {
    const live = this.host;
    await live.ready;
    live.handle.post(message, transfer);
    return this.generation;
  }

  /** Post to the host only if it is running (pause/resume/cancel never start one). */
  sendIfRunning(message: ToHost): boolean {
    if (!this.live || this.live.exited) return false;
    this.live.handle.post(message);
    return true;
  }

  async request<T>(runId: string, model: () => ModelBytes | undefined, op: AnalysisOp): Promise<T> {
    const live = this.host;
    await live.ready;
    const requestId = this.nextRequest++;
    const bytes = live.loaded.has(runId) ? undefined : model();
    return new Promise<T>((resolve, reject) => {
      live.requests.set(requestId, { resolve: (v) => resolve(v as T), reject });
      live.handle.post({ type: 'request', requestId, runId, ...(bytes ? { model: bytes } : {}), ...op });
      if (bytes) live.loaded.add(runId);
    });
  }

  /** The host now holds this run's model (it just trained it). */
  markLoaded(runId: string, generation: number): void {
    if (this.live && this.generation === generation) this.live.loaded.add(runId);
  }

  forget(runId: string): void {
    this.live?.loaded.delete(runId);
  }

  /** Stop the host (tests use it to simulate a crash; shutdown uses it to clean up). */
  async kill(): Promise<void> {
    const live = this.live;
    if (live && !live.exited) await live.handle.terminate();
  }
}
