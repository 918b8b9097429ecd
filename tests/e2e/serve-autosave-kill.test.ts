/**
 * Recovery as SPEC promises it ("a crash loses at most the last epoch"): the real `serve --autosave`
 * process trains, is killed with SIGKILL at a moment of the test's choosing, and the autosave it
 * leaves must hold a checkpoint within one epoch of the last epoch the client saw.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN, ROOT } from '../helpers/cli';
import { connectClient } from '../helpers/serve';
import type { RunningServer } from '../../electron/hosts/serve/server';
import { decodeSession } from '../../electron/app/session-file';

function startServe(autosave: string): Promise<{ child: ChildProcess; server: RunningServer }> {
  const child = spawn(
    process.execPath,
    [BIN, 'serve', '--port', '0', '--backend', 'wasm', '--autosave', autosave],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'ignore'] },
  );
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /http:\/\/([^/\s]+):(\d+)\/\?token=([0-9a-f]+)/.exec(out);
      if (m)
        resolve({
          child,
          server: {
            port: Number(m[2]),
            token: m[3]!,
            origin: `http://${m[1]}:${m[2]}`,
          } as unknown as RunningServer,
        });
    });
    child.once('exit', (code) => reject(new Error(`serve exited (${code}): ${out}`)));
  });
}

test('kill -9 mid-training: the autosave holds a checkpoint within one epoch of what the client saw', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'me-kill-'));
  const path = join(dir, 'autosave.mexsession');
  const { child, server } = await startServe(path);
  try {
    const c = await connectClient(server);
    // Epochs of ≈ 90 steps (tens of ms): a write (encode, write, fsync: a few ms) fits in one.
    const ds = await c.call('openSample', { name: 'swiss-roll', rows: 3000, seed: 1 });
    const started = await c.call('startTraining', {
      datasetId: ds.id,
      config: { family: 'undercomplete', latent: 2, hidden: [32] },
      train: { epochs: 1000, batchSize: 32, seed: 3, patience: 0 },
    });
    let seen = 0;
    await c.waitFor((e) => {
      if (e.event === 'progress' && e.payload.jobId === started.jobId && e.payload.history)
        seen = Math.max(seen, e.payload.history.epoch);
      return seen >= 15;
    }, 120_000);
    // Right after the client saw an epoch end: the worst moment (its checkpoint is in flight).
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    for (const e of c.events)
      if (e.event === 'progress' && e.payload.jobId === started.jobId && e.payload.history)
        seen = Math.max(seen, e.payload.history.epoch);
    c.close();
    const m = decodeSession(new Uint8Array(readFileSync(path)), path);
    const run = m.runs.find((r) => r.summary.runId === started.runId)!;
    const saved = run.checkpoint?.epoch ?? 0;
    console.log(
      `client saw epoch ${seen}; autosave checkpoint epoch ${saved}, history ${run.history.length}`,
    );
    expect(seen - saved).toBeLessThanOrEqual(1);
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
});
