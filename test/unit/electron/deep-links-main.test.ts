import { describe, expect, it } from 'vitest';
import {
  MAX_PENDING_LINKS,
  createDeepLinkRouter,
  deepLinkFromArgv,
  registerProtocolClient,
} from '../../../electron/main/os/deep-links';
import { memoryLogger } from '../../../electron/main/log';

const A = 'switchboard://ticket/INC-1B2C3D4E5F6G';
const B = 'switchboard://new/change';

function setup() {
  const delivered: string[] = [];
  let focused = 0;
  const log = memoryLogger();
  const router = createDeepLinkRouter(
    { deliver: (u) => void delivered.push(u), focus: () => void focused++ },
    log,
  );
  return { router, delivered, log, focused: () => focused };
}

describe('deepLinkFromArgv', () => {
  it('finds the last valid link in a second instance command line', () => {
    const argv = ['/opt/Switchboard/switchboard', '--no-sandbox', '--', A, B];
    expect(deepLinkFromArgv(argv).link).toEqual({ action: 'new', kind: 'change' });
  });

  it('reports links that claim our scheme but are malformed, and ignores other arguments', () => {
    const r = deepLinkFromArgv(['app', 'https://x.example', 'SWITCHBOARD://ticket/nope', '--x']);
    expect(r.link).toBeUndefined();
    expect(r.refused).toHaveLength(1);
  });
});

describe('deep-link router', () => {
  it('holds links until the page is ready, then delivers canonical URLs in order', () => {
    const { router, delivered, focused } = setup();
    expect(router.receive('switchboard://ticket/inc-1b2c3d4e5f6g/', 'open-url')).toBe(true);
    router.receiveArgv(['exe', B], 'argv');
    expect(delivered).toEqual([]);
    expect(focused()).toBe(2);
    router.setReady(true);
    expect(delivered).toEqual([A, B]);
    router.receive(A, 'open-url');
    expect(delivered).toEqual([A, B, A]);
  });

  it('refuses hostile input with a log line and without focusing the window', () => {
    const { router, delivered, log, focused } = setup();
    router.setReady(true);
    expect(router.receive('switchboard://ticket/INC-1B2C3D4E5F6G?x=<script>', 'open-url')).toBe(
      false,
    );
    expect(router.receive({ toString: () => A }, 'open-url')).toBe(false);
    expect(delivered).toEqual([]);
    expect(focused()).toBe(0);
    expect(log.lines.filter((l) => l.startsWith('warn:'))).toHaveLength(2);
  });

  it('keeps only the newest links while the page is not ready', () => {
    const { router, delivered } = setup();
    for (let i = 0; i < MAX_PENDING_LINKS + 3; i++) router.receive(B, 'argv');
    router.receive(A, 'argv');
    router.setReady(true);
    expect(delivered).toHaveLength(MAX_PENDING_LINKS);
    expect(delivered.at(-1)).toBe(A);
  });

  it('holds links again after the page goes away (reload)', () => {
    const { router, delivered } = setup();
    router.setReady(true);
    router.setReady(false);
    router.receive(A, 'argv');
    expect(delivered).toEqual([]);
    router.setReady(true);
    expect(delivered).toEqual([A]);
  });
});

describe('registerProtocolClient', () => {
  const calls: unknown[][] = [];
  const app = {
    setAsDefaultProtocolClient: (...a: unknown[]) => (calls.push(a), true),
  };
  it('passes the app path in development and ends Windows arguments with --', () => {
    registerProtocolClient(app, {
      platform: 'win32',
      defaultApp: true,
      execPath: 'C:\\electron.exe',
      appPath: 'C:\\src\\switchboard',
    });
    registerProtocolClient(app, {
      platform: 'linux',
      defaultApp: false,
      execPath: '/opt/Switchboard/switchboard',
      appPath: undefined,
    });
    expect(calls).toEqual([
      ['switchboard', 'C:\\electron.exe', ['C:\\src\\switchboard', '--']],
      ['switchboard', '/opt/Switchboard/switchboard', []],
    ]);
  });
});
