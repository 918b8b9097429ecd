/**
 * The repository stands alone: every relative link in README.md and the Markdown under docs/ (and
 * the other tracked READMEs) names a file or folder that exists in the repository, and none leads
 * out of it (the team's ../shared is not part of the product). A `#anchor` must match a heading of
 * the page it points to. External links (http, mailto) are not followed.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { ROOT } from '../../helpers/cli';

const pages = execFileSync('git', ['ls-files', '*.md'], { cwd: ROOT, encoding: 'utf8' })
  .split('\n')
  .filter((p) => p && !p.startsWith('tests/fixtures/') && !p.includes('node_modules/'));

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens. */
const slug = (heading: string) =>
  heading
    .trim()
    .toLowerCase()
    .replace(/[`*_]/g, '')
    .replace(/[^\p{L}\p{N} -]/gu, '')
    .replace(/ /g, '-');

function anchors(file: string): Set<string> {
  const text = readFileSync(file, 'utf8').replace(/```[\s\S]*?```/g, '');
  return new Set([...text.matchAll(/^#{1,6} (.+)$/gm)].map((m) => slug(m[1]!)));
}

function links(text: string): string[] {
  const prose = text.replace(/```[\s\S]*?```/g, '').replace(/`[^`\n]*`/g, '');
  return [...prose.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1]!);
}

test('the pages to check include the README and docs/', () => {
  expect(pages).toContain('README.md');
  expect(pages.filter((p) => p.startsWith('docs/')).length).toBeGreaterThanOrEqual(5);
});

test.each(pages)('%s: every relative link resolves inside the repository', (page) => {
  const file = join(ROOT, page);
  const bad: string[] = [];
  for (const link of links(readFileSync(file, 'utf8'))) {
    if (/^[a-z]+:/i.test(link)) continue;
    const [path, anchor] = link.split('#') as [string, string | undefined];
    const target = path ? resolve(dirname(file), decodeURI(path)) : file;
    const inside = relative(ROOT, target);
    if (inside.startsWith('..')) bad.push(`${link}: outside the repository`);
    else if (!existsSync(target)) bad.push(`${link}: no such file`);
    else if (anchor && statSync(target).isFile() && target.endsWith('.md') && !anchors(target).has(anchor))
      bad.push(`${link}: no heading #${anchor} in ${inside}`);
  }
  expect(bad).toEqual([]);
});
