/**
 * Keyboard shortcuts for the common actions: one table, read by the key handler and by the help
 * overlay (`?`), so what the overlay says is what the keys do. Single keys are ignored while the
 * focus is in a text field.
 */
export type Action =
  | 'help'
  | 'open-dataset'
  | 'start-training'
  | 'pause-resume'
  | 'stop-training'
  | 'view-latent'
  | 'view-data'
  | 'view-both'
  | 'toggle-theme'
  | 'export'
  | 'save-session'
  | 'open-session'
  | 'next-point'
  | 'previous-point'
  | 'clear-selection'
  | 'tangents'
  | 'field'
  | 'trajectories';

export interface Shortcut {
  /** As shown in the overlay. */
  keys: string;
  action: Action;
  description: string;
  /** Needs Ctrl (or ⌘ on macOS). */
  mod?: boolean;
  key: string;
}

export const SHORTCUTS: readonly Shortcut[] = [
  { keys: '?', key: '?', action: 'help', description: 'Show or hide this list' },
  { keys: 'O', key: 'o', action: 'open-dataset', description: 'Open a dataset file' },
  { keys: 'T', key: 't', action: 'start-training', description: 'Train the model on the current dataset' },
  { keys: 'P', key: 'p', action: 'pause-resume', description: 'Pause or resume training' },
  { keys: 'X', key: 'x', action: 'stop-training', description: 'Stop training' },
  { keys: '1', key: '1', action: 'view-latent', description: 'Show the latent space' },
  { keys: '2', key: '2', action: 'view-data', description: 'Show the data space' },
  { keys: '3', key: '3', action: 'view-both', description: 'Show both views' },
  { keys: 'G', key: 'g', action: 'tangents', description: 'Tangent planes in the data space' },
  { keys: 'V', key: 'v', action: 'field', description: 'Vector field r(x) − x in the data space' },
  { keys: 'J', key: 'j', action: 'trajectories', description: 'Denoising trajectories in the data space' },
  { keys: ']', key: ']', action: 'next-point', description: 'Select the next point' },
  { keys: '[', key: '[', action: 'previous-point', description: 'Select the previous point' },
  {
    keys: 'Esc',
    key: 'Escape',
    action: 'clear-selection',
    description: 'Clear the selection, close a dialog',
  },
  { keys: 'E', key: 'e', action: 'export', description: 'Export figures, codes, weights, metrics' },
  { keys: 'L', key: 'l', action: 'toggle-theme', description: 'Switch between the light and dark theme' },
  { keys: 'Ctrl+S', key: 's', mod: true, action: 'save-session', description: 'Save the session' },
  { keys: 'Ctrl+O', key: 'o', mod: true, action: 'open-session', description: 'Open a session' },
];

/** The action of a key press, or null (typing in a field, or no shortcut). */
export function actionOf(e: KeyboardEvent): Action | null {
  const mod = e.ctrlKey || e.metaKey;
  const t = e.target;
  const typing =
    t instanceof HTMLElement &&
    (t.isContentEditable ||
      t instanceof HTMLTextAreaElement ||
      t instanceof HTMLSelectElement ||
      (t instanceof HTMLInputElement && !['checkbox', 'radio', 'button', 'range'].includes(t.type)));
  if (typing && !mod && e.key !== 'Escape') return null;
  if (e.altKey) return null;
  const key = e.key.length === 1 ? e.key.toLowerCase() : e.key;
  const hit = SHORTCUTS.find((s) => s.key === key && !!s.mod === mod);
  return hit?.action ?? null;
}
