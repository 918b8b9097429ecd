/** An error from the engine side, with the contract's error code (`bad-request`, `data.*`, …). */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** The window event browser mode's client dispatches when the server's socket closes. */
export const DISCONNECTED = 'explorer-disconnected';
