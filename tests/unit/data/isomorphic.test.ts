import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { ROOT } from '../../helpers/cli';

/**
 * The sample generators and the format-independent parts of the loaders run in the browser mode
 * and the compute window too: neither they nor anything they import may use Node, Electron or
 * native modules.
 */
const ISOMORPHIC = [
  'electron/data/samples/generate.ts',
  'electron/data/samples/manifolds.ts',
  'electron/data/samples/density.ts',
  'electron/data/samples/registry.ts',
  'electron/data/sha256.ts',
  'electron/data/decode.ts',
  'electron/data/layout.ts',
  'electron/data/npy-header.ts',
  'electron/data/csv-tokenizer.ts',
  'electron/data/csv-cells.ts',
  'electron/data/label-values.ts',
  'electron/data/validate.ts',
];

function imports(file: string): string[] {
  const src = readFileSync(file, 'utf8');
  return [...src.matchAll(/^\s*(?:import|export)\s[^;]*?from\s+'([^']+)'/gm)].map((m) => m[1]!);
}

test.each(ISOMORPHIC)('%s imports nothing from Node, Electron or native modules (transitively)', (entry) => {
  const seen = new Set<string>();
  const walk = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const spec of imports(file)) {
      expect(spec, `${file} imports ${spec}`).not.toMatch(
        /^(node:|electron$|sharp$|fs$|path$|zlib$|crypto$)/,
      );
      if (spec.startsWith('.')) walk(resolve(dirname(file), `${spec}.ts`));
      else expect(['zod'], `${file} imports the package ${spec}`).toContain(spec);
    }
  };
  walk(join(ROOT, entry));
  expect(seen.size).toBeGreaterThan(0);
});
