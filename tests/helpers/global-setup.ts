import { execFileSync } from 'node:child_process';

/** Tests run the built command line and renderer: rebuild when a source changed. */
export default function setup(): void {
  execFileSync(process.execPath, ['scripts/ensure-built.js'], { stdio: 'inherit' });
}
