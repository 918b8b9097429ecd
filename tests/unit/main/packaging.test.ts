import { createRequire } from 'node:module';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../../helpers/cli';

const require = createRequire(import.meta.url);
const yaml = require('js-yaml') as { load(s: string): Record<string, unknown> };
const { validateConfiguration } = require('app-builder-lib/out/util/config/config.js') as {
  validateConfiguration(c: unknown, logger: unknown): Promise<void>;
};
const { DebugLogger } = require('builder-util/out/DebugLogger.js') as {
  DebugLogger: new (on: boolean) => unknown;
};

const config = yaml.load(readFileSync(join(ROOT, 'native-config/electron-builder.yml'), 'utf8'));

describe('packaging (electron-builder config in native-config/)', () => {
  test('passes electron-builder’s own schema', async () => {
    await expect(validateConfiguration(config, new DebugLogger(false))).resolves.toBeUndefined();
  });

  test('packs the build output, whose entry points exist after `npm run build`', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { main: string };
    expect(config.files).toContain('out/**');
    for (const p of [pkg.main, 'out/preload/index.cjs', 'out/renderer/index.html', 'out/main/cli.js']) {
      expect(existsSync(join(ROOT, p)), p).toBe(true);
    }
  });

  test('unpacks native modules from the asar and sets the security fuses', () => {
    const unpack = config.asarUnpack as string[];
    for (const m of ['@tensorflow/tfjs-node', 'sharp', '@img']) {
      expect(unpack.some((p) => p.includes(`node_modules/${m}/`))).toBe(true);
    }
    expect(config.electronFuses).toMatchObject({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      onlyLoadAppFromAsar: true,
    });
  });

  test('lists the backend preference for every engine host', () => {
    const prefs = JSON.parse(readFileSync(join(ROOT, 'native-config/backends.json'), 'utf8')) as Record<
      string,
      unknown
    >;
    for (const host of ['node-worker', 'utility-process', 'compute-window'])
      expect(Array.isArray(prefs[host])).toBe(true);
  });
});
