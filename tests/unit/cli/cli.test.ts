import { runCli } from '../../helpers/cli';
import { SAMPLES } from '../../../electron/data/samples/registry';

describe('manifold-explorer (built command line)', () => {
  test('datasets lists every built-in sample as sample:NAME', async () => {
    const r = await runCli(['datasets']);
    expect(r.status).toBe(0);
    for (const s of SAMPLES) expect(r.stdout).toContain(`sample:${s.name}`);
    expect(r.stderr).toBe('');
  });

  test('datasets --json is machine-readable', async () => {
    const r = await runCli(['datasets', '--json']);
    expect(r.status).toBe(0);
    const parsed = JSON.parse(r.stdout) as { name: string; dims: number }[];
    expect(parsed.map((s) => s.name)).toEqual(SAMPLES.map((s) => s.name));
    expect(parsed.find((s) => s.name === 'swiss-roll')?.dims).toBe(3);
  });

  test('an unknown command exits 2 with one error: line', async () => {
    const r = await runCli(['frobnicate']);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^error: unknown command 'frobnicate'/);
  });

  test('an unknown option exits 2 with one error: line', async () => {
    const r = await runCli(['datasets', '--colour']);
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^error: unknown option '--colour'/)]);
  });

  test('--help works for the program and every command', async () => {
    const top = await runCli(['--help']);
    expect(top.status).toBe(0);
    const commands = [...top.stdout.matchAll(/^ {2}([a-z]+) /gm)]
      .map((m) => m[1]!)
      .filter((c) => c !== 'help');
    expect(commands).toContain('datasets');
    for (const c of commands) {
      const r = await runCli([c, '--help']);
      expect(r.status, c).toBe(0);
      expect(r.stdout).toMatch(new RegExp(`^Usage: manifold-explorer ${c}`));
    }
  });

  test('no command prints the usage and exits 2', async () => {
    const r = await runCli([]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('Usage: manifold-explorer');
  });
});
