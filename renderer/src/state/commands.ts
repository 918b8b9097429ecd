/**
 * The desktop menu's commands (onCommand) and the keyboard shortcuts' actions (shortcuts.ts), each
 * sent to the store that does it.
 */
import type { CommandEvent } from '../../../electron/shared/contract';
import type { Explorer } from './explorer.svelte';
import type { Action } from './shortcuts';

export async function runCommand(app: Explorer, name: CommandEvent['name']): Promise<void> {
  switch (name) {
    case 'open-dataset':
      await app.data.openDialog();
      return;
    case 'open-session':
      return app.session.open();
    case 'save-session':
      return app.session.save(false);
    case 'save-session-as':
      return app.session.save(true);
    case 'export-png':
      return app.exports.view(app.ui.view === 'data' ? 'data' : 'latent', { scale: 2 });
    case 'export-codes':
      return app.exports.run('codes', 'csv');
    case 'toggle-theme':
      return app.ui.toggleTheme();
    case 'start-training':
      return app.jobs.start();
    case 'stop-training':
      return app.jobs.stop();
  }
}

export async function runAction(app: Explorer, action: Action): Promise<void> {
  const ui = app.ui;
  switch (action) {
    case 'help':
      ui.helpOpen = !ui.helpOpen;
      return;
    case 'open-dataset':
    case 'start-training':
    case 'stop-training':
    case 'toggle-theme':
    case 'save-session':
    case 'open-session':
      return runCommand(app, action);
    case 'pause-resume':
      return app.jobs.pauseOrResume();
    case 'view-latent':
      ui.view = 'latent';
      return;
    case 'view-data':
      ui.view = 'data';
      return;
    case 'view-both':
      ui.view = 'both';
      return;
    case 'export':
      ui.exportOpen = true;
      return;
    case 'next-point':
      return app.selection.step(1, app.data.rows);
    case 'previous-point':
      return app.selection.step(-1, app.data.rows);
    case 'clear-selection':
      if (ui.helpOpen) ui.helpOpen = false;
      else if (ui.exportOpen) ui.exportOpen = false;
      else app.selection.row = null;
      return;
    case 'tangents':
    case 'field':
    case 'trajectories':
      return app.toggleAnalysis(action);
  }
}
