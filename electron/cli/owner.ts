/**
 * Which process owns a lock, and whether it can be proved dead. A lock names its process by host,
 * pid and (on Linux) the process's start time in clock ticks since boot (/proc/PID/stat, field 22):
 * a pid alone is reused, after a reboot often, and a lock whose pid now belongs to some other
 * process would otherwise block its folder for ever. Anything not provably dead is treated as
 * alive: another host's process (a shared network disk), a pid we may not signal (EPERM), a lock
 * we cannot read.
 */
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';

export interface Owner {
  pid: number;
  host: string;
  /** Start time in clock ticks since boot (Linux), or null where unknown. */
  started: number | null;
}

/** Field 22 of /proc/PID/stat (after the parenthesised command name, which may hold spaces). */
export function processStart(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[19]); // fields[0] is field 3 (state)
    return Number.isFinite(ticks) ? ticks : null;
  } catch {
    return null;
  }
}

export function currentOwner(): Owner {
  return { pid: process.pid, host: hostname(), started: processStart(process.pid) };
}

export function isOwner(x: unknown): x is Owner {
  const o = x as Partial<Owner> | null;
  return (
    !!o &&
    Number.isSafeInteger(o.pid) &&
    (o.pid as number) > 0 &&
    typeof o.host === 'string' &&
    (o.started === null || typeof o.started === 'number')
  );
}

/** True only when the owner is provably no longer running. */
export function isDead(o: Owner): boolean {
  if (o.host !== hostname()) return false;
  try {
    process.kill(o.pid, 0);
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ESRCH';
  }
  // The pid is in use: by the owner, unless that process started at another time.
  if (o.started === null) return false;
  const now = processStart(o.pid);
  return now !== null && now !== o.started;
}
