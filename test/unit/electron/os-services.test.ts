import { EventEmitter } from 'node:events';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MenuItemConstructorOptions } from 'electron';
import { describe, expect, it } from 'vitest';
import { createAppActions } from '../../../electron/main/app-actions';
import { memoryLogger } from '../../../electron/main/log';
import { appMenuTemplate, type MenuState } from '../../../electron/main/os/app-menu';
import {
  createCredentialStore,
  credentialsPath,
  type SafeStorageLike,
} from '../../../electron/main/os/credentials';
import {
  applyLoginItem,
  autostartEntry,
  autostartPath,
  startsHidden,
} from '../../../electron/main/os/login-item';
import { SYNC_REQUEST_GAP_MS, watchPower } from '../../../electron/main/os/power';
import { isValidAccelerator, registerQuickCreate } from '../../../electron/main/os/shortcut';
import { defaultSettings, openSettingsStore, settingsPath } from '../../../electron/main/settings';

const tmp = (p: string) => mkdtempSync(join(tmpdir(), p));

// A fake safeStorage: "encrypts" by XOR, so the plain text never appears in the output.
function fakeSafeStorage(
  available = true,
  backend: ReturnType<SafeStorageLike['getSelectedStorageBackend']> = 'gnome_libsecret',
): SafeStorageLike & { encrypted: number } {
  const xor = (b: Buffer) => Buffer.from(b.map((x) => x ^ 0x5a));
  return {
    encrypted: 0,
    isEncryptionAvailable: () => available,
    getSelectedStorageBackend: () => backend,
    encryptString(s: string) {
      this.encrypted++;
      return xor(Buffer.from(s, 'utf8'));
    },
    decryptString: (b: Buffer) => xor(b).toString('utf8'),
  };
}

describe('credential store', () => {
  const creds = { account: 'ada@desk.example', secret: 'correct horse battery staple' };

  it('encrypts before writing: neither account nor secret is on disk in clear', () => {
    const path = credentialsPath(tmp('sb-cred-'));
    const safe = fakeSafeStorage();
    const store = createCredentialStore(path, safe, 'linux', memoryLogger());
    expect(store.save(creds)).toEqual({ ok: true });
    const onDisk = readFileSync(path, 'utf8');
    expect(onDisk).not.toContain('ada');
    expect(onDisk).not.toContain('horse');
    expect(safe.encrypted).toBe(1);
    expect(store.load()).toEqual(creds);
    store.clear();
    expect(existsSync(path)).toBe(false);
    expect(store.load()).toBeUndefined();
  });

  it.each([
    ['encryption is unavailable', fakeSafeStorage(false), 'win32'],
    ['Linux falls back to basic_text', fakeSafeStorage(true, 'basic_text'), 'linux'],
  ] as const)('refuses to store anything when %s', (_name, safe, platform) => {
    const path = credentialsPath(tmp('sb-cred-'));
    const log = memoryLogger();
    const r = createCredentialStore(path, safe, platform, log).save(creds);
    expect(r.ok).toBe(false);
    expect(existsSync(path)).toBe(false);
    expect(safe.encrypted).toBe(0);
    expect(log.lines[0]).toMatch(/^warn: credentials: not saved/);
  });

  it('treats a corrupt or foreign file as nothing stored', () => {
    const path = credentialsPath(tmp('sb-cred-'));
    writeFileSync(path, '{"version":1,"data":"AAAA"}');
    const log = memoryLogger();
    expect(createCredentialStore(path, fakeSafeStorage(), 'darwin', log).load()).toBeUndefined();
    expect(log.lines[0]).toMatch(/could not be read/);
    expect(
      createCredentialStore(path, fakeSafeStorage(), 'darwin', log).save({
        account: '',
        secret: 'x',
      }),
    ).toEqual({ ok: false, reason: 'invalid credentials' });
  });
});

describe('power events', () => {
  it('asks for one sync on resume+unlock, and a flush on suspend and shutdown', () => {
    const power = new EventEmitter();
    const got: unknown[] = [];
    let t = 0;
    watchPower(
      power as never,
      { requestSync: (p) => got.push(['sync', p]), requestFlush: (p) => got.push(['flush', p]) },
      () => t,
    );
    power.emit('suspend');
    t = 1_000_000;
    power.emit('resume');
    t += 500;
    power.emit('unlock-screen');
    t += SYNC_REQUEST_GAP_MS;
    power.emit('unlock-screen');
    power.emit('shutdown');
    expect(got).toEqual([
      ['flush', { reason: 'suspend' }],
      ['sync', { reason: 'resume' }],
      ['sync', { reason: 'unlock-screen' }],
      ['flush', { reason: 'shutdown' }],
    ]);
  });
});

describe('quick-create shortcut', () => {
  it('accepts accelerators with a modifier and one key only', () => {
    for (const ok of ['CommandOrControl+Alt+N', 'Ctrl+Shift+F12', 'Super+Space', 'Alt+=']) {
      expect(isValidAccelerator(ok)).toBe(true);
    }
    for (const bad of ['N', 'Ctrl+', '+N', 'Ctrl+Alt', 'Ctrl+NN', 'Hyper+N', 'Ctrl+F25', '']) {
      expect(isValidAccelerator(bad)).toBe(false);
    }
  });

  it('registers, and skips with one log line when taken, invalid or throwing', () => {
    const registered: string[] = [];
    const log = memoryLogger();
    const shortcuts = (result: boolean | 'throw') => ({
      register: (a: string) => {
        if (result === 'throw') throw new Error('bad');
        registered.push(a);
        return result;
      },
      unregister: (a: string) => void registered.splice(registered.indexOf(a), 1),
    });
    const off = registerQuickCreate(shortcuts(true), 'Ctrl+Alt+N', () => undefined, log);
    expect(registered).toEqual(['Ctrl+Alt+N']);
    off();
    expect(registered).toEqual([]);
    registerQuickCreate(shortcuts(false), 'Ctrl+Alt+N', () => undefined, log);
    registerQuickCreate(shortcuts('throw'), 'Ctrl+Alt+N', () => undefined, log);
    registerQuickCreate(shortcuts(true), 'N', () => undefined, log);
    registerQuickCreate(shortcuts(true), null, () => undefined, log);
    expect(log.lines.filter((l) => l.startsWith('warn:') && l.endsWith('skipped'))).toHaveLength(3);
  });
});

describe('launch at login', () => {
  it('uses login item settings on macOS and Windows', () => {
    const calls: unknown[] = [];
    const app = { setLoginItemSettings: (s: unknown) => void calls.push(s) };
    applyLoginItem(app, { platform: 'win32', exec: 'x', configHome: 'y' }, true, memoryLogger());
    expect(calls).toEqual([{ openAtLogin: true, args: ['--hidden'] }]);
  });

  it('writes and removes an XDG autostart entry on Linux', () => {
    const home = tmp('sb-xdg-');
    const app = { setLoginItemSettings: () => expect.fail('not on Linux') };
    const env = {
      platform: 'linux' as const,
      exec: '/opt/My Apps/Switch$board.AppImage',
      configHome: home,
    };
    applyLoginItem(app, env, true, memoryLogger());
    const text = readFileSync(autostartPath(home), 'utf8');
    expect(text).toContain('Exec="/opt/My Apps/Switch\\$board.AppImage" --hidden');
    applyLoginItem(app, env, false, memoryLogger());
    expect(existsSync(autostartPath(home))).toBe(false);
    expect(autostartEntry('/a"b')).toContain('Exec="/a\\"b" --hidden');
  });

  it('starts in the tray when launched at login', () => {
    expect(startsHidden(['exe', '--hidden'], false)).toBe(true);
    expect(startsHidden(['exe'], true)).toBe(true);
    expect(startsHidden(['exe', 'switchboard://new/incident'], false)).toBe(false);
  });
});

describe('app menu', () => {
  const actions = createAppActions({
    windows: {
      showConsole: () => undefined as never,
      openWallboard: () => undefined as never,
      sendToConsole: () => undefined,
    },
    settings: openSettingsStore(settingsPath(tmp('sb-menu-')), memoryLogger()),
    onPreferencesChanged: () => undefined,
    quit: () => undefined,
  });
  const state = (platform: NodeJS.Platform, isPackaged = true): MenuState => ({
    appName: 'Switchboard',
    platform,
    settings: { ...defaultSettings(), wallboard: { displayId: 2, fullScreen: true, kiosk: false } },
    displays: [
      { id: 1, label: 'Built-in' },
      { id: 2, label: 'TV' },
    ],
    isPackaged,
    quickCreateAccelerator: 'CommandOrControl+Alt+N',
  });
  const labels = (t: MenuItemConstructorOptions[]) => t.map((m) => m.label ?? m.role);
  const sub = (m: MenuItemConstructorOptions | undefined) =>
    (m?.submenu ?? []) as MenuItemConstructorOptions[];

  it('on macOS starts with the app menu holding About, Settings, Hide and Quit', () => {
    const t = appMenuTemplate(state('darwin'), actions);
    expect(labels(t)).toEqual(['Switchboard', '&File', 'editMenu', '&View', 'window', 'help']);
    const roles = sub(t[0]).map((i) => i.role ?? i.label);
    expect(roles).toEqual(
      expect.arrayContaining(['about', 'Settings', 'hide', 'services', 'quit']),
    );
    expect(sub(t[1]).some((i) => i.role === 'quit')).toBe(false);
    expect(sub(t[4]).some((i) => i.role === 'front')).toBe(true);
  });

  it('on Windows and Linux has Settings and Quit under File, no app menu', () => {
    for (const platform of ['win32', 'linux'] as const) {
      const t = appMenuTemplate(state(platform), actions);
      expect(labels(t)[0]).toBe('&File');
      const file = sub(t[0]);
      expect(file.at(-1)?.role).toBe('quit');
      expect(file.some((i) => i.label === 'Settings')).toBe(true);
      expect(sub(t[3]).some((i) => i.role === 'front')).toBe(false);
    }
  });

  it('shows the quick-create shortcut without registering it twice, and preference state', () => {
    const t = appMenuTemplate(state('linux'), actions);
    const first = sub(t[0])[0];
    expect(first).toMatchObject({
      label: 'New Incident',
      accelerator: 'CommandOrControl+Alt+N',
      registerAccelerator: false,
    });
    const settingsMenu = sub(sub(t[0]).find((i) => i.label === 'Settings'));
    const display = sub(settingsMenu.find((i) => i.label === 'Wallboard Display'));
    expect(display.map((d) => [d.label, d.checked])).toEqual([
      ['Automatic (second display)', false],
      ['Built-in', false],
      ['TV', true],
    ]);
  });

  it('offers DevTools only in development builds', () => {
    const has = (packaged: boolean) =>
      sub(appMenuTemplate(state('win32', packaged), actions)[2]).some(
        (i) => i.role === 'toggleDevTools',
      );
    expect(has(true)).toBe(false);
    expect(has(false)).toBe(true);
  });
});
