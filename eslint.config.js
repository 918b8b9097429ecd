// Lint: typescript-eslint (type-aware) and eslint-plugin-svelte, plus the import boundaries that
// keep each runtime's code where it may run (see docs/architecture.md).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import { builtinModules } from 'node:module';
import svelteConfig from './svelte.config.js';

const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];

const boundary = (what, names, patterns = []) => ({
  'no-restricted-imports': [
    'error',
    {
      paths: names.map((name) => ({ name, message: `${what}` })),
      patterns: [{ group: ['node:*', ...patterns], message: `${what}` }],
    },
  ],
});

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'release/**', 'node_modules/**', 'tests/artifacts/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...svelte.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': 'off',
    },
  },
  {
    files: ['**/*.svelte', '**/*.svelte.ts'],
    languageOptions: {
      globals: { ...globals.browser },
      parserOptions: {
        projectService: false,
        extraFileExtensions: ['.svelte'],
        parser: tseslint.parser,
        svelteConfig,
      },
    },
  },
  {
    // The engine is isomorphic: it runs in Node workers, Electron's compute window and the browser.
    files: ['electron/engine/**/*.ts'],
    languageOptions: { globals: {} },
    rules: {
      ...boundary('electron/engine is isomorphic: no electron, Node or DOM imports', [
        'electron',
        ...nodeBuiltins,
      ]),
      'no-restricted-globals': [
        'error',
        ...[
          'window',
          'document',
          'navigator',
          'process',
          'Buffer',
          'require',
          '__dirname',
          'localStorage',
        ].map((name) => ({ name, message: 'electron/engine is isomorphic: no DOM or Node globals' })),
      ],
    },
  },
  {
    files: ['electron/shared/**/*.ts'],
    languageOptions: { globals: {} },
    rules: boundary('electron/shared is the API contract: types and schemas only', [
      'electron',
      ...nodeBuiltins,
    ]),
  },
  {
    files: ['renderer/**/*.ts', 'renderer/**/*.svelte'],
    languageOptions: { globals: { ...globals.browser } },
    rules: boundary(
      'the renderer is sandboxed: it talks only to window.explorer',
      ['electron', ...nodeBuiltins],
      ['**/electron/main/**', '**/electron/preload/**', '**/electron/hosts/**', '**/electron/data/**'],
    ),
  },
  {
    // The compute page is not the UI: it is an engine host in a hidden window (hosts/protocol.ts).
    files: ['renderer/src/compute/**/*.ts'],
    rules: boundary(
      'the compute page runs the engine host: no electron or Node imports',
      ['electron', ...nodeBuiltins],
      ['**/electron/main/**', '**/electron/preload/**', '**/electron/data/**', '**/electron/app/**'],
    ),
  },
  {
    files: ['electron/preload/**/*.ts'],
    rules: boundary('the sandboxed preload may import only electron and the contract', nodeBuiltins),
  },
);
