/**
 * Fuzz: random combinations of the options table's flags (valid values, values out of range, wrong
 * types, unknown choices, widths that cannot fit) given to `train` on small data, each run in its
 * own process as a user would. Every run must end with exit status 0 (trained) or 2 with exactly one
 * `error:` line — never an `internal:` error, a signal, a hang, or a process past the memory
 * ceiling. Seeded, bounded in count; the flags and their bounds come from OPTIONS, so a new option
 * is fuzzed without editing this file.
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OPTIONS, type OptionSpec } from '../../../electron/shared/options/table';
import { FAMILIES } from '../../../electron/shared/families';
import { createRng, type Rng } from '../../../electron/engine/random';
import { startCli } from '../../helpers/cli';

/** CI's count and seed; OPTIONS_FUZZ_RUNS / OPTIONS_FUZZ_SEED explore further by hand. */
const RUNS = Number(process.env.OPTIONS_FUZZ_RUNS ?? 24);
const SEED = Number(process.env.OPTIONS_FUZZ_SEED ?? 20261204);
/** Peak resident memory allowed for one run's process tree (the data are 80 rows). */
const CEILING_MIB = 2048;

let tmp: string;
beforeAll(() => (tmp = mkdtempSync(join(tmpdir(), 'options-fuzz-'))));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const pick = <T>(rng: Rng, xs: readonly T[]): T => xs[rng.int(xs.length)]!;

/** A value inside the spec's bounds, kept small so a valid run trains in about a second. */
function validValue(spec: OptionSpec, rng: Rng): string | null {
  if (spec.path === 'train.epochs') return String(1 + rng.int(3));
  if (spec.path === 'train.restarts') return String(1 + rng.int(2));
  switch (spec.kind) {
    case 'switch':
      return null;
    case 'choice':
      return pick(
        rng,
        spec.choices!.filter((c) => !spec.meta.cliExclude?.includes(c)),
      );
    case 'list':
      return rng.int(4) === 0
        ? 'none'
        : Array.from({ length: 1 + rng.int(2) }, () => 2 + rng.int(14)).join(',');
    case 'composite':
      return `${pick(rng, ['gaussian', 'mask', 'salt-pepper'])}:${(0.05 + 0.4 * rng.next()).toFixed(2)}`;
    default: {
      const lo = spec.min ? spec.min.value + (spec.min.inclusive ? 0 : 1e-3) : 0;
      const hi = Math.min(spec.max ? spec.max.value - (spec.max.inclusive ? 0 : 1e-3) : lo + 10, lo + 10);
      const v = lo + (hi - lo) * rng.next();
      return spec.kind === 'integer'
        ? String(Math.max(Math.ceil(lo), Math.min(Math.floor(hi), Math.round(v))))
        : v.toPrecision(3);
    }
  }
}

/** A value the option must refuse (or, for widths, one that cannot fit in memory). */
function invalidValue(spec: OptionSpec, rng: Rng): string | null {
  const generic = ['abc', '', 'NaN', 'Infinity', '1e999', '-1', '0x10', '1,,2'];
  switch (spec.kind) {
    case 'switch':
      return null;
    case 'choice':
      return pick(rng, ['nope', 'RELU', '', '1']);
    case 'list':
      return pick(rng, ['0', '-4', '8,abc', '65536,65536', '1.5', ',', '100000000']);
    case 'composite':
      return pick(rng, ['gaussian', 'gaussian:-1', 'blur:0.1', ':0.2', 'mask:2', 'mask:abc']);
    default:
      if (spec.min && rng.int(2) === 0) return String(spec.min.value - (spec.kind === 'integer' ? 1 : 0.5));
      if (spec.max && rng.int(2) === 0) return String(spec.max.value * 10 + 1);
      return pick(rng, generic);
  }
}

function argsFor(rng: Rng, out: string): string[] {
  const family = pick(rng, FAMILIES);
  const data = pick(rng, [
    'sample:swiss-roll?rows=80',
    'sample:digits?rows=80',
    'sample:gaussian-mixture?rows=80',
  ]);
  const args = ['train', '--data', data, '--model', family, '--out', out, '--quiet', '--backend', 'cpu'];
  const flags = OPTIONS.filter((s) => s.meta.flag !== '--model' && s.meta.flag !== '--backend');
  let epochsGiven = false;
  for (let i = 0, n = 1 + rng.int(4); i < n; i++) {
    const spec = pick(rng, flags);
    const bad = rng.int(3) === 0;
    const v = bad ? invalidValue(spec, rng) : validValue(spec, rng);
    if (spec.path === 'train.epochs' && !bad) epochsGiven = true;
    if (spec.kind === 'switch')
      args.push(rng.int(2) ? spec.meta.flag : spec.meta.flag.replace(/^--/, '--no-'));
    else args.push(spec.meta.flag, v!);
  }
  if (!epochsGiven) args.push('--epochs', '2');
  return args;
}

/** Peak resident set (VmHWM) of a process and its descendants, sampled while it runs. */
function treePeakMiB(pid: number): number {
  const kids = (p: number): number[] => {
    try {
      return readdirSync(`/proc/${p}/task`).flatMap((t) =>
        readFileSync(`/proc/${p}/task/${t}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number),
      );
    } catch {
      return [];
    }
  };
  let total = 0;
  const stack = [pid];
  while (stack.length) {
    const p = stack.pop()!;
    try {
      const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${p}/status`, 'utf8'));
      if (m) total += Number(m[1]) / 1024;
    } catch {
      /* ended between the listing and the read */
    }
    stack.push(...kids(p));
  }
  return total;
}

test(`${RUNS} random option combinations: exit 0, or exit 2 with one error line; never internal`, async () => {
  const rng = createRng(SEED);
  const tally = { trained: 0, refused: 0 };
  for (let i = 0; i < RUNS; i++) {
    const args = argsFor(rng, join(tmp, `run-${i}`));
    const run = startCli(args, { timeoutMs: 60_000 });
    let peak = 0;
    const poll = setInterval(() => (peak = Math.max(peak, treePeakMiB(run.child.pid!))), 100);
    const r = await run.done;
    clearInterval(poll);
    const what = `train ${args.slice(1).join(' ')}\n${r.stderr}`;
    expect(r.signal, what).toBeNull();
    expect([0, 2], what).toContain(r.status);
    expect(r.stderr, what).not.toMatch(/internal/i);
    expect(peak, what).toBeLessThan(CEILING_MIB);
    if (process.env.OPTIONS_FUZZ_LOG)
      console.log(r.status, Math.round(peak), args.slice(9).join(' '), r.stderr.trim().split('\n').pop());
    const errors = r.stderr.split('\n').filter((l) => l.startsWith('error:'));
    if (r.status === 2) {
      expect(errors, what).toHaveLength(1);
      tally.refused++;
    } else {
      expect(errors, what).toHaveLength(0);
      expect(readdirSync(join(tmp, `run-${i}`)), what).toContain('run.json');
      tally.trained++;
    }
  }
  // Both outcomes are exercised (a fuzz that only ever refuses tests nothing of training).
  expect(tally.trained).toBeGreaterThan(2);
  expect(tally.refused).toBeGreaterThan(2);
  console.log(`options fuzz: ${tally.trained} trained, ${tally.refused} refused with one error line`);
}, 600_000);
