/** A HostHandle over a Node worker thread running out/main/engine-worker.js. */
import { Worker } from 'node:worker_threads';
import type { HostHandle } from '../../app/supervisor';
import type { FromHost } from '../protocol';

export function nodeWorkerHost(workerPath: string): HostHandle {
  const worker = new Worker(workerPath, { stdout: false, stderr: false });
  let exitCb: ((reason: string) => void) | undefined;
  let gone = false;
  let terminating = false;
  const exit = (reason: string) => {
    if (gone) return;
    gone = true;
    exitCb?.(reason);
  };
  worker.on('error', (e) => exit(`crashed: ${e.message}`));
  worker.on('exit', (code) => exit(terminating ? 'stopped' : `exited with code ${code}`));
  return {
    post: (m, transfer) => worker.postMessage(m, transfer ?? []),
    onMessage: (cb) => worker.on('message', (m: FromHost) => cb(m)),
    onExit: (cb) => {
      exitCb = cb;
    },
    terminate: async () => {
      terminating = true;
      await worker.terminate();
    },
  };
}
