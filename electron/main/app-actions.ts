/**
 * The user-level commands shared by the tray, the app menu, the global shortcut and power events,
 * so each surface only says which command it runs.
 */
import type { TicketKind } from '../../shared/domain/kinds';
import { formatDeepLink } from '../../shared/ipc/deep-link';
import type { SettingsStore } from './settings';
import type { TrayAction } from './os/tray-model';
import type { WindowManager } from './windows/window-manager';

/** What the commands act on. */
export type ActionDeps = {
  readonly windows: Pick<WindowManager, 'showConsole' | 'openWallboard' | 'sendToConsole'>;
  readonly settings: SettingsStore;
  /** Called after a preference changed (tray checkboxes, menu, login item). */
  readonly onPreferencesChanged: () => void;
  readonly quit: () => void;
};

/** All commands. */
export type AppActions = Readonly<Record<TrayAction, () => void>> & {
  readonly quickCreate: (kind: TicketKind) => void;
  readonly toggleCloseToTray: () => void;
  readonly toggleLaunchAtLogin: () => void;
  readonly toggleWallboardKiosk: () => void;
  readonly setWallboardDisplay: (displayId: number | null) => void;
  /** Tells the console page the current Work offline state (on every page load). */
  readonly announceWorkOffline: () => void;
};

/** Creates the commands. */
export function createAppActions(deps: ActionDeps): AppActions {
  const { windows, settings } = deps;
  const change = (f: Parameters<SettingsStore['update']>[0]): void => {
    settings.update(f);
    deps.onPreferencesChanged();
  };
  const announceWorkOffline = (): void =>
    windows.sendToConsole('sync:work-offline-changed', { offline: settings.get().workOffline });
  return {
    'open-console': () => void windows.showConsole(),
    'open-wallboard': () => void windows.openWallboard(),
    'sync-now': () => {
      if (!settings.get().workOffline) windows.sendToConsole('sync:requested', { reason: 'user' });
    },
    'toggle-work-offline': () => {
      change((s) => ({ ...s, workOffline: !s.workOffline }));
      announceWorkOffline();
    },
    'toggle-do-not-disturb': () => change((s) => ({ ...s, doNotDisturb: !s.doNotDisturb })),
    quit: deps.quit,
    quickCreate: (kind) => {
      windows.showConsole();
      windows.sendToConsole('deeplink:opened', { url: formatDeepLink({ action: 'new', kind }) });
    },
    toggleCloseToTray: () => change((s) => ({ ...s, closeToTray: !s.closeToTray })),
    toggleLaunchAtLogin: () => change((s) => ({ ...s, launchAtLogin: !s.launchAtLogin })),
    toggleWallboardKiosk: () =>
      change((s) => ({ ...s, wallboard: { ...s.wallboard, kiosk: !s.wallboard.kiosk } })),
    setWallboardDisplay: (displayId) =>
      change((s) => ({ ...s, wallboard: { ...s.wallboard, displayId } })),
    announceWorkOffline,
  };
}
