#!/usr/bin/env node
// The command-line entry: runs the built CLI (out/main/cli.js). `npm run build` makes it;
// `npm run cli -- …` rebuilds first when a source file changed.
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

const cli = fileURLToPath(new URL('../out/main/cli.js', import.meta.url));
if (!existsSync(cli)) {
  process.stderr.write(
    'error: manifold-explorer is not built yet; run `npm run build` in the project folder\n',
  );
  process.exit(1);
}
const { main } = await import(pathToFileURL(cli).href);
process.exitCode = await main(process.argv.slice(2));
