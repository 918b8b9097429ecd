#!/usr/bin/env node
// The command-line entry: runs the built CLI (out/main/cli.js). `npm run build` makes it;
// `npm run cli -- …` rebuilds first when a source file changed.
//
// The CLI runs in a child process of this one whose stderr goes through a line filter
// (native-stderr.js: the GPU drivers write to fd 2 natively, where JavaScript cannot intercept
// them); stdin and stdout are inherited, stop signals forwarded, and the child's exit status or
// signal becomes this process's. MANIFOLD_EXPLORER_CHILD=1 marks that child (it runs the CLI
// itself); MANIFOLD_EXPLORER_RAW_STDERR=1 runs the CLI here, unfiltered, for debugging.
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

const cli = fileURLToPath(new URL('../out/main/cli.js', import.meta.url));
if (!existsSync(cli)) {
  process.stderr.write(
    'error: manifold-explorer is not built yet; run `npm run build` in the project folder\n',
  );
  process.exit(1);
}
const env = process.env;
if (env.MANIFOLD_EXPLORER_CHILD === '1' || env.MANIFOLD_EXPLORER_RAW_STDERR === '1') {
  const { run } = await import(pathToFileURL(cli).href);
  await run(process.argv.slice(2));
} else {
  const { superviseFiltered } = await import('./native-stderr.js');
  superviseFiltered(fileURLToPath(import.meta.url), process.argv.slice(2));
}
