import { ipcMain } from 'electron';
import type { IpcMainInvokeEvent } from 'electron';
import { calls, IPC_CHANNEL, RequestSchema } from '../shared/contract';
import type { CallName, CallReply } from '../shared/contract';
import { APP_ORIGIN } from './protocol';

export type Handlers = { [N in CallName]: (input: unknown) => Promise<unknown> | unknown };

/** Only the app's own top frame may call. */
export function isTrustedSender(event: Pick<IpcMainInvokeEvent, 'senderFrame'>): boolean {
  const frame = event.senderFrame;
  return !!frame && frame.parent === null && frame.url.startsWith(APP_ORIGIN + '/');
}

/** Validate the sender and the payload, run the handler, validate its result. */
export async function dispatch(
  handlers: Handlers,
  event: Pick<IpcMainInvokeEvent, 'senderFrame'>,
  payload: unknown,
  log: (msg: string) => void,
): Promise<CallReply<unknown>> {
  if (!isTrustedSender(event)) {
    log(`refused IPC from ${event.senderFrame?.url ?? 'an unknown frame'}`);
    return { ok: false, error: { code: 'forbidden', message: 'sender not allowed' } };
  }
  const req = RequestSchema.safeParse(payload);
  if (!req.success || !Object.hasOwn(calls, req.data.call)) {
    log(`refused malformed IPC request`);
    return { ok: false, error: { code: 'bad-request', message: 'unknown call or malformed request' } };
  }
  const name = req.data.call as CallName;
  const input = calls[name].input.safeParse(req.data.input ?? {});
  if (!input.success) {
    log(`refused ${name}: ${input.error.message}`);
    return {
      ok: false,
      error: {
        code: 'bad-request',
        message: `${name}: ${input.error.issues[0]?.message ?? 'invalid input'}`,
      },
    };
  }
  try {
    const result = calls[name].result.parse(await handlers[name](input.data));
    return { ok: true, result };
  } catch (e) {
    const err = e instanceof Error ? e : new Error(String(e));
    return {
      ok: false,
      error: { code: err.name === 'UserError' ? 'user-error' : 'internal', message: err.message },
    };
  }
}

export function registerIpc(handlers: Handlers, log: (msg: string) => void = console.warn): void {
  ipcMain.handle(IPC_CHANNEL, (event, payload) => dispatch(handlers, event, payload, log));
}
