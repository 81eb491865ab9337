/**
 * The app's windows: the console (hides to the tray, keeps replicating while hidden), the
 * wallboard (on its display, full screen or kiosk) and ticket pop-outs. Takes Electron's window
 * constructor and screen as parameters so it runs in Node tests with fakes.
 */
import type { BrowserWindow, Display, Screen } from 'electron';
import { parseTicketNumber } from '../../../shared/domain/numbering';
import { eventChannels, type EventChannel, type EventPayload } from '../../../shared/ipc/contract';
import { windowRouteHash, type WindowRoute } from '../../../shared/ipc/window-routes';
import type { Logger } from '../log';
import { APP_ORIGIN } from '../security';
import { rememberConsoleState, type SettingsStore } from '../settings';
import {
  centreIn,
  chooseWallboardDisplay,
  layoutKey,
  restoreBounds,
  type DisplayInfo,
} from './placement';
import type { AppWindowSpec } from './create-window';
import { reloadDecision } from './window-options';

/** What the window manager needs from Electron and the rest of the app. */
export type WindowDeps = {
  /** createAppWindow with the preload bound (tests pass a fake). */
  readonly createWindow: (spec: AppWindowSpec) => BrowserWindow;
  readonly screen: Pick<Screen, 'getAllDisplays' | 'getPrimaryDisplay' | 'getDisplayMatching'>;
  readonly settings: SettingsStore;
  readonly log: Logger;
  /** Called with true when the console page has loaded, false when it starts (re)loading. */
  readonly onConsoleReady: (ready: boolean) => void;
  readonly now?: () => number;
};

/** Default console size when nothing is remembered. */
export const CONSOLE_SIZE = { width: 1400, height: 900 } as const;
const POPOUT_SIZE = { width: 960, height: 820 } as const;
/** Events held for a console page that is still loading. */
export const MAX_PENDING_EVENTS = 20;

/** The app's windows. */
export type WindowManager = {
  readonly showConsole: () => BrowserWindow;
  /** Creates the console at startup; hidden when the app was started at login (tray only). */
  readonly startConsole: (visible: boolean) => BrowserWindow;
  readonly consoleWindow: () => BrowserWindow | undefined;
  readonly openWallboard: () => BrowserWindow;
  readonly openTicket: (number: string) => BrowserWindow | undefined;
  /**
   * Sends a validated event to the console page; while the page is (re)loading, events wait (the
   * newest `MAX_PENDING_EVENTS`) and go out when it has loaded.
   */
  readonly sendToConsole: <C extends EventChannel>(channel: C, payload: EventPayload<C>) => void;
  /** Lets the console close for real (Quit). */
  readonly setQuitting: () => void;
  /** Saves the console's bounds for the current display layout. */
  readonly saveConsoleState: () => void;
};

const toInfo = (d: Display): DisplayInfo => ({ id: d.id, bounds: d.bounds, workArea: d.workArea });

const routeUrl = (route: WindowRoute): string =>
  `${APP_ORIGIN}/index.html${windowRouteHash(route)}`;

/** Creates the window manager. */
export function createWindowManager(deps: WindowDeps): WindowManager {
  const now = deps.now ?? Date.now;
  let consoleWin: BrowserWindow | undefined;
  let wallboardWin: BrowserWindow | undefined;
  const popouts = new Map<string, BrowserWindow>();
  let quitting = false;
  let consoleReady = false;
  let pendingEvents: { channel: EventChannel; payload: unknown }[] = [];

  const alive = (w: BrowserWindow | undefined): w is BrowserWindow =>
    w !== undefined && !w.isDestroyed();

  const displays = (): DisplayInfo[] => deps.screen.getAllDisplays().map(toInfo);

  const watchCrashes = (win: BrowserWindow, name: string): void => {
    let crashes: readonly number[] = [];
    win.webContents.on('render-process-gone', (_event, details) => {
      const d = reloadDecision(details.reason, crashes, now());
      crashes = d.crashes;
      if (d.reload) {
        deps.log.warn(`${name}: renderer gone (${details.reason}); reloading`);
        win.webContents.reload();
      } else if (details.reason !== 'clean-exit') {
        deps.log.error(`${name}: renderer keeps crashing (${details.reason}); not reloading`);
      }
    });
  };

  const focus = (win: BrowserWindow): BrowserWindow => {
    if (win.isMinimized()) win.restore();
    win.show();
    win.focus();
    return win;
  };

  const saveConsoleState = (): void => {
    if (!alive(consoleWin)) return;
    const win = consoleWin;
    const key = layoutKey(displays());
    deps.settings.update((s) =>
      rememberConsoleState(s, key, {
        bounds: win.getNormalBounds(),
        maximized: win.isMaximized(),
      }),
    );
  };

  const createConsole = (visible = true): BrowserWindow => {
    const all = displays();
    const remembered = deps.settings.get().layouts[layoutKey(all)]?.console;
    const bounds = restoreBounds(
      remembered?.bounds,
      all,
      deps.screen.getPrimaryDisplay().id,
      CONSOLE_SIZE,
    );
    const win = deps.createWindow({
      chrome: { ...bounds, title: 'Switchboard' },
      // The console replicates and raises SLA warnings while hidden in the tray.
      backgroundThrottling: false,
    });
    if (remembered?.maximized && visible) win.maximize();
    if (visible) win.once('ready-to-show', () => win.show());
    win.webContents.on('did-start-loading', () => {
      consoleReady = false;
      deps.onConsoleReady(false);
    });
    win.webContents.on('did-finish-load', () => {
      consoleReady = true;
      for (const e of pendingEvents.splice(0)) win.webContents.send(e.channel, e.payload);
      deps.onConsoleReady(true);
    });
    win.on('close', (event) => {
      saveConsoleState();
      if (!quitting && deps.settings.get().closeToTray) {
        event.preventDefault();
        win.hide();
      }
    });
    win.on('closed', () => {
      consoleReady = false;
      deps.onConsoleReady(false);
    });
    watchCrashes(win, 'console');
    void win.loadURL(routeUrl({ view: 'console' }));
    return win;
  };

  const sendToConsole: WindowManager['sendToConsole'] = (channel, payload) => {
    const parsed = eventChannels[channel].safeParse(payload);
    if (!parsed.success) {
      deps.log.error(`refused to send an invalid ${channel} event`);
      return;
    }
    if (alive(consoleWin) && consoleReady) consoleWin.webContents.send(channel, parsed.data);
    else
      pendingEvents = [...pendingEvents, { channel, payload: parsed.data }].slice(
        -MAX_PENDING_EVENTS,
      );
  };

  return {
    startConsole: (visible) => {
      if (!alive(consoleWin)) consoleWin = createConsole(visible);
      return consoleWin;
    },
    showConsole: () => {
      if (!alive(consoleWin)) consoleWin = createConsole();
      return focus(consoleWin);
    },
    consoleWindow: () => (alive(consoleWin) ? consoleWin : undefined),
    openWallboard: () => {
      if (alive(wallboardWin)) return focus(wallboardWin);
      const { wallboard } = deps.settings.get();
      const primary = deps.screen.getPrimaryDisplay();
      const target =
        chooseWallboardDisplay(displays(), primary.id, wallboard.displayId) ?? toInfo(primary);
      const win = deps.createWindow({
        chrome: {
          ...centreIn(target.workArea, { width: 1600, height: 900 }),
          title: 'Switchboard — Wallboard',
          fullscreen: wallboard.fullScreen || wallboard.kiosk,
          kiosk: wallboard.kiosk,
          autoHideMenuBar: true,
        },
        // A wall TV shows it unattended; it must update even when another window covers it.
        backgroundThrottling: false,
      });
      win.once('ready-to-show', () => win.show());
      win.on('closed', () => (wallboardWin = undefined));
      watchCrashes(win, 'wallboard');
      void win.loadURL(routeUrl({ view: 'wallboard' }));
      deps.log.info(`wallboard opened on display ${target.id}`);
      wallboardWin = win;
      return win;
    },
    openTicket: (text) => {
      const parsed = parseTicketNumber(text);
      if (!parsed.ok) {
        deps.log.warn(`pop-out refused: ${parsed.error}`);
        return undefined;
      }
      const existing = popouts.get(parsed.number);
      if (alive(existing)) return focus(existing);
      const near = alive(consoleWin)
        ? deps.screen.getDisplayMatching(consoleWin.getBounds())
        : deps.screen.getPrimaryDisplay();
      const win = deps.createWindow({
        chrome: {
          ...centreIn(near.workArea, POPOUT_SIZE),
          title: `Switchboard — ${parsed.number}`,
        },
        backgroundThrottling: true,
      });
      popouts.set(parsed.number, win);
      win.once('ready-to-show', () => win.show());
      win.on('closed', () => popouts.delete(parsed.number));
      watchCrashes(win, `pop-out ${parsed.number}`);
      void win.loadURL(routeUrl({ view: 'ticket', number: parsed.number }));
      return win;
    },
    sendToConsole,
    setQuitting: () => {
      quitting = true;
    },
    saveConsoleState,
  };
}
