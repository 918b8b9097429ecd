import { Command, CommanderError } from 'commander';
import { registerDatasets } from './commands/datasets';
import { registerBench } from './commands/bench';
import { registerTrain } from './commands/train';
import { registerServe } from './commands/serve';
import { registerAnalyze } from './commands/analyze';
import { registerFidelity } from './commands/fidelity';
import { registerExport } from './commands/export';
import { registerImport } from './commands/import';

export interface CliIo {
  out: (s: string) => void;
  err: (s: string) => void;
}

/** The contract every command keeps (docs/cli.md, "Output, exit status and signals"). */
const EXIT_STATUS = `
Exit status:
  0    done
  1    an internal failure (a bug; MANIFOLD_EXPLORER_DEBUG=1 prints its stack)
  2    bad input or a refusal: one \`error:\` line on stderr names the file or option and what was
       expected; nothing already written is lost
  130  interrupted by SIGINT (Ctrl+C), 143 by SIGTERM, 129 by SIGHUP: one \`error:\` line says
       what was interrupted, what the command had begun to write is removed, and the process ends
       by that signal (so a shell loop stops too); \`serve\` stops and exits 0
Environment:
  MANIFOLD_EXPLORER_RAW_STDERR=1  keep the GPU drivers' own messages (Dawn, Mesa) on stderr
`;

/** The command tree. Each command lives in its own file under commands/. */
export function buildProgram(io: CliIo, version: string): Command {
  const program = new Command('manifold-explorer')
    .description('Train autoencoders and analyse the manifolds they learn, headless.')
    .version(version, '-V, --version')
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({ writeOut: io.out, writeErr: io.err, outputError: (s, write) => write(oneLine(s)) });
  program.addHelpText('after', EXIT_STATUS);
  registerDatasets(program, io.out, io.err);
  registerTrain(program, io, version);
  registerBench(program, io.out, io.err);
  registerAnalyze(program, io);
  registerExport(program, io, version);
  registerImport(program, io);
  registerServe(program, io, version);
  registerFidelity(program, io);
  // Sub-commands inherit the output, the exit override and the error format.
  for (const cmd of program.commands) cmd.exitOverride().configureOutput(program.configureOutput());
  return program;
}

/** Commander errors are already worded `error: …`; keep them to one line. */
function oneLine(s: string): string {
  return s.replace(/\s*\n\s*/g, ' ').trim() + '\n';
}

export { CommanderError };
