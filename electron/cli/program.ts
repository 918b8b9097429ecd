import { Command, CommanderError } from 'commander';
import { registerDatasets } from './commands/datasets';
import { registerBench } from './commands/bench';
import { registerTrain } from './commands/train';
import { registerServe } from './commands/serve';
import { registerAnalyze } from './commands/analyze';

export interface CliIo {
  out: (s: string) => void;
  err: (s: string) => void;
}

/** The command tree. Each command lives in its own file under commands/. */
export function buildProgram(io: CliIo, version: string): Command {
  const program = new Command('manifold-explorer')
    .description('Train autoencoders and analyse the manifolds they learn, headless.')
    .version(version, '-V, --version')
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({ writeOut: io.out, writeErr: io.err, outputError: (s, write) => write(oneLine(s)) });
  registerDatasets(program, io.out, io.err);
  registerTrain(program, io, version);
  registerBench(program, io.out, io.err);
  registerAnalyze(program, io);
  registerServe(program, io, version);
  // Sub-commands inherit the output, the exit override and the error format.
  for (const cmd of program.commands) cmd.exitOverride().configureOutput(program.configureOutput());
  return program;
}

/** Commander errors are already worded `error: …`; keep them to one line. */
function oneLine(s: string): string {
  return s.replace(/\s*\n\s*/g, ' ').trim() + '\n';
}

export { CommanderError };
