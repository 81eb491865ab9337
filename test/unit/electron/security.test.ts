import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { hardenApp, isAllowedExternalUrl, isAppUrl } from '../../../electron/main/security';
import { CONTENT_SECURITY_POLICY } from '../../../shared/security/content-policy';

type Handler = (...args: unknown[]) => unknown;

function setup() {
  const app = new EventEmitter();
  const handlers: Record<string, Handler> = {};
  const session = {
    setPermissionRequestHandler: (h: Handler) => void (handlers.request = h),
    setPermissionCheckHandler: (h: Handler) => void (handlers.check = h),
    webRequest: { onHeadersReceived: (h: Handler) => void (handlers.headers = h) },
  };
  const opened: string[] = [];
  hardenApp(app as never, session as never, (url) => void opened.push(url));
  const contents = Object.assign(new EventEmitter(), {
    openHandler: undefined as Handler | undefined,
    setWindowOpenHandler(h: Handler) {
      this.openHandler = h;
    },
  });
  app.emit('web-contents-created', {}, contents);
  const event = () => {
    const e = { prevented: false, preventDefault: () => void (e.prevented = true) };
    return e;
  };
  return { handlers, contents, opened, event };
}

describe('hardenApp', () => {
  it('denies every permission request and check', () => {
    const { handlers } = setup();
    let granted: boolean | undefined;
    handlers.request!({}, 'notifications', (ok: boolean) => (granted = ok));
    expect(granted).toBe(false);
    expect(handlers.check!({}, 'media')).toBe(false);
  });

  it('puts the content security policy on every response', () => {
    const { handlers } = setup();
    let out: unknown;
    handlers.headers!({ responseHeaders: { 'X-Other': ['1'] } }, (r: unknown) => (out = r));
    expect(out).toEqual({
      responseHeaders: { 'X-Other': ['1'], 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] },
    });
  });

  it('blocks navigation and redirects away from the app, and webviews', () => {
    const { contents, event } = setup();
    for (const [name, url, blocked] of [
      ['will-navigate', 'https://evil.example/', true],
      ['will-navigate', 'file:///etc/passwd', true],
      ['will-navigate', 'app://switchboard/index.html#/wallboard', false],
      ['will-redirect', 'app://evil/', true],
      ['will-attach-webview', '', true],
    ] as const) {
      const e = event();
      contents.emit(name, e, url);
      expect([name, url, e.prevented]).toEqual([name, url, blocked]);
    }
  });

  it('denies window.open, handing only allow-listed links to the browser', () => {
    const { contents, opened } = setup();
    for (const url of ['https://kb.example/article/1', 'http://kb.example/', 'javascript:alert(1)'])
      expect(contents.openHandler!({ url })).toEqual({ action: 'deny' });
    expect(opened).toEqual(['https://kb.example/article/1']);
  });
});

describe('URL allow-lists', () => {
  it('recognises only the app origin', () => {
    expect(isAppUrl('app://switchboard/x')).toBe(true);
    expect(isAppUrl('app://switchboard.evil/x')).toBe(false);
    expect(isAppUrl('not a url')).toBe(false);
  });

  it('opens only https links without credentials externally', () => {
    expect(isAllowedExternalUrl('https://kb.example/a')).toBe(true);
    expect(isAllowedExternalUrl('https://user:pw@kb.example/a')).toBe(false);
    expect(isAllowedExternalUrl('file:///C:/Windows/System32/calc.exe')).toBe(false);
    expect(isAllowedExternalUrl('smb://share/x')).toBe(false);
  });
});
