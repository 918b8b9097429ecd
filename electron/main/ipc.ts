import { ipcMain } from 'electron';
import type { IpcMainInvokeEvent } from 'electron';
import { IPC_CHANNEL } from '../shared/call-names';
import type { CallReply } from '../shared/contract';
import { dispatch } from '../app/dispatch';
import type { Handlers, Log } from '../app/dispatch';
import { APP_ORIGIN } from './protocol';

/** Only the app's own top-level frame may call. */
export function isTrustedSender(event: Pick<IpcMainInvokeEvent, 'senderFrame'>): boolean {
  const frame = event.senderFrame;
  return !!frame && frame.parent === null && frame.url.startsWith(APP_ORIGIN + '/');
}

/** The sender, then the payload (app/dispatch.ts), then the handler. */
export async function handleCall(
  handlers: Partial<Handlers>,
  event: Pick<IpcMainInvokeEvent, 'senderFrame'>,
  payload: unknown,
  log: Log,
): Promise<CallReply<unknown>> {
  if (!isTrustedSender(event)) {
    log(`refused IPC from ${event.senderFrame?.url ?? 'an unknown frame'}`);
    return { ok: false, error: { code: 'forbidden', message: 'sender not allowed' } };
  }
  return dispatch(handlers, payload, log);
}

export function registerIpc(handlers: Partial<Handlers>, log: Log = console.warn): void {
  ipcMain.handle(IPC_CHANNEL, (event, payload) => handleCall(handlers, event, payload, log));
}
