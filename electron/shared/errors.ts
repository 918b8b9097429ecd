/**
 * The project's typed error for anything a user can fix: a bad file, a bad option, a bad request.
 * `where` names the file and the place (row, column, byte offset); the message says what was
 * expected. The command line prints it as one `error:` line and exits with status 2; the app shows
 * it as a message and keeps what was loaded before.
 */
export interface ErrorPlace {
  file?: string;
  row?: number;
  column?: number | string;
  byteOffset?: number;
  field?: string;
}

export class UserError extends Error {
  override readonly name = 'UserError';
  readonly code: string;
  readonly where: ErrorPlace | undefined;

  constructor(code: string, message: string, where?: ErrorPlace) {
    super(where ? `${formatPlace(where)}: ${message}` : message);
    this.code = code;
    this.where = where;
  }
}

export function formatPlace(where: ErrorPlace): string {
  const parts: string[] = [];
  if (where.file !== undefined) parts.push(where.file);
  if (where.row !== undefined) parts.push(`row ${where.row}`);
  if (where.column !== undefined) parts.push(`column ${where.column}`);
  if (where.byteOffset !== undefined) parts.push(`byte ${where.byteOffset}`);
  if (where.field !== undefined) parts.push(where.field);
  return parts.join(', ');
}

export function isUserError(e: unknown): e is UserError {
  return e instanceof UserError || (e instanceof Error && e.name === 'UserError' && 'code' in e);
}
