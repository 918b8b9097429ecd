/** docs/options.md is generated from the options table: it must match what the table says now. */
import { readFileSync } from 'node:fs';
import { DOC_PATH, optionsReference } from '../../../scripts/options-doc';

test('docs/options.md is up to date (run `npm run docs` after changing an option)', () => {
  expect(readFileSync(DOC_PATH, 'utf8')).toBe(optionsReference());
});
