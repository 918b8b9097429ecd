/**
 * tfjs-node in a utility process, for users who installed @tensorflow/tfjs-node (CPU or CUDA): the
 * native addon stays out of the main process, and a crash there does not take the app down.
 */
import { utilityProcess } from 'electron';
import { join } from 'node:path';
import type { HostHandle } from '../../app/supervisor';
import type { FromHost } from '../../hosts/protocol';

export function utilityHost(outDir: string): HostHandle {
  const child = utilityProcess.fork(join(outDir, 'main/engine-utility.js'), [], {
    serviceName: 'Manifold Explorer engine',
  });
  let exitCb: ((reason: string) => void) | undefined;
  let gone = false;
  const exit = (reason: string) => {
    if (gone) return;
    gone = true;
    exitCb?.(reason);
  };
  child.on('exit', (code) => exit(`engine process exited with code ${code}`));
  return {
    post: (m) => child.postMessage(m),
    onMessage: (cb) => child.on('message', (m: FromHost) => cb(m)),
    onExit: (cb) => {
      exitCb = cb;
    },
    terminate: async () => {
      child.kill();
      exit('stopped');
    },
  };
}
