/**
 * The app's "Open codes…" (contract call openCodes, electron/app/codes.ts) through the gate every
 * call passes (dispatch): a good codes .npy replaces the run's codes that getRun hands the views;
 * a bad one is refused with a message naming the file and what was expected, and the run keeps
 * its codes; a run without a trained model is refused.
 */
import { createAppCore } from '../../../electron/app/core';
import { dispatch } from '../../../electron/app/dispatch';
import { encodeNpy } from '../../../electron/data/npy';
import { fakeRun } from '../../helpers/sessions';

async function withRun() {
  const core = createAppCore({
    host: 'browser',
    version: 't',
    hostFactory: () => {
      throw new Error('no engine in this test');
    },
  });
  const ds = await core.datasets.openSample('swiss-roll', { rows: 30, seed: 1 });
  const run = fakeRun(ds);
  core.jobs.adopt(run);
  const call = (name: string, input: unknown) => dispatch(core.handlers, { call: name, input }, () => {});
  return { core, run, call };
}

describe('openCodes', () => {
  test('replaces the codes the views get; the reconstructions stay', async () => {
    const { run, call, core } = await withRun();
    const codes = Float32Array.from({ length: 30 * 2 }, (_, i) => i / 7);
    const before = run.result!.reconstructions.slice();
    const r = await call('openCodes', {
      runId: run.runId,
      fileName: 'trained.npy',
      bytes: encodeNpy(codes, [30, 2]),
    });
    expect(r).toEqual({ ok: true, result: { rows: 30, k: 2 } });
    // What getRun hands the views (the fake run's summary is not a full contract result).
    const d = core.analysis.runDetail(run.runId) as {
      codes: { data: Float32Array; shape: number[] };
      reconstructions: { data: Float32Array };
    };
    expect(d.codes.shape).toEqual([30, 2]);
    expect(Array.from(d.codes.data)).toEqual(Array.from(codes));
    expect(Array.from(d.reconstructions.data)).toEqual(Array.from(before));
    await core.close();
  });

  test.each([
    [
      'the wrong k',
      () => encodeNpy(new Float32Array(30 * 3), [30, 3]),
      /trained\.npy.*shape \(30, 3\); expected float32 codes of shape \(30, 2\)/,
    ],
    [
      'a NaN',
      () =>
        encodeNpy(
          Float32Array.from({ length: 60 }, (_, i) => (i === 9 ? NaN : 0)),
          [30, 2],
        ),
      /trained\.npy, row 5, column 2: NaN/,
    ],
    ['not a .npy', () => new Uint8Array([1, 2, 3]), /trained\.npy.*not a NumPy \.npy file/],
  ])('refuses %s and keeps the run’s codes', async (_name, bytes, pattern) => {
    const { run, call, core } = await withRun();
    const before = run.result!.codes.slice();
    const r = await call('openCodes', { runId: run.runId, fileName: 'trained.npy', bytes: bytes() });
    expect(r.ok).toBe(false);
    expect((r as { error: { message: string } }).error.message).toMatch(pattern);
    expect(Array.from(run.result!.codes)).toEqual(Array.from(before));
    await core.close();
  });

  test('a run still training (no result) and an unknown run are refused', async () => {
    const { run, call, core } = await withRun();
    delete run.result;
    run.state = 'running';
    let r = await call('openCodes', {
      runId: run.runId,
      fileName: 'c.npy',
      bytes: encodeNpy(new Float32Array(60), [30, 2]),
    });
    expect((r as { error: { message: string } }).error.message).toMatch(/no trained model yet \(running\)/);
    r = await call('openCodes', { runId: 'run-nope', fileName: 'c.npy', bytes: new Uint8Array(0) });
    expect((r as { error: { message: string } }).error.message).toMatch(/no run run-nope/);
    await core.close();
  });
});
