/**
 * The messages in the window's corner: the last three, infos dismissed after four seconds, warnings
 * (what a loader doubted: a decimal comma, invalid UTF-8…) and errors kept until the user closes them.
 */
import { errorText } from './format';

export interface Notice {
  id: number;
  kind: 'info' | 'warning' | 'error';
  text: string;
}

export class Notices {
  list = $state<Notice[]>([]);
  private lastId = 0;

  notify(kind: Notice['kind'], text: string): void {
    const id = ++this.lastId;
    this.list = [...this.list.slice(-2), { id, kind, text }];
    if (kind === 'info') setTimeout(() => this.dismiss(id), 4000);
  }

  /** An error notice for a failed call, optionally prefixed ("Export failed: …"). */
  error(e: unknown, prefix = ''): void {
    this.notify('error', `${prefix}${errorText(e)}`);
  }

  dismiss(id: number): void {
    this.list = this.list.filter((n) => n.id !== id);
  }
}
