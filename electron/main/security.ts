/**
 * Guards every web contents the app creates: no navigation away from the app, no new windows
 * except allow-listed external links (opened in the OS browser), no permissions, no webviews.
 */
import type { App, Session, WebContents } from 'electron';

/** The origin the renderer is served from. */
export const APP_ORIGIN = 'app://switchboard';

/** True if `url` belongs to the app itself. */
export function isAppUrl(url: string): boolean {
  try {
    const u = new URL(url);
    return u.protocol === 'app:' && u.host === 'switchboard';
  } catch {
    return false;
  }
}

/** External links the user may open in their browser (knowledge articles, vendor portals). */
export function isAllowedExternalUrl(url: string): boolean {
  try {
    const u = new URL(url);
    return u.protocol === 'https:' && u.username === '' && u.password === '';
  } catch {
    return false;
  }
}

/** Installs the guards on the app and its default session. */
export function hardenApp(app: App, session: Session, openExternal: (url: string) => void): void {
  session.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  app.on('web-contents-created', (_event, contents: WebContents) => {
    contents.on('will-navigate', (event, url) => {
      if (!isAppUrl(url)) event.preventDefault();
    });
    contents.on('will-redirect', (event, url) => {
      if (!isAppUrl(url)) event.preventDefault();
    });
    contents.on('will-attach-webview', (event) => event.preventDefault());
    contents.setWindowOpenHandler(({ url }) => {
      if (isAllowedExternalUrl(url)) openExternal(url);
      return { action: 'deny' };
    });
  });
}
