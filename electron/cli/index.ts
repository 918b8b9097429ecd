/**
 * `manifold-explorer`: the headless command line. Exit status: 0 on success, 2 for bad input (one
 * `error:` line on stderr naming the place and what was expected, no stack trace), 1 for an
 * internal failure (set MANIFOLD_EXPLORER_DEBUG=1 for the stack).
 */
import { buildProgram, CommanderError } from './program';
import { isUserError } from '../shared/errors';
import { version } from '../../package.json';

export async function main(argv: string[], io = defaultIo()): Promise<number> {
  const program = buildProgram(io, version);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return 0;
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version') return 0;
      return 2; // Commander already wrote the `error:` line.
    }
    if (isUserError(e)) {
      io.err(`error: ${oneLine(e.message)}\n`);
      return 2;
    }
    const message = e instanceof Error ? e.message : String(e);
    io.err(`error: internal: ${oneLine(message)}\n`);
    if (process.env.MANIFOLD_EXPLORER_DEBUG && e instanceof Error && e.stack) io.err(e.stack + '\n');
    return 1;
  }
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
