/**
 * The gate every call passes, whatever the transport (Electron IPC, browser mode's WebSocket):
 * the request's shape, the call's name (own keys of the contract only), the input against its
 * schema, then the handler, then the result against its schema. Refusals are logged and answered
 * with an error; nothing a client sends can throw past this function.
 */
import { calls, RequestSchema } from '../shared/contract';
import type { CallArgs, CallName, CallReply, CallResult } from '../shared/contract';
import { isUserError } from '../shared/errors';
import { describeZodError } from '../shared/model-config';

export type Handlers = { [N in CallName]: (input: CallArgs<N>) => Promise<CallResult<N>> | CallResult<N> };

export type Log = (msg: string) => void;

export async function dispatch(
  handlers: Partial<Handlers>,
  payload: unknown,
  log: Log,
): Promise<CallReply<unknown>> {
  const req = RequestSchema.safeParse(payload);
  if (!req.success || !Object.hasOwn(calls, req.data.call)) {
    log(`refused a malformed request or unknown call`);
    return { ok: false, error: { code: 'bad-request', message: 'unknown call or malformed request' } };
  }
  const name = req.data.call as CallName;
  const handler = handlers[name] as ((input: unknown) => unknown) | undefined;
  if (!handler)
    return { ok: false, error: { code: 'unsupported', message: `${name} is not available in this host` } };
  const input = calls[name].input.safeParse(req.data.input ?? {});
  if (!input.success) {
    const message = describeZodError(input.error, name);
    log(`refused ${message}`);
    return { ok: false, error: { code: 'bad-request', message } };
  }
  try {
    const raw = await handler(input.data);
    const result = calls[name].result.safeParse(raw);
    if (!result.success) {
      log(`${name} produced a result outside the contract: ${describeZodError(result.error)}`);
      return {
        ok: false,
        error: { code: 'internal', message: `${name}: internal error (result outside the contract)` },
      };
    }
    return { ok: true, result: result.data };
  } catch (e) {
    if (isUserError(e)) return { ok: false, error: { code: e.code, message: e.message } };
    const message = e instanceof Error ? e.message : String(e);
    log(`${name} failed: ${message}`);
    return { ok: false, error: { code: 'internal', message: `${name}: ${message}` } };
  }
}
