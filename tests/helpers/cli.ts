import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const BIN = fileURLToPath(new URL('../../bin/manifold-explorer.js', import.meta.url));

export interface CliResult {
  status: number | null;
  /** The signal that ended the process, when one did (status is then null). */
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  timeoutMs?: number;
  /** Its own process group, so a test can signal the group as a terminal's Ctrl+C does. */
  detached?: boolean;
  /** Run as this user (needs root): a test of permissions cannot use root, which may write anywhere. */
  uid?: number;
  gid?: number;
}

export interface RunningCli {
  child: ChildProcess;
  done: Promise<CliResult>;
  /** Resolves once stderr so far matches `re`. */
  stderrMatches(re: RegExp): Promise<void>;
}

/**
 * Start the built command line as a user would, without a shell: bin/manifold-explorer.js, which
 * runs the CLI in a child process and filters its stderr. The variables that would skip that
 * (MANIFOLD_EXPLORER_CHILD, MANIFOLD_EXPLORER_RAW_STDERR) are not passed on unless `env` sets them.
 */
export function startCli(args: string[], opts: CliOptions = {}): RunningCli {
  const env = { ...process.env };
  delete env.MANIFOLD_EXPLORER_CHILD;
  delete env.MANIFOLD_EXPLORER_RAW_STDERR;
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd: opts.cwd ?? ROOT,
    env: { ...env, ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: opts.detached ?? false,
    ...(opts.uid !== undefined ? { uid: opts.uid, gid: opts.gid ?? opts.uid } : {}),
  });
  let stdout = '';
  let stderr = '';
  const waiters: { re: RegExp; resolve: () => void }[] = [];
  child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on('data', (d: Buffer) => {
    stderr += d.toString();
    for (const w of waiters.filter((w) => w.re.test(stderr))) {
      waiters.splice(waiters.indexOf(w), 1);
      w.resolve();
    }
  });
  const done = new Promise<CliResult>((resolve, reject) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 120_000);
    child.on('error', reject);
    child.on('close', (status, signal) => {
      clearTimeout(timer);
      resolve({ status, signal, stdout, stderr });
    });
  });
  const stderrMatches = (re: RegExp) =>
    new Promise<void>((resolve, reject) => {
      if (re.test(stderr)) return resolve();
      waiters.push({ re, resolve });
      void done.then((r) => reject(new Error(`ended (${r.status ?? r.signal}) before ${re}: ${r.stderr}`)));
    });
  return { child, done, stderrMatches };
}

/** Run the built command line to its end. */
export function runCli(args: string[], opts: CliOptions = {}): Promise<CliResult> {
  return startCli(args, opts).done;
}
