/**
 * SIGINT (Ctrl+C), SIGTERM and SIGHUP for the command line. The rule (docs/cli.md, `--help`): an
 * interrupted command removes what it had begun to write, prints one `error:` line saying what was
 * interrupted, and then ends by that same signal, so a shell reports 128 + n (130 for SIGINT, 143
 * for SIGTERM, 129 for SIGHUP). Ending by the signal, rather than with a status of our own, is what
 * makes Ctrl+C stop a shell loop or `make` around the command: bash carries on after a child that
 * exited, whatever its status, and stops only when the child was killed by SIGINT.
 *
 * What happens depends on what the command is doing when the signal comes:
 *  - by default (loading data, choosing a backend, writing into the temporary folder) the
 *    registered cleanups run at once, synchronously, the line is printed and the process ends;
 *  - inside `abortable(what, fn)` (training) `signal` is aborted and fn stops by itself, before
 *    its next step; the command then throws an InterruptedError and main() reports it;
 *  - inside `held(fn)` (claiming --out) signals wait until fn is done, then act as by default;
 *  - inside `finishing(fn)` (moving finished files into --out: milliseconds) signals wait until
 *    fn is done, so a folder is never left half-replaced; after it nothing is left to interrupt,
 *    and the command ends normally.
 * Further signals while the first is handled change nothing: a terminal's Ctrl+C reaches both
 * bin/manifold-explorer.js, which forwards it, and this process.
 */
import { constants } from 'node:os';

export const STOP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
export type StopSignal = (typeof STOP_SIGNALS)[number];

/** 128 + the signal's number: the status a shell shows for a process that the signal ended. */
export function signalStatus(sig: NodeJS.Signals): number {
  return 128 + (constants.signals[sig] ?? 0);
}

export class InterruptedError extends Error {
  override readonly name = 'InterruptedError';
}

type Mode = 'exit' | 'abort' | 'defer';

class Interrupts {
  private controller = new AbortController();
  private sig: StopSignal | null = null;
  private mode: Mode = 'exit';
  private what = 'starting';
  private cleanups = new Set<() => void>();
  private err: (s: string) => void = () => {};
  private installed = false;
  private parentWatch: ReturnType<typeof setInterval> | undefined;
  private readonly onSignal = (s: NodeJS.Signals) => this.received_(s as StopSignal);
  private readonly onExit = () => this.runCleanups();

  /** Listen for the stop signals; `err` writes the `error:` line. */
  install(err: (s: string) => void): void {
    this.controller = new AbortController();
    this.sig = null;
    this.mode = 'exit';
    this.what = 'starting';
    this.err = err;
    if (this.installed) return;
    this.installed = true;
    for (const s of STOP_SIGNALS) process.on(s, this.onSignal);
    // Last resort for a crash: an uncaught exception still removes the temporary folders.
    process.on('exit', this.onExit);
    // Run by bin/manifold-explorer.js: if it is killed (SIGKILL) this process would train on with
    // nobody to read its stderr; treat its parent's end like a hang-up.
    if (process.env.MANIFOLD_EXPLORER_CHILD === '1') {
      const ppid = process.ppid;
      this.parentWatch = setInterval(() => {
        if (process.ppid !== ppid) this.received_('SIGHUP');
      }, 1000);
      this.parentWatch.unref();
    }
  }

  uninstall(): void {
    if (!this.installed) return;
    this.installed = false;
    for (const s of STOP_SIGNALS) process.removeListener(s, this.onSignal);
    process.removeListener('exit', this.onExit);
    clearInterval(this.parentWatch);
  }

  /** Aborted at the first stop signal. */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  get received(): StopSignal | null {
    return this.sig;
  }

  /** What the command is doing now: the message names it if a signal comes. */
  doing(what: string): void {
    this.what = what;
  }

  /**
   * Run fn with signals turned into an abort of `signal`. Unless `quiet`, a signal during fn
   * makes this throw an InterruptedError once fn has stopped.
   */
  async abortable<T>(what: string, fn: (signal: AbortSignal) => Promise<T>, quiet = false): Promise<T> {
    const prev = this.mode;
    this.mode = 'abort';
    this.what = what;
    try {
      const r = await fn(this.signal);
      if (this.sig && !quiet) throw new InterruptedError(this.message());
      return r;
    } finally {
      this.mode = prev;
    }
  }

  /** Run fn with signals held until it is done (a step that must not stop halfway). */
  async held<T>(fn: () => Promise<T>): Promise<T> {
    const prev = this.mode;
    this.mode = 'defer';
    try {
      return await fn();
    } finally {
      this.mode = prev;
      if (this.sig && prev === 'exit') this.exitNow();
    }
  }

  /** Run the command's last step with signals held; from then on they are ignored. */
  async finishing<T>(fn: () => Promise<T>): Promise<T> {
    this.mode = 'defer';
    try {
      return await fn();
    } catch (e) {
      this.mode = 'exit';
      throw e;
    }
  }

  /** A synchronous cleanup run on an interrupt or at exit; returns its removal. */
  onCleanup(fn: () => void): () => void {
    this.cleanups.add(fn);
    return () => void this.cleanups.delete(fn);
  }

  /** The `error:` line's text (without `error: `). */
  message(): string {
    return `interrupted by ${this.sig ?? 'a signal'} while ${this.what}; nothing was written`;
  }

  /** End the process by the signal received (its status 128 + n where signals cannot be raised). */
  reraise(): void {
    const sig = this.sig;
    this.uninstall();
    if (!sig) return;
    process.exitCode = signalStatus(sig);
    // With our listeners gone the signal's default action applies: the process ends by it.
    if (process.platform === 'win32') process.exit();
    process.kill(process.pid, sig);
  }

  private runCleanups(): void {
    for (const c of [...this.cleanups]) {
      this.cleanups.delete(c);
      try {
        c();
      } catch {
        // A cleanup that cannot finish must not stop the others; the next run's stale sweep
        // (out-dir.ts) removes what is left.
      }
    }
  }

  private received_(s: StopSignal): void {
    if (this.sig) return;
    this.sig = s;
    this.controller.abort();
    if (this.mode === 'exit') this.exitNow();
  }

  private exitNow(): void {
    this.runCleanups();
    try {
      this.err(`error: ${this.message()}\n`);
    } catch {
      // stderr may be gone (its reader was killed); end all the same.
    }
    this.reraise();
  }
}

/** The one per process (signals are per process). */
export const interrupts = new Interrupts();
