/**
 * The window's own events, for App.svelte: keyboard shortcuts (the table is state/shortcuts.ts)
 * and files dragged onto the window. Kept out of the component so the shell is layout only.
 */
import type { Explorer } from '../state/explorer.svelte';
import { actionOf } from '../state/shortcuts';

/** The key handler: a shortcut's action, except the ones the desktop menu owns. */
export function shortcutHandler(app: Explorer | null): (e: KeyboardEvent) => void {
  return (e) => {
    if (!app) return;
    const action = actionOf(e);
    if (!action) return;
    // The desktop menu owns Ctrl+S and Ctrl+O (its accelerators send onCommand).
    if ((action === 'save-session' || action === 'open-session') && app.host === 'electron') return;
    e.preventDefault();
    void app.act(action);
  };
}

export interface DropHandlers {
  ondragenter(e: DragEvent): void;
  ondragover(e: DragEvent): void;
  ondragleave(): void;
  ondrop(e: DragEvent): void;
}

/**
 * Drag and drop of files onto the window. The overlay shows while files are over the window:
 * dragenter and dragleave fire for every element crossed, so a depth count says when they left.
 */
export function dropHandlers(app: Explorer | null): DropHandlers {
  let depth = 0;
  const hasFiles = (e: DragEvent): boolean => !!e.dataTransfer && [...e.dataTransfer.types].includes('Files');
  return {
    ondragenter(e) {
      if (!app || !hasFiles(e)) return;
      e.preventDefault();
      depth++;
      app.ui.dragging = true;
    },
    ondragover(e) {
      if (!app || !hasFiles(e)) return;
      e.preventDefault();
      if (e.dataTransfer) e.dataTransfer.dropEffect = 'copy';
    },
    ondragleave() {
      if (!app) return;
      depth = Math.max(0, depth - 1);
      if (depth === 0) app.ui.dragging = false;
    },
    ondrop(e) {
      if (!app) return;
      e.preventDefault();
      depth = 0;
      app.ui.dragging = false;
      const files = [...(e.dataTransfer?.files ?? [])];
      if (files.length) void app.openFiles(files);
    },
  };
}
