/**
 * `manifold-explorer`: the headless command line. Exit status: 0 on success, 2 for bad input (one
 * `error:` line on stderr naming the place and what was expected, no stack trace), 1 for an
 * internal failure (set MANIFOLD_EXPLORER_DEBUG=1 for the stack); interrupted by SIGINT, SIGTERM
 * or SIGHUP, one `error:` line and the process ends by that signal (128 + n: 130, 143, 129; see
 * interrupt.ts). bin/manifold-explorer.js runs this in a child process whose stderr it filters.
 */
import { buildProgram, CommanderError } from './program';
import { isUserError } from '../shared/errors';
import { fsUserError, isUserFsError } from './fs-errors';
import { interrupts, signalStatus } from './interrupt';
import { version } from '../../package.json';

export async function main(argv: string[], io = defaultIo()): Promise<number> {
  interrupts.install(io.err);
  const program = buildProgram(io, version);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return 0;
  } catch (e) {
    // Whatever a stop signal made fail (an aborted run, a closed stream) is that interrupt.
    const sig = interrupts.received;
    if (sig) {
      io.err(`error: ${interrupts.message()}\n`);
      return signalStatus(sig);
    }
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version') return 0;
      return 2; // Commander already wrote the `error:` line.
    }
    const user = isUserFsError(e) ? fsUserError(e) : e;
    if (isUserError(user)) {
      io.err(`error: ${oneLine(user.message)}\n`);
      return 2;
    }
    const message = e instanceof Error ? e.message : String(e);
    io.err(`error: internal: ${oneLine(message)}\n`);
    if (process.env.MANIFOLD_EXPLORER_DEBUG && e instanceof Error && e.stack) io.err(e.stack + '\n');
    return 1;
  } finally {
    interrupts.uninstall();
  }
}

/** The process's entry (bin/manifold-explorer.js): main(), then its status or its signal. */
export async function run(argv: string[]): Promise<void> {
  // Run under bin/manifold-explorer.js, whose end (it was killed) closes our stderr: carry on to
  // the cleanup rather than crash on EPIPE.
  if (process.env.MANIFOLD_EXPLORER_CHILD === '1') process.stderr.on('error', () => {});
  const status = await main(argv);
  process.exitCode = status;
  const sig = interrupts.received;
  if (sig && status === signalStatus(sig)) interrupts.reraise();
}

function oneLine(s: string): string {
  return s.replace(/\s*\n\s*/g, ' ').trim();
}

function defaultIo() {
  return {
    out: (s: string) => void process.stdout.write(s),
    err: (s: string) => void process.stderr.write(s),
  };
}
