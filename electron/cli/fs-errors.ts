/**
 * File-system failures a user can fix (a symbolic-link loop, a read-only disk, no permission, a full
 * disk, a path through a file), worded as UserErrors that name the path. The loaders map the
 * common ones themselves; main() passes anything else with one of these codes through here, so an
 * operating-system refusal is one `error:` line and exit status 2, never `internal:`.
 */
import { UserError } from '../shared/errors';

/** What each errno means for the user, and what to do about it. */
const MEANING: Record<string, string> = {
  ELOOP: 'a loop of symbolic links (ELOOP); point to a real file or folder',
  EACCES: 'permission denied (EACCES)',
  EPERM: 'operation not permitted (EPERM)',
  EROFS: 'on a read-only file system (EROFS)',
  ENOTDIR: 'a part of this path is a file, not a folder (ENOTDIR)',
  EISDIR: 'is a folder; expected a file (EISDIR)',
  ENOENT: 'no such file or folder (ENOENT)',
  ENAMETOOLONG: 'the path is too long (ENAMETOOLONG)',
  ENOSPC: 'no space left on the device (ENOSPC)',
  EDQUOT: 'the disk quota is used up (EDQUOT)',
  EEXIST: 'already exists (EEXIST)',
  ENOTEMPTY: 'the folder is not empty (ENOTEMPTY)',
  EBUSY: 'busy: another program is using it (EBUSY)',
  EMFILE: 'too many open files (EMFILE); raise the limit (ulimit -n)',
  ENFILE: 'too many open files on the system (ENFILE)',
  EXDEV: 'on another file system than its folder (EXDEV)',
};

export function errnoOf(e: unknown): string | undefined {
  return e instanceof Error && 'code' in e && typeof e.code === 'string' ? e.code : undefined;
}

export function isUserFsError(e: unknown): e is NodeJS.ErrnoException {
  const code = errnoOf(e);
  return code !== undefined && code in MEANING;
}

/** `path: meaning` (with the path Node reports when none is given), or the error itself. */
export function fsUserError(e: unknown, path?: string, doing?: string): unknown {
  const code = errnoOf(e);
  if (code === undefined || !(code in MEANING)) return e;
  const where = path ?? (e as NodeJS.ErrnoException).path;
  const what = (doing ? `${doing}: ` : '') + MEANING[code]!;
  return new UserError(`fs.${code.toLowerCase()}`, what, where ? { file: where } : undefined);
}
