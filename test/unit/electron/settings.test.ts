import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { memoryLogger } from '../../../electron/main/log';
import {
  MAX_LAYOUTS,
  defaultSettings,
  loadSettings,
  openSettingsStore,
  rememberConsoleState,
  saveSettings,
  settingsPath,
} from '../../../electron/main/settings';

const dir = () => mkdtempSync(join(tmpdir(), 'sb-settings-'));

describe('settings file', () => {
  it('gives defaults silently when there is no file', () => {
    const log = memoryLogger();
    expect(loadSettings(settingsPath(dir()), log)).toEqual(defaultSettings());
    expect(log.lines).toEqual([]);
  });

  it.each([
    ['not JSON', '{"closeToTray": tru'],
    ['wrong types', '{"closeToTray": "yes"}'],
    ['a future version', '{"version": 2}'],
    ['an array', '[1,2,3]'],
    [
      'hostile bounds',
      '{"layouts":{"k":{"console":{"bounds":{"x":1e308,"y":0,"width":1,"height":1}}}}}',
    ],
    ['an accelerator too long', `{"quickCreateShortcut":"${'A+'.repeat(100)}"}`],
  ])('gives defaults and a log line for %s, never a crash', (_name, text) => {
    const path = settingsPath(dir());
    writeFileSync(path, text);
    const log = memoryLogger();
    expect(loadSettings(path, log)).toEqual(defaultSettings());
    expect(log.lines.some((l) => l.startsWith('warn:'))).toBe(true);
  });

  it('fills in defaults for fields an older file lacks', () => {
    const path = settingsPath(dir());
    writeFileSync(path, JSON.stringify({ doNotDisturb: true, wallboard: { kiosk: true } }));
    const s = loadSettings(path, memoryLogger());
    expect(s.doNotDisturb).toBe(true);
    expect(s.wallboard).toEqual({ displayId: null, fullScreen: true, kiosk: true });
    expect(s.closeToTray).toBe(true);
  });

  it('round-trips through an atomic write, readable by the owner only', () => {
    const path = settingsPath(join(dir(), 'nested'));
    const s = { ...defaultSettings(), launchAtLogin: true, quickCreateShortcut: null };
    expect(saveSettings(path, s, memoryLogger())).toBe(true);
    expect(loadSettings(path, memoryLogger())).toEqual(s);
    expect(JSON.parse(readFileSync(path, 'utf8'))).toMatchObject({ launchAtLogin: true });
    expect(statSync(path).mode & 0o777).toBe(0o600);
  });

  it('logs instead of throwing when the disk refuses the write', () => {
    // A path under a regular file fails even for root.
    const d = dir();
    writeFileSync(join(d, 'file'), '');
    const log = memoryLogger();
    expect(saveSettings(join(d, 'file', 'settings.json'), defaultSettings(), log)).toBe(false);
    expect(log.lines[0]).toMatch(/^error: settings: could not write/);
  });
});

describe('settings store', () => {
  it('persists every change and refuses invalid ones', () => {
    const path = settingsPath(dir());
    const log = memoryLogger();
    const store = openSettingsStore(path, log);
    store.update((s) => ({ ...s, doNotDisturb: true }));
    expect(loadSettings(path, log).doNotDisturb).toBe(true);
    store.update((s) => ({ ...s, closeToTray: 'no' as unknown as boolean }));
    expect(store.get().closeToTray).toBe(true);
    expect(log.lines.some((l) => l.startsWith('error: settings: refused'))).toBe(true);
  });

  it('remembers console state per layout, keeping the newest layouts only', () => {
    let s = defaultSettings();
    for (let i = 0; i < MAX_LAYOUTS + 5; i++) {
      s = rememberConsoleState(s, `layout-${i}`, {
        bounds: { x: i, y: 0, width: 800, height: 600 },
        maximized: false,
      });
    }
    s = rememberConsoleState(s, 'layout-3', {
      bounds: { x: 3, y: 3, width: 800, height: 600 },
      maximized: true,
    });
    const keys = Object.keys(s.layouts);
    expect(keys).toHaveLength(MAX_LAYOUTS);
    expect(keys.at(-1)).toBe('layout-3');
    expect(keys).toContain(`layout-${MAX_LAYOUTS + 4}`);
    expect(keys).not.toContain('layout-5');
  });
});
