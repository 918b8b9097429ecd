import { app, session, shell } from 'electron';
import { APP_ORIGIN } from './protocol';

/**
 * App-wide hardening: navigation and new windows denied everywhere, permission requests denied,
 * <webview> refused. External http(s) links open in the user's browser, never inside the app.
 */
export function hardenApp(log: (msg: string) => void = console.warn): void {
  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-navigate', (event, url) => {
      if (!url.startsWith(APP_ORIGIN + '/')) {
        event.preventDefault();
        log(`refused navigation to ${url}`);
      }
    });
    contents.on('will-attach-webview', (event) => {
      event.preventDefault();
      log('refused <webview>');
    });
    contents.setWindowOpenHandler(({ url }) => {
      if (/^https?:\/\//.test(url)) void shell.openExternal(url);
      log(`refused window.open(${url})`);
      return { action: 'deny' };
    });
  });
  app.whenReady().then(() => {
    session.defaultSession.setPermissionRequestHandler((_wc, permission, callback) => {
      log(`refused permission ${permission}`);
      callback(false);
    });
    session.defaultSession.setPermissionCheckHandler(() => false);
  });
}
