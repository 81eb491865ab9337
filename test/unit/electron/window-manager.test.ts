import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { memoryLogger } from '../../../electron/main/log';
import { openSettingsStore, settingsPath } from '../../../electron/main/settings';
import {
  MAX_PENDING_EVENTS,
  createWindowManager,
} from '../../../electron/main/windows/window-manager';
import { MAX_RELOADS, reloadDecision } from '../../../electron/main/windows/window-options';
import { FakeWindow, display, fakeScreen } from './fake-electron';

const laptop = display(1, 0, 0, 1920, 1080);
const tv = display(2, 1920, 0, 3840, 2160);

function setup(displays = [laptop, tv], dir = mkdtempSync(join(tmpdir(), 'sb-wm-'))) {
  const screen = fakeScreen(displays);
  const log = memoryLogger();
  const settings = openSettingsStore(settingsPath(dir), log);
  const ready: boolean[] = [];
  let t = 0;
  const wm = createWindowManager({
    createWindow: (spec) => new FakeWindow(spec).asWindow(),
    screen,
    settings,
    log,
    onConsoleReady: (r) => void ready.push(r),
    now: () => (t += 1000),
  });
  return { wm, settings, log, ready, dir, screen };
}

const fake = (w: unknown) => w as FakeWindow;

beforeEach(() => {
  FakeWindow.all = [];
});

describe('window manager', () => {
  it('opens every window on the app origin, throttled only when nobody needs it live', () => {
    const { wm } = setup();
    wm.showConsole();
    wm.openWallboard();
    wm.openTicket('INC-1B2C3D4E5F6G');
    expect(FakeWindow.all).toHaveLength(3);
    for (const w of FakeWindow.all) {
      expect(w.url.startsWith('app://switchboard/index.html')).toBe(true);
      expect(w.options).not.toHaveProperty('webPreferences');
    }
    expect(FakeWindow.all.map((w) => w.backgroundThrottling)).toEqual([false, false, true]);
  });

  it('hides the console on close when close-to-tray is on, and closes it on quit', () => {
    const { wm } = setup();
    const w = fake(wm.showConsole());
    w.close();
    expect(w.isDestroyed()).toBe(false);
    expect(w.visible).toBe(false);
    expect(wm.showConsole()).toBe(w.asWindow());
    wm.setQuitting();
    w.close();
    expect(w.isDestroyed()).toBe(true);
  });

  it('starts the console hidden (launch at login) and still loads it so it syncs', () => {
    const { wm } = setup();
    const w = fake(wm.startConsole(false));
    w.emit('ready-to-show');
    expect(w.visible).toBe(false);
    expect(w.url).toBe('app://switchboard/index.html');
    expect(wm.showConsole()).toBe(w.asWindow());
    expect(w.visible).toBe(true);
    const v = setup();
    const shown = fake(v.wm.startConsole(true));
    shown.emit('ready-to-show');
    expect(shown.visible).toBe(true);
  });

  it('closes the console for real when close-to-tray is off', () => {
    const { wm, settings } = setup();
    settings.update((s) => ({ ...s, closeToTray: false }));
    const w = fake(wm.showConsole());
    w.close();
    expect(w.isDestroyed()).toBe(true);
    expect(wm.consoleWindow()).toBeUndefined();
  });

  it('remembers console bounds per display layout and restores them safely', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sb-wm-'));
    const first = setup([laptop, tv], dir);
    const w = fake(first.wm.showConsole());
    w.bounds = { x: 2200, y: 100, width: 1800, height: 1200 };
    w.maximized = true;
    first.wm.setQuitting();
    w.close();
    // Same layout: the window comes back on the TV, maximized.
    const again = setup([laptop, tv], dir);
    const w2 = fake(again.wm.showConsole());
    expect(w2.options).toMatchObject({ x: 2200, y: 100, width: 1800, height: 1200 });
    expect(w2.maximized).toBe(true);
    // The TV is unplugged: a different layout, the window opens centred on the laptop.
    const alone = setup([laptop], dir);
    const w3 = fake(alone.wm.showConsole());
    expect(w3.options).toMatchObject({ x: 260, y: 70, width: 1400, height: 900 });
  });

  it('opens the wallboard on the TV, full screen, once', () => {
    const { wm, settings } = setup();
    const w = fake(wm.openWallboard());
    expect(w.options.x).toBeGreaterThanOrEqual(1920);
    expect(w.options).toMatchObject({ fullscreen: true, kiosk: false });
    expect(w.url).toBe('app://switchboard/index.html#/wallboard');
    expect(wm.openWallboard()).toBe(w.asWindow());
    w.close();
    settings.update((s) => ({ ...s, wallboard: { displayId: 1, fullScreen: false, kiosk: true } }));
    const k = fake(wm.openWallboard());
    expect(k.options.x).toBeLessThan(1920);
    expect(k.options).toMatchObject({ fullscreen: true, kiosk: true });
  });

  it('opens one pop-out per valid ticket number and refuses anything else', () => {
    const { wm, log } = setup();
    const a = wm.openTicket('inc-1b2c3d4e5f6g');
    expect(fake(a).url).toBe('app://switchboard/index.html#/ticket/INC-1B2C3D4E5F6G');
    expect(wm.openTicket('INC-1B2C3D4E5F6G')).toBe(a);
    expect(wm.openTicket('../../etc/passwd')).toBeUndefined();
    expect(wm.openTicket('INC-1B2C3D4E5F6G#/wallboard')).toBeUndefined();
    expect(FakeWindow.all).toHaveLength(1);
    expect(log.lines.filter((l) => l.includes('pop-out refused'))).toHaveLength(2);
  });

  it('reports console readiness from page loads, and sends only valid events', () => {
    const { wm, ready, log } = setup();
    const w = fake(wm.showConsole());
    w.webContents.emit('did-start-loading');
    w.webContents.emit('did-finish-load');
    expect(ready).toEqual([false, true]);
    wm.sendToConsole('notifications:clicked', { ticketNumber: 'INC-1B2C3D4E5F6G' });
    wm.sendToConsole('deeplink:opened', { url: 'https://evil.example' });
    expect(w.webContents.sent).toEqual([
      { channel: 'notifications:clicked', payload: { ticketNumber: 'INC-1B2C3D4E5F6G' } },
    ]);
    expect(log.lines.some((l) => l.includes('invalid deeplink:opened'))).toBe(true);
  });

  it('holds events while the console page loads and delivers them once it has', () => {
    const { wm } = setup();
    wm.sendToConsole('sync:requested', { reason: 'resume' });
    const w = fake(wm.showConsole());
    wm.sendToConsole('notifications:clicked', { ticketNumber: 'INC-1B2C3D4E5F6G' });
    expect(w.webContents.sent).toEqual([]);
    w.webContents.emit('did-start-loading');
    w.webContents.emit('did-finish-load');
    expect(w.webContents.sent.map((e) => e.channel)).toEqual([
      'sync:requested',
      'notifications:clicked',
    ]);
    w.webContents.emit('did-start-loading'); // reload after a crash
    for (let i = 0; i < MAX_PENDING_EVENTS + 5; i++)
      wm.sendToConsole('sync:requested', { reason: 'user' });
    w.webContents.emit('did-finish-load');
    expect(w.webContents.sent).toHaveLength(2 + MAX_PENDING_EVENTS);
  });

  it('reloads a crashed renderer, but stops in a crash loop', () => {
    const { wm, log } = setup();
    const w = fake(wm.showConsole());
    for (let i = 0; i < MAX_RELOADS + 2; i++)
      w.webContents.emit('render-process-gone', {}, { reason: 'crashed', exitCode: 1 });
    expect(w.webContents.reloads).toBe(MAX_RELOADS);
    expect(log.lines.some((l) => l.includes('keeps crashing'))).toBe(true);
  });
});

describe('reloadDecision', () => {
  it('does not reload after a clean exit, and forgets crashes older than a minute', () => {
    expect(reloadDecision('clean-exit', [], 0).reload).toBe(false);
    expect(reloadDecision('oom', [0, 1, 2], 3).reload).toBe(false);
    expect(reloadDecision('oom', [0, 1, 2], 70_000)).toEqual({ reload: true, crashes: [70_000] });
  });
});
