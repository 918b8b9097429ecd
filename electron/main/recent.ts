/**
 * Recently opened files (datasets and sessions), most recent first, kept in a small JSON file in the
 * user-data folder and written atomically. Missing or corrupt files start an empty list.
 */
import { readFile } from 'node:fs/promises';
import { writeFileAtomic } from '../app/atomic';

export interface RecentEntry {
  path: string;
  kind: 'dataset' | 'session';
  openedAt: string;
}

export class RecentFiles {
  private entries: RecentEntry[] = [];

  /** Called after the list changed (the menu rebuilds). */
  onChange: () => void = () => {};

  constructor(
    private readonly file: string,
    private readonly max = 10,
  ) {}

  async load(): Promise<RecentEntry[]> {
    try {
      const parsed = JSON.parse(await readFile(this.file, 'utf8')) as unknown;
      this.entries = Array.isArray(parsed)
        ? parsed.filter(
            (e): e is RecentEntry =>
              !!e &&
              typeof e === 'object' &&
              typeof e.path === 'string' &&
              (e.kind === 'dataset' || e.kind === 'session') &&
              typeof e.openedAt === 'string',
          )
        : [];
    } catch {
      this.entries = [];
    }
    return this.list();
  }

  list(): RecentEntry[] {
    return this.entries.map((e) => ({ ...e }));
  }

  async add(path: string, kind: RecentEntry['kind'], now = new Date()): Promise<RecentEntry[]> {
    this.entries = [
      { path, kind, openedAt: now.toISOString() },
      ...this.entries.filter((e) => e.path !== path),
    ].slice(0, this.max);
    await writeFileAtomic(this.file, JSON.stringify(this.entries, null, 2));
    this.onChange();
    return this.list();
  }

  async clear(): Promise<void> {
    this.entries = [];
    await writeFileAtomic(this.file, '[]');
    this.onChange();
  }
}
