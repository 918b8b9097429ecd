/**
 * The API contract between the renderer and the rest of the app: every call with its input schema
 * and result type. Main (over IPC), the preload (named functions) and browser mode (over a
 * WebSocket) all implement this one table. Types and schemas only: no electron, Node or DOM.
 */
import { z } from 'zod';

export const SampleInfoSchema = z.object({
  name: z.string(),
  title: z.string(),
  description: z.string(),
  dims: z.number().int(),
  intrinsicDims: z.number().int(),
  defaultRows: z.number().int(),
  truth: z.object({ coordinates: z.boolean(), tangents: z.boolean(), score: z.boolean() }),
  real: z.boolean().optional(),
});
export type SampleInfoDto = z.infer<typeof SampleInfoSchema>;

export const AppInfoSchema = z.object({
  name: z.string(),
  version: z.string(),
  host: z.enum(['electron', 'browser']),
});
export type AppInfo = z.infer<typeof AppInfoSchema>;

/** Each call: the schema its input must pass, and the schema of its result. */
export const calls = {
  appInfo: { input: z.object({}).strict(), result: AppInfoSchema },
  listSamples: { input: z.object({}).strict(), result: z.array(SampleInfoSchema) },
} as const;

export type CallName = keyof typeof calls;
export type CallInput<N extends CallName> = z.input<(typeof calls)[N]['input']>;
export type CallResult<N extends CallName> = z.output<(typeof calls)[N]['result']>;

/** The object the preload exposes as `window.explorer` (and browser mode builds over a WebSocket). */
export interface ExplorerApi {
  appInfo(): Promise<AppInfo>;
  listSamples(): Promise<SampleInfoDto[]>;
}

/** The one IPC channel every call travels on: `{ call, input }` in, `{ ok, result | error }` out. */
export const IPC_CHANNEL = 'explorer:call';

export const RequestSchema = z.object({ call: z.string(), input: z.unknown() });
export type CallReply<T> = { ok: true; result: T } | { ok: false; error: { code: string; message: string } };
