/**
 * Electron main process: single instance, the app:// protocol, hardened sessions, windows and the
 * IPC handlers. Kept thin: logic lives in modules tested in Node with a fake `electron`; this file
 * only wires them to the real one.
 */
import {
  app,
  BrowserWindow,
  ipcMain,
  Menu,
  nativeImage,
  net,
  Notification,
  protocol,
  screen,
  session,
  shell,
  Tray,
} from 'electron';
import electronLog from 'electron-log/main';
import { join, resolve } from 'node:path';
import { handleAppRequest } from './app-protocol';
import { createAppActions } from './app-actions';
import { registerIpc, registerSendHandlers } from './ipc/register';
import type { Logger } from './log';
import { createDeepLinkRouter, registerProtocolClient } from './os/deep-links';
import { createNotifier } from './os/notifier';
import { createTray, type TrayController } from './os/tray';
import { APP_ORIGIN, hardenApp, isAllowedExternalUrl } from './security';
import { openSettingsStore, settingsPath } from './settings';
import { createWindowManager, type WindowManager } from './windows/window-manager';

protocol.registerSchemesAsPrivileged([
  {
    scheme: 'app',
    privileges: {
      standard: true,
      secure: true,
      supportFetchAPI: true,
      corsEnabled: false,
      stream: true,
    },
  },
]);

const couchUrl = process.env.SWITCHBOARD_COUCH_URL ?? 'http://127.0.0.1:5984';
const dbPrefix = process.env.SWITCHBOARD_DB_PREFIX ?? 'sb_';
const rendererDir = join(__dirname, '..', 'renderer');
const log: Logger = electronLog;
let windows: WindowManager | undefined;
let onConsoleLoaded = (): void => undefined;

if (!app.requestSingleInstanceLock()) app.quit();

const deepLinks = createDeepLinkRouter(
  {
    deliver: (url) => windows?.sendToConsole('deeplink:opened', { url }),
    focus: () => void windows?.showConsole(),
  },
  log,
);
// macOS delivers links with open-url, possibly before 'ready'; the router holds them.
app.on('will-finish-launching', () => {
  app.on('open-url', (event, url) => {
    event.preventDefault();
    deepLinks.receive(url, 'open-url');
  });
});

void app.whenReady().then(() => {
  log.info(`switchboard ${app.getVersion()} starting on ${process.platform}`);
  hardenApp(app, session.defaultSession, (url) => {
    if (isAllowedExternalUrl(url)) void shell.openExternal(url);
  });
  protocol.handle('app', (request) =>
    handleAppRequest(request, {
      rendererDir,
      couchUrl,
      dbPrefix,
      fetch: (u, init) => net.fetch(u, init),
    }),
  );
  const settings = openSettingsStore(settingsPath(app.getPath('userData')), log);
  windows = createWindowManager({
    createWindow: (options) => new BrowserWindow(options),
    screen,
    preload: join(__dirname, 'preload.cjs'),
    settings,
    log,
    onConsoleReady: (ready) => {
      deepLinks.setReady(ready);
      if (ready) onConsoleLoaded();
    },
  });
  const wm = windows;
  let tray: TrayController | undefined = undefined;
  const actions = createAppActions({
    windows: wm,
    settings,
    onPreferencesChanged: () => {
      const s = settings.get();
      tray?.setPreferences({ workOffline: s.workOffline, doNotDisturb: s.doNotDisturb });
    },
    quit: () => app.quit(),
  });
  onConsoleLoaded = actions.announceWorkOffline;
  tray = createTray(
    {
      createTray: (image) => new Tray(image),
      buildMenu: (template) => Menu.buildFromTemplate(template),
      imageFromPng: (png, scaleFactor) => nativeImage.createFromBuffer(png, { scaleFactor }),
      app,
      platform: process.platform,
      consoleWindow: () => wm.consoleWindow(),
      actions,
      log,
    },
    { workOffline: settings.get().workOffline, doNotDisturb: settings.get().doNotDisturb },
  );
  const trayController = tray;
  const notifier = createNotifier({
    createNotification: (options) => new Notification(options),
    isSupported: () => Notification.isSupported(),
    doNotDisturb: () => settings.get().doNotDisturb,
    onClick: (ticketNumber) => {
      wm.showConsole();
      if (ticketNumber !== undefined) wm.sendToConsole('notifications:clicked', { ticketNumber });
    },
    log,
  });
  registerIpc(ipcMain, {
    'app:get-info': () => ({
      name: app.getName(),
      version: app.getVersion(),
      platform: process.platform,
      shell: 'electron',
    }),
    'config:get-client': () => ({ couchUrl: `${APP_ORIGIN}/couch/`, dbPrefix }),
    'notifications:show': (n) => void notifier.show(n),
    'sync:report-status': (status) => trayController.setSync(status),
  });
  registerSendHandlers(
    ipcMain,
    {
      'tray:report-counts': (counts) => trayController.setCounts(counts),
      'notifications:report-events': (events) => void notifier.report(events),
      'windows:open-ticket': ({ ticketNumber }) => void wm.openTicket(ticketNumber),
      'windows:open-wallboard': () => void wm.openWallboard(),
    },
    log,
  );
  registerProtocolClient(app, {
    platform: process.platform,
    defaultApp: process.defaultApp,
    execPath: process.execPath,
    appPath: process.argv[1] === undefined ? undefined : resolve(process.argv[1]),
  });
  wm.showConsole();
  deepLinks.receiveArgv(process.argv, 'command line');
  app.on('second-instance', (_event, argv) => {
    wm.showConsole();
    deepLinks.receiveArgv(argv, 'second instance');
  });
  app.on('activate', () => void wm.showConsole());
  app.on('before-quit', () => {
    wm.saveConsoleState();
    wm.setQuitting();
  });
});

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});
