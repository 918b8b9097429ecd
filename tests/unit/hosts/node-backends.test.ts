import * as tf from '@tensorflow/tfjs-core';
import { setupNodeBackend } from '../../../electron/hosts/node/backends';

// Each Node backend trains the probe network; `auto` calibrates and says why it chose.
describe('Node backends', () => {
  test('cpu and wasm activate on request', async () => {
    for (const name of ['cpu', 'wasm'] as const) {
      const choice = await setupNodeBackend(name);
      expect(choice).toMatchObject({ backend: name, requested: name, reason: 'requested' });
      expect(tf.getBackend()).toBe(name);
      expect(tf.matMul(tf.tensor2d([[1, 2]]), tf.tensor2d([[3], [4]])).dataSync()[0]).toBe(11);
    }
  });

  test('webgpu runs through Dawn (Mesa lavapipe on CI)', async () => {
    const choice = await setupNodeBackend('webgpu');
    expect(choice.backend).toBe('webgpu');
    expect(choice.device).toBeTruthy();
    const y = tf.matMul(tf.tensor2d([[1, 2]]), tf.tensor2d([[3], [4]]));
    expect((await y.data())[0]).toBe(11);
  });

  test('tensorflow reports why it is unavailable when tfjs-node is missing', async () => {
    let installed = true;
    try {
      await import(/* @vite-ignore */ '@tensorflow/tfjs-node' as string);
    } catch {
      installed = false;
    }
    if (installed)
      await expect(setupNodeBackend('tensorflow')).resolves.toMatchObject({ backend: 'tensorflow' });
    else await expect(setupNodeBackend('tensorflow')).rejects.toThrow(/tfjs-node is not installed/);
  });

  test('auto calibrates the candidates and records each timing', async () => {
    const choice = await setupNodeBackend('auto', { dims: 64 });
    expect(choice.requested).toBe('auto');
    const timed = choice.calibration!.filter((c) => c.msPerStep !== undefined);
    expect(timed.map((c) => c.backend)).toEqual(expect.arrayContaining(['wasm', 'cpu']));
    const fastest = timed.reduce((a, b) => (a.msPerStep! <= b.msPerStep! ? a : b));
    expect(choice.backend).toBe(fastest.backend);
    expect(tf.getBackend()).toBe(choice.backend);
    expect(choice.reason).toMatch(/^auto: fastest of/);
  });
});
