/**
 * The tray icon, its menu and the app badge, rendered from `trayView`. Electron's Tray, Menu,
 * nativeImage and app are passed in, so this runs in Node tests with fakes.
 */
import type {
  App,
  BrowserWindow,
  Menu,
  MenuItemConstructorOptions,
  NativeImage,
  Tray,
} from 'electron';
import type { SyncStatus, TrayCounts } from '../../../shared/ipc/contract';
import { assertNever } from '../../../shared/domain/assert-never';
import type { Logger } from '../log';
import { overlayIconPng, trayIconPng } from './icons';
import {
  trayView,
  type TrayAction,
  type TrayIconState,
  type TrayInput,
  type TrayMenuItem,
  type TrayView,
} from './tray-model';

/** What the tray needs from Electron. */
export type TrayDeps = {
  readonly createTray: (image: NativeImage) => Tray;
  readonly buildMenu: (template: MenuItemConstructorOptions[]) => Menu;
  /** nativeImage.createFromBuffer. */
  readonly imageFromPng: (png: Buffer, scaleFactor: number) => NativeImage;
  readonly app: Pick<App, 'setBadgeCount'>;
  readonly platform: NodeJS.Platform;
  /** The window whose taskbar button carries the overlay on Windows. */
  readonly consoleWindow: () => BrowserWindow | undefined;
  readonly actions: Readonly<Record<TrayAction, () => void>>;
  readonly log: Logger;
};

/** The running tray. */
export type TrayController = {
  readonly setSync: (status: SyncStatus) => void;
  readonly setCounts: (counts: TrayCounts) => void;
  readonly setPreferences: (p: { workOffline: boolean; doNotDisturb: boolean }) => void;
  /** What is shown now (for tests and diagnostics). */
  readonly view: () => TrayView;
  readonly destroy: () => void;
};

/** Electron menu template for the tray's items. */
export function toMenuTemplate(
  items: readonly TrayMenuItem[],
  actions: Readonly<Record<TrayAction, () => void>>,
): MenuItemConstructorOptions[] {
  return items.map((item): MenuItemConstructorOptions => {
    switch (item.type) {
      case 'separator':
        return { type: 'separator' };
      case 'normal': {
        const action = item.action;
        return {
          type: 'normal',
          label: item.label,
          enabled: item.enabled,
          ...(action === undefined ? {} : { click: () => actions[action]() }),
        };
      }
      case 'checkbox':
        return {
          type: 'checkbox',
          label: item.label,
          checked: item.checked,
          click: () => actions[item.action](),
        };
      default:
        return assertNever(item);
    }
  });
}

/** Creates the tray and keeps it, the badge and the Windows overlay in step with the inputs. */
export function createTray(
  deps: TrayDeps,
  initial: { workOffline: boolean; doNotDisturb: boolean },
): TrayController {
  // macOS menu-bar icons are 16 pt (22 px tall bar); Windows and Linux trays take 16-32 px.
  const icon = (state: TrayIconState): NativeImage => {
    const image = deps.imageFromPng(trayIconPng(state, 16), 1);
    image.addRepresentation({ scaleFactor: 2, buffer: trayIconPng(state, 32) });
    return image;
  };
  let input: TrayInput = { sync: undefined, counts: undefined, ...initial };
  let shown: TrayView = trayView(input);
  const tray = deps.createTray(icon(shown.icon));
  let lastIcon: TrayIconState | undefined = shown.icon;
  let lastBadge = -1;
  let badgeUnsupported = false;
  const overlay = deps.imageFromPng(overlayIconPng(16), 1);

  const render = (): void => {
    shown = trayView(input);
    if (shown.icon !== lastIcon) tray.setImage(icon(shown.icon));
    lastIcon = shown.icon;
    tray.setToolTip(shown.tooltip);
    tray.setContextMenu(deps.buildMenu(toMenuTemplate(shown.menu, deps.actions)));
    if (shown.badge === lastBadge) return;
    lastBadge = shown.badge;
    // Badge counts exist on macOS and on Linux launchers that support them (Unity API).
    if (deps.platform !== 'win32' && !deps.app.setBadgeCount(shown.badge) && !badgeUnsupported) {
      badgeUnsupported = true;
      deps.log.info('badge count not supported by this desktop; the tray tooltip carries it');
    }
    if (deps.platform === 'win32') {
      const win = deps.consoleWindow();
      win?.setOverlayIcon(
        shown.badge > 0 ? overlay : null,
        shown.badge > 0 ? `${shown.badge} need attention` : '',
      );
    }
  };

  // Windows and most Linux trays: a click opens the console; the menu is on right-click.
  tray.on('click', () => deps.actions['open-console']());
  render();
  return {
    setSync: (sync) => {
      input = { ...input, sync };
      render();
    },
    setCounts: (counts) => {
      input = { ...input, counts };
      render();
    },
    setPreferences: (p) => {
      input = { ...input, ...p };
      render();
    },
    view: () => shown,
    destroy: () => tray.destroy(),
  };
}
