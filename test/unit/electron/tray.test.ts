import { EventEmitter } from 'node:events';
import { inflateSync } from 'node:zlib';
import type { MenuItemConstructorOptions, NativeImage } from 'electron';
import { describe, expect, it } from 'vitest';
import { memoryLogger } from '../../../electron/main/log';
import { STATE_COLORS, encodePng, trayIconPng } from '../../../electron/main/os/icons';
import { createTray, type TrayDeps } from '../../../electron/main/os/tray';
import {
  TOOLTIP_MAX,
  badgeCount,
  trayIconState,
  trayView,
  type TrayAction,
} from '../../../electron/main/os/tray-model';
import type { TrayCounts } from '../../../shared/ipc/contract';

const counts: TrayCounts = { myOpen: 12, unassignedInMyGroups: 3, breachingSoon: 1 };
const base = {
  sync: { state: 'in-sync' as const },
  counts,
  workOffline: false,
  doNotDisturb: false,
};
const labels = (v: ReturnType<typeof trayView>) =>
  v.menu.map((i) => (i.type === 'separator' ? '---' : i.label));

describe('tray model', () => {
  it('shows counts, status and the fixed actions', () => {
    const v = trayView(base);
    expect(labels(v)).toEqual([
      'In sync',
      '---',
      'My open: 12',
      'Unassigned in my groups: 3',
      'Breaching soon: 1',
      '---',
      'Open console',
      'Open wallboard',
      '---',
      'Sync now',
      'Work offline',
      'Do not disturb',
      '---',
      'Quit Switchboard',
    ]);
    expect(v.icon).toBe('in-sync');
    expect(v.badge).toBe(4);
    expect(v.tooltip).toBe('Switchboard — In sync · 12 open · 3 unassigned · 1 breaching soon');
  });

  it('maps every sync state to an icon, and working offline wins', () => {
    expect(trayIconState({ state: 'syncing', pending: 3 }, false)).toBe('syncing');
    expect(trayIconState({ state: 'connecting' }, false)).toBe('syncing');
    expect(trayIconState({ state: 'offline' }, false)).toBe('offline');
    expect(trayIconState({ state: 'error', reason: 'x' }, false)).toBe('error');
    expect(trayIconState({ state: 'error', reason: 'x' }, true)).toBe('offline');
    expect(trayIconState(undefined, false)).toBe('offline');
  });

  it('disables Sync now and ticks Work offline while working offline', () => {
    const v = trayView({ ...base, workOffline: true, doNotDisturb: true });
    expect(v.menu[0]).toMatchObject({ label: 'Working offline', enabled: false });
    expect(v.menu.find((i) => i.type !== 'separator' && i.label === 'Sync now')).toMatchObject({
      enabled: false,
    });
    expect(v.menu.filter((i) => i.type === 'checkbox').map((i) => i.checked)).toEqual([true, true]);
  });

  it('has no counts and no badge before the renderer reports', () => {
    const v = trayView({ ...base, counts: undefined, sync: undefined });
    expect(labels(v)).not.toContain('My open: 0');
    expect(v.badge).toBe(0);
    expect(v.menu[0]).toMatchObject({ label: 'Starting…' });
    expect(badgeCount({ myOpen: 500, unassignedInMyGroups: 0, breachingSoon: 0 })).toBe(0);
  });

  it('keeps tooltips within the Windows limit and error reasons to one short line', () => {
    const v = trayView({
      ...base,
      sync: { state: 'error', reason: `HTTP 500\n${'x'.repeat(400)}` },
      counts: { myOpen: 9_999_999, unassignedInMyGroups: 9_999_999, breachingSoon: 9_999_999 },
    });
    expect(v.tooltip.length).toBeLessThanOrEqual(TOOLTIP_MAX);
    expect(v.icon).toBe('error');
    const first = v.menu[0];
    expect(first?.type === 'normal' && first.label.length).toBeLessThanOrEqual(72);
    expect(first?.type === 'normal' && first.label).not.toContain('\n');
    const syncing = trayView({ ...base, sync: { state: 'syncing', pending: 1 } });
    expect(syncing.menu[0]).toMatchObject({ label: 'Syncing (1 change to send)' });
  });
});

describe('icons', () => {
  it('encodes a valid PNG whose centre and corner are what was drawn', () => {
    const png = trayIconPng('error', 32);
    expect(png.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
    expect(png.readUInt32BE(16)).toBe(32);
    const idat = png.indexOf('IDAT');
    const raw = inflateSync(png.subarray(idat + 4, idat + 4 + png.readUInt32BE(idat - 4)));
    const pixel = (x: number, y: number) => {
      const i = y * (32 * 4 + 1) + 1 + x * 4;
      return [...raw.subarray(i, i + 4)];
    };
    expect(pixel(0, 0)[3]).toBe(0); // transparent corner
    expect(pixel(16, 16)).toEqual([255, 255, 255, 255]); // light centre
    expect(pixel(16, 4)).toEqual([...STATE_COLORS.error, 255]); // coloured ring
  });

  it('refuses a pixel buffer of the wrong size', () => {
    expect(() => encodePng(2, 2, new Uint8Array(15))).toThrow();
  });
});

function fakeDeps(platform: NodeJS.Platform, badgeSupported = true) {
  const tray = Object.assign(new EventEmitter(), {
    images: 0,
    tooltip: '',
    menu: [] as MenuItemConstructorOptions[],
    setImage() {
      this.images++;
    },
    setToolTip(t: string) {
      this.tooltip = t;
    },
    setContextMenu(m: unknown) {
      this.menu = m as MenuItemConstructorOptions[];
    },
    destroy() {},
  });
  const badges: number[] = [];
  const overlays: (string | null)[] = [];
  const fired: TrayAction[] = [];
  const action = (a: TrayAction) => () => void fired.push(a);
  const log = memoryLogger();
  const deps: TrayDeps = {
    createTray: () => tray as never,
    buildMenu: (t) => t as never,
    imageFromPng: () => ({ addRepresentation: () => undefined }) as unknown as NativeImage,
    app: { setBadgeCount: (n?: number) => (badges.push(n ?? 0), badgeSupported) },
    platform,
    consoleWindow: () =>
      ({
        setOverlayIcon: (img: unknown, d: string) => void overlays.push(img ? d : null),
      }) as never,
    actions: {
      'open-console': action('open-console'),
      'open-wallboard': action('open-wallboard'),
      'sync-now': action('sync-now'),
      'toggle-work-offline': action('toggle-work-offline'),
      'toggle-do-not-disturb': action('toggle-do-not-disturb'),
      quit: action('quit'),
    },
    log,
  };
  return { deps, tray, badges, overlays, fired, log };
}

describe('tray controller', () => {
  it('updates badge, tooltip and icon as reports arrive, and wires menu clicks', () => {
    const f = fakeDeps('darwin');
    const t = createTray(f.deps, { workOffline: false, doNotDisturb: false });
    t.setSync({ state: 'in-sync' });
    t.setCounts(counts);
    t.setCounts(counts);
    expect(f.badges).toEqual([0, 4]);
    expect(f.tray.tooltip).toContain('12 open');
    expect(f.tray.images).toBe(1); // offline at start → in sync
    const quit = f.tray.menu.find((i) => i.label === 'Quit Switchboard');
    (quit?.click as () => void)();
    f.tray.emit('click');
    expect(f.fired).toEqual(['quit', 'open-console']);
  });

  it('uses the overlay icon on Windows instead of a badge count', () => {
    const f = fakeDeps('win32');
    const t = createTray(f.deps, { workOffline: false, doNotDisturb: false });
    t.setCounts(counts);
    t.setCounts({ ...counts, unassignedInMyGroups: 0, breachingSoon: 0 });
    expect(f.badges).toEqual([]);
    expect(f.overlays).toEqual([null, '4 need attention', null]);
  });

  it('logs once when the desktop has no badge support', () => {
    const f = fakeDeps('linux', false);
    const t = createTray(f.deps, { workOffline: false, doNotDisturb: false });
    t.setCounts(counts);
    t.setCounts({ ...counts, breachingSoon: 5 });
    expect(f.log.lines.filter((l) => l.includes('badge'))).toHaveLength(1);
  });
});
