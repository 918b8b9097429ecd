/**
 * `manifold-explorer serve` refusals, through the built CLI: a port in use, a host that does not
 * resolve or is not this machine's, an --autosave file that is not a session. Each is exit status
 * 2 and one `error:` line, and nothing is overwritten. SIGTERM stops a serving process with 0.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli, startCli } from '../../helpers/cli';
import { SESSION_MAGIC } from '../../../electron/app/session-file';

let dir: string;
let busy: Server;
let busyPort: number;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'me-serve-'));
  busy = createServer();
  await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
  busyPort = (busy.address() as { port: number }).port;
});
afterAll(() => {
  busy.close();
  rmSync(dir, { recursive: true, force: true });
});

const refusals: [string, string[], RegExp][] = [
  [
    'a port in use',
    ['--port', 'BUSY'],
    /^error: 127\.0\.0\.1:\d+: the port is already in use \(EADDRINUSE\); choose another port/,
  ],
  [
    'a host name that does not resolve',
    ['--host', 'no-such-host.invalid', '--port', '0'],
    /^error: no-such-host\.invalid: the host name cannot be resolved \((ENOTFOUND|EAI_AGAIN)\)/,
  ],
  [
    'an address that is not this machine’s',
    ['--host', '192.0.2.1', '--port', '0'],
    /^error: 192\.0\.2\.1: not an address of this machine \(EADDRNOTAVAIL\)/,
  ],
];

test.for(refusals)('%s: exit 2, one error: line', async ([, args, message]) => {
  // A serve that did not refuse would serve on: end it before the test's own timeout.
  const r = await runCli(['serve', ...args.map((a) => (a === 'BUSY' ? String(busyPort) : a))], {
    timeoutMs: 20_000,
  });
  expect(r.status, r.stderr).toBe(2);
  expect(r.stdout).toBe('');
  expect(r.stderr.trim().split('\n')).toEqual([expect.stringMatching(message)]);
});

test('--autosave refuses an existing file that is not a session, and leaves it as it was', async () => {
  const notes = join(dir, 'notes.txt');
  writeFileSync(notes, 'my notes\n');
  const r = await runCli(['serve', '--port', '0', '--autosave', notes], { timeoutMs: 20_000 });
  expect(r.status).toBe(2);
  expect(r.stderr.trim().split('\n')).toEqual([
    expect.stringMatching(/^error: .*notes\.txt: --autosave: exists and is not a Manifold Explorer session/),
  ]);
  expect(readFileSync(notes, 'utf8')).toBe('my notes\n');
});

test('--autosave takes an existing session; SIGTERM stops serving with exit 0', async () => {
  const session = join(dir, 'old.mexsession');
  writeFileSync(session, Buffer.concat([Buffer.from(SESSION_MAGIC, 'latin1'), Buffer.alloc(16)]));
  const s = startCli(['serve', '--port', '0', '--backend', 'cpu', '--autosave', session]);
  const url = await new Promise<string>((resolve, reject) => {
    s.child.stdout!.on('data', (d: Buffer) => {
      const m = /http:\/\/\S+/.exec(d.toString());
      if (m) resolve(m[0]);
    });
    void s.done.then((r) => reject(new Error(r.stderr)));
  });
  expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=/);
  s.child.kill('SIGTERM');
  const r = await s.done;
  expect(r.status, r.stderr).toBe(0);
  expect(r.stderr).toBe('');
});
