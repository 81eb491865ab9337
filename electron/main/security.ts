/**
 * Guards every web contents the app creates: no navigation away from the app, no new windows
 * except allow-listed external links (opened in the OS browser), no permissions, no webviews.
 */
import type { App, Session, WebContents } from 'electron';
import { CONTENT_SECURITY_POLICY } from '../../shared/security/content-policy';

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
export function hardenApp(
  app: Pick<App, 'on'>,
  session: Pick<
    Session,
    'setPermissionRequestHandler' | 'setPermissionCheckHandler' | 'webRequest'
  >,
  openExternal: (url: string) => void,
): void {
  session.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  // The app:// handler and index.html already carry the policy; this covers any response that
  // reaches a page by another way, so no page of the app ever runs without it.
  session.webRequest.onHeadersReceived((details, callback) => {
    callback({
      responseHeaders: {
        ...details.responseHeaders,
        'Content-Security-Policy': [CONTENT_SECURITY_POLICY],
      },
    });
  });
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
