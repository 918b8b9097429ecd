/**
 * The API contract between the renderer and the rest of the app: every call with its input schema
 * and result schema, every event with its payload. Electron main (over one IPC channel), the preload
 * (named functions), and browser mode (over a WebSocket) all implement this one table; the renderer
 * sees it as `window.explorer` (`ExplorerApi`). Types and schemas only: no electron, Node or DOM.
 *
 * Each domain's schemas and calls live in their own file (datasets, training, analysis, sessions,
 * export, events); this file assembles the one call table and checks it against call-names.ts.
 *
 * Large arrays travel as `{ data: Float32Array, shape }` (see arrays.ts): checked for length and
 * finiteness, never element by element.
 */
import { z } from 'zod';
import type { CALLS } from '../call-names';
import { analysisCalls } from './analysis';
import { Empty } from './common';
import type { Same } from './common';
import { datasetsCalls } from './datasets';
import type { CommandEvent, EventName, EventPayload, JobEvent, ProgressEvent, SnapshotEvent } from './events';
import { exportCalls } from './export';
import { sessionsCalls } from './sessions';
import { trainingCalls } from './training';

export * from './analysis';
export * from './datasets';
export * from './events';
export * from './export';
export * from './sessions';
export * from './training';
export * from './transport';

export const AppInfoSchema = z.object({
  name: z.string(),
  version: z.string(),
  host: z.enum(['electron', 'browser']),
  backends: z.array(z.string()),
});

const appCalls = { appInfo: { input: Empty, result: AppInfoSchema } } as const;

/** Each domain's calls; the one table is their union. */
const domains = {
  app: appCalls,
  datasets: datasetsCalls,
  training: trainingCalls,
  analysis: analysisCalls,
  sessions: sessionsCalls,
  export: exportCalls,
} as const;

export const calls = {
  ...domains.app,
  ...domains.datasets,
  ...domains.training,
  ...domains.analysis,
  ...domains.sessions,
  ...domains.export,
} as const;

export type CallName = keyof typeof calls;
export const CALL_NAMES = Object.keys(calls) as CallName[];
// The preload's plain list must name exactly these calls, and no call may be in two domains (a
// spread would keep the later one silently): type errors otherwise.
type Domains = typeof domains;
type Overlap = {
  [A in keyof Domains]: {
    [B in Exclude<keyof Domains, A>]: keyof Domains[A] & keyof Domains[B];
  }[Exclude<keyof Domains, A>];
}[keyof Domains];
const _disjoint: Same<Overlap, never> = true;
const _callsMatch: Same<(typeof CALLS)[number], CallName> = true;
void _disjoint;
void _callsMatch;
export type CallInput<N extends CallName> = z.input<(typeof calls)[N]['input']>;
export type CallArgs<N extends CallName> = z.output<(typeof calls)[N]['input']>;
export type CallResult<N extends CallName> = z.output<(typeof calls)[N]['result']>;

export type Unsubscribe = () => void;

/** `window.explorer`: one async function per call, plus event subscriptions. */
export type ExplorerApi = { [N in CallName]: (input: CallInput<N>) => Promise<CallResult<N>> } & {
  onProgress(cb: (e: ProgressEvent) => void): Unsubscribe;
  onSnapshot(cb: (e: SnapshotEvent) => void): Unsubscribe;
  onJob(cb: (e: JobEvent) => void): Unsubscribe;
  onCommand(cb: (e: CommandEvent) => void): Unsubscribe;
  onDatasetOpened(cb: (e: EventPayload<'datasetOpened'>) => void): Unsubscribe;
  onSessionOpened(cb: (e: EventPayload<'sessionOpened'>) => void): Unsubscribe;
};

/** The subscription functions of ExplorerApi, by event. */
export const EVENT_SUBSCRIBERS = {
  progress: 'onProgress',
  snapshot: 'onSnapshot',
  job: 'onJob',
  command: 'onCommand',
  datasetOpened: 'onDatasetOpened',
  sessionOpened: 'onSessionOpened',
} as const satisfies Record<EventName, keyof ExplorerApi>;
