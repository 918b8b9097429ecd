import { defineConfig } from 'vitest/config';
import { svelte } from '@sveltejs/vite-plugin-svelte';

// Unit and integration tests run in Node. Browser tests (tests/e2e) drive Debian's Chromium through
// playwright-core and run in their own project so `npm test` can run them after the build.
export default defineConfig({
  // The renderer's state classes (*.svelte.ts) use runes: compile them as the app's build does.
  plugins: [svelte({ configFile: false, compilerOptions: { runes: true } })],
  test: {
    globals: true,
    environment: 'node',
    testTimeout: 60_000,
    // tfjs-core's gradients exist only as ES modules: run those deep files through Vite (see
    // electron/engine/tf.ts); tfjs-core's own entry and the backends stay external CommonJS.
    server: { deps: { inline: [/@tensorflow\/tfjs-core\/dist\/(?!tf-core)/] } },
    globalSetup: ['tests/helpers/global-setup.ts'],
    hookTimeout: 120_000,
    projects: [
      {
        extends: true,
        test: { name: 'unit', include: ['tests/unit/**/*.test.ts', 'electron/**/*.test.ts'] },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: ['tests/e2e/**/*.test.ts'],
          fileParallelism: false,
          testTimeout: 180_000,
        },
      },
    ],
  },
});
