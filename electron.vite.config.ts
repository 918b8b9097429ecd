// One build for every runtime: the Electron main process (plus the command line and the Node
// engine worker, which share its Node target), the sandboxed preload (CommonJS: a sandboxed
// preload cannot be an ES module) and the Svelte renderer.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';

// Runtime dependencies stay in node_modules, except tfjs-core's ES-module-only gradient files,
// which are bundled (see electron/engine/tf.ts).
const deps = Object.keys(
  (JSON.parse(readFileSync('package.json', 'utf8')) as { dependencies: object }).dependencies,
);
const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
const external = [
  /^electron$/,
  /^node:/,
  new RegExp(`^(?!@tensorflow/tfjs-core/dist/(?!tf-core))(${deps.map(escape).join('|')})(/.*)?$`),
];

export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      externalizeDeps: false,
      rolldownOptions: {
        input: {
          index: resolve('electron/main/index.ts'),
          cli: resolve('electron/cli/index.ts'),
          'engine-worker': resolve('electron/hosts/node-worker/worker.ts'),
          'engine-utility': resolve('electron/hosts/utility/entry.ts'),
        },
        external,
      },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      // A sandboxed preload can require only electron: every entry must be one self-contained file.
      isolatedEntries: true,
      externalizeDeps: false,
      rolldownOptions: {
        input: {
          index: resolve('electron/preload/index.ts'),
          compute: resolve('electron/preload/compute.ts'),
        },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: 'renderer',
    base: './',
    plugins: [svelte({ configFile: resolve('svelte.config.js') })],
    build: {
      outDir: 'out/renderer',
      rolldownOptions: {
        input: {
          index: resolve('renderer/index.html'),
          compute: resolve('renderer/compute.html'),
          gallery: resolve('renderer/gallery.html'),
        },
      },
    },
  },
});
