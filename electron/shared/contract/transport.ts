/** The envelope of a call and its reply, and of an event, as they travel over IPC or the socket. */
import { z } from 'zod';
import type { EventName, EventPayload } from './events';

export const RequestSchema = z.object({ call: z.string(), input: z.unknown() });
export interface ErrorDto {
  code: string;
  message: string;
}
export type CallReply<T> = { ok: true; result: T } | { ok: false; error: ErrorDto };
export type EventMessage = { [E in EventName]: { event: E; payload: EventPayload<E> } }[EventName];
