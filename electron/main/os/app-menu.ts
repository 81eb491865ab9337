/**
 * The application menu, following each platform's conventions: on macOS the first menu is the
 * app's own (About, Settings, Services, Hide, Quit) and Window has "Bring All to Front"; on
 * Windows and Linux settings live under File, which ends with Exit/Quit. Built as a plain template
 * so it is tested without Electron.
 */
import type { MenuItemConstructorOptions } from 'electron';
import { KIND_LABELS, TICKET_KINDS } from '../../../shared/domain/kinds';
import type { AppActions } from '../app-actions';
import type { Settings } from '../settings';

/** What the menu shows. */
export type MenuState = {
  readonly appName: string;
  readonly platform: NodeJS.Platform;
  readonly settings: Settings;
  readonly displays: readonly { readonly id: number; readonly label: string }[];
  /** Development builds get Reload and DevTools; packaged ones do not. */
  readonly isPackaged: boolean;
  readonly quickCreateAccelerator: string | undefined;
};

/** Builds the application menu template. */
export function appMenuTemplate(
  state: MenuState,
  actions: AppActions,
): MenuItemConstructorOptions[] {
  const mac = state.platform === 'darwin';
  const s = state.settings;
  const create: MenuItemConstructorOptions[] = TICKET_KINDS.map((kind, i) => ({
    label: `New ${KIND_LABELS[kind]}`,
    ...(i === 0 && state.quickCreateAccelerator !== undefined
      ? { accelerator: state.quickCreateAccelerator, registerAccelerator: false }
      : {}),
    click: () => actions.quickCreate(kind),
  }));
  const preferences: MenuItemConstructorOptions[] = [
    {
      label: mac ? 'Close Window Hides to Menu Bar' : 'Close Window Hides to Tray',
      type: 'checkbox',
      checked: s.closeToTray,
      click: actions.toggleCloseToTray,
    },
    {
      label: 'Open at Login',
      type: 'checkbox',
      checked: s.launchAtLogin,
      click: actions.toggleLaunchAtLogin,
    },
    {
      label: 'Do Not Disturb',
      type: 'checkbox',
      checked: s.doNotDisturb,
      click: actions['toggle-do-not-disturb'],
    },
    {
      label: 'Work Offline',
      type: 'checkbox',
      checked: s.workOffline,
      click: actions['toggle-work-offline'],
    },
    { type: 'separator' },
    {
      label: 'Wallboard Display',
      submenu: [
        {
          label: 'Automatic (second display)',
          type: 'radio',
          checked: s.wallboard.displayId === null,
          click: () => actions.setWallboardDisplay(null),
        },
        ...state.displays.map((d): MenuItemConstructorOptions => ({
          label: d.label,
          type: 'radio',
          checked: s.wallboard.displayId === d.id,
          click: () => actions.setWallboardDisplay(d.id),
        })),
      ],
    },
    {
      label: 'Wallboard in Kiosk Mode',
      type: 'checkbox',
      checked: s.wallboard.kiosk,
      click: actions.toggleWallboardKiosk,
    },
  ];
  const appMenu: MenuItemConstructorOptions = {
    label: state.appName,
    submenu: [
      { role: 'about' },
      { type: 'separator' },
      { label: 'Settings', submenu: preferences },
      { type: 'separator' },
      { role: 'services' },
      { type: 'separator' },
      { role: 'hide' },
      { role: 'hideOthers' },
      { role: 'unhide' },
      { type: 'separator' },
      { role: 'quit' },
    ],
  };
  const file: MenuItemConstructorOptions = {
    label: '&File',
    submenu: [
      ...create,
      { type: 'separator' },
      { label: 'Open Wallboard', click: actions['open-wallboard'] },
      { label: 'Sync Now', accelerator: 'F5', click: actions['sync-now'] },
      { type: 'separator' },
      ...(mac
        ? [{ role: 'close' } as const]
        : [
            { label: 'Settings', submenu: preferences },
            { type: 'separator' } as const,
            { role: 'quit' } as const,
          ]),
    ],
  };
  const view: MenuItemConstructorOptions = {
    label: '&View',
    submenu: [
      ...(state.isPackaged
        ? []
        : [
            { role: 'reload' } as const,
            { role: 'toggleDevTools' } as const,
            { type: 'separator' } as const,
          ]),
      { role: 'resetZoom' },
      { role: 'zoomIn' },
      { role: 'zoomOut' },
      { type: 'separator' },
      { role: 'togglefullscreen' },
    ],
  };
  const windowMenu: MenuItemConstructorOptions = {
    role: 'window',
    submenu: [
      { role: 'minimize' },
      { role: 'zoom' },
      { label: 'Console', accelerator: 'CommandOrControl+0', click: actions['open-console'] },
      ...(mac
        ? [{ type: 'separator' } as const, { role: 'front' } as const]
        : [{ role: 'close' } as const]),
    ],
  };
  return [
    ...(mac ? [appMenu] : []),
    file,
    { role: 'editMenu' },
    view,
    windowMenu,
    { role: 'help', submenu: [{ label: `About ${state.appName}`, role: 'about' }] },
  ];
}
