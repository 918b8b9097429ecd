// The command line's stderr, without the GPU stack's own chatter. Dawn (WebGPU) and Mesa write
// warnings with fprintf straight to file descriptor 2 — for every WebGPU run on Mesa's lavapipe,
//   Warning: maxDynamicUniformBuffersPerPipelineLayout artificially reduced from 1000000 to 16 …
//   Warning: maxDynamicStorageBuffersPerPipelineLayout artificially reduced from 1000000 to 16 …
// and, where a Vulkan device fails to open, a message with native frames such as
//   Warning: … \n    at operator() (…/dawn/native/vulkan/BackendVk.cpp:523)
// JavaScript cannot intercept a native write to its own fd 2, so bin/manifold-explorer.js runs
// the CLI as a child process with stderr piped through this line filter. Our own lines are never
// touched: they start `error:`, `warning:` (lower case), `serve:`, or are progress lines.
import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import { StringDecoder } from 'node:string_decoder';

/** Whole lines that are always the native stack's. */
const NOISE = [
  // Dawn's severity prefix (its WarningLog); Node's own warnings start "(node:PID) Warning:".
  /^Warning: /,
  // Mesa: its software Vulkan driver's banner, its loader and EGL.
  /^WARNING: lavapipe is not a conformant [Vv]ulkan implementation/,
  /^MESA(?:-LOADER)?: /,
  /^libEGL warning: /,
];
/** A native stack frame Dawn appends to a message: `    at operator() (…/BackendVk.cpp:523)`.
 * JavaScript frames end in `file.js:LINE:COLUMN`, with a column. */
const NATIVE_FRAME = /^\s+at .+ \([^()]*\.(?:cpp|cc|cxx|c|h|hpp|mm):\d+\)\s*$/;
/** Dawn's multi-line messages go on with ` - While …` context lines. */
const CONTEXT = /^ +- /;
/** Dawn's other severities: dropped only when native frames follow (a JS `Error: …` has none). */
const MAYBE_NATIVE = /^(?:Error|Info|Debug): /;

/** How long an undecided line (or a line without its newline yet) waits before it is written. */
const HOLD_MS = 200;

export function isNativeNoise(line) {
  return NOISE.some((re) => re.test(line)) || NATIVE_FRAME.test(line);
}

/**
 * A line filter: push() the child's bytes, end() at its end; `write` gets everything that is not
 * native noise, in order.
 */
export function createStderrFilter(write) {
  const decoder = new StringDecoder('utf8');
  let tail = ''; // a line without its newline yet
  let held = null; // an `Error: …` line waiting to see whether native frames follow
  let inNative = false; // inside a dropped native message: its context lines and frames go too
  let timer;

  const line = (l) => {
    if (held !== null) {
      const h = held;
      held = null;
      if (NATIVE_FRAME.test(l)) {
        inNative = true;
        return;
      }
      write(h + '\n');
    }
    if (isNativeNoise(l) || (inNative && CONTEXT.test(l))) {
      inNative = true;
      return;
    }
    inNative = false;
    if (MAYBE_NATIVE.test(l)) held = l;
    else write(l + '\n');
  };
  const flushHeld = () => {
    timer = undefined;
    if (held !== null) write(held + '\n');
    held = null;
    if (tail) write(tail);
    tail = '';
  };
  const consume = (text) => {
    clearTimeout(timer);
    const parts = (tail + text).split('\n');
    tail = parts.pop() ?? '';
    for (const p of parts) line(p);
    if (held !== null || tail) {
      timer = setTimeout(flushHeld, HOLD_MS);
      timer.unref();
    }
  };
  return {
    push: (chunk) => consume(decoder.write(chunk)),
    end: () => {
      consume(decoder.end());
      clearTimeout(timer);
      flushHeld();
    },
  };
}

/** Signals passed on to the child; the child's own end is then reproduced here. */
const FORWARDED = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/**
 * Run `script args` in a child Node with MANIFOLD_EXPLORER_CHILD=1, stdin and stdout inherited,
 * stderr filtered; forward stop signals; end with the child's exit status, or by its signal.
 * A terminal's Ctrl+C reaches both processes; the CLI takes the second copy as a no-op.
 */
export function superviseFiltered(script, args) {
  const child = spawn(
    process.execPath,
    [...process.execArgv.filter((a) => !a.startsWith('--inspect')), script, ...args],
    { stdio: ['inherit', 'inherit', 'pipe'], env: { ...process.env, MANIFOLD_EXPLORER_CHILD: '1' } },
  );
  const filter = createStderrFilter((s) => process.stderr.write(s));
  child.stderr.on('data', (b) => filter.push(b));
  const forward = (sig) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(sig);
  };
  for (const s of FORWARDED) process.on(s, forward);

  let done = false;
  let grace;
  const finish = (code, signal) => {
    if (done) return;
    done = true;
    clearTimeout(grace);
    filter.end();
    child.stderr.destroy();
    for (const s of FORWARDED) process.removeListener(s, forward);
    if (signal) {
      process.exitCode = 128 + (constants.signals[signal] ?? 0);
      // Without our listeners the signal's default action ends this process the same way.
      if (process.platform !== 'win32') process.kill(process.pid, signal);
    } else process.exitCode = code ?? 1;
  };
  child.on('error', (e) => {
    process.stderr.write(`error: internal: cannot start the command line (${e.message})\n`);
    finish(1, null);
  });
  // 'close' comes once stderr is drained; a grandchild that kept the pipe open must not hold us.
  child.on('exit', (code, signal) => {
    grace = setTimeout(() => finish(code, signal), 2000);
  });
  child.on('close', (code, signal) => finish(code, signal));
}
