/**
 * Electron main process: single instance, the app:// protocol, hardened sessions, windows and the
 * IPC handlers. Kept thin: logic lives in modules tested in Node with a fake `electron`; this file
 * only wires them to the real one.
 */
import {
  app,
  ipcMain,
  Menu,
  nativeImage,
  globalShortcut,
  net,
  Notification,
  powerMonitor,
  protocol,
  safeStorage,
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
import { appMenuTemplate } from './os/app-menu';
import {
  createCredentialStore,
  credentialsPath,
  encryptionCheck,
  signInWithSaved,
} from './os/credentials';
import { applyLoginItem, startsHidden } from './os/login-item';
import { createNotifier } from './os/notifier';
import { watchPower } from './os/power';
import { registerQuickCreate } from './os/shortcut';
import { createTray } from './os/tray';
import { APP_ORIGIN, hardenApp, isAllowedExternalUrl } from './security';
import { openSettingsStore, settingsPath } from './settings';
import { createAppWindow } from './windows/create-window';
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
    // Reviewed: only https links without credentials leave the app (security.ts).
    if (!isAllowedExternalUrl(url)) return;
    void shell.openExternal(url); // eng-disable OPEN_EXTERNAL_JS_CHECK
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
    createWindow: (spec) => createAppWindow(join(__dirname, 'preload.cjs'), spec),
    screen,
    settings,
    log,
    onConsoleReady: (ready) => {
      deepLinks.setReady(ready);
      if (ready) onConsoleLoaded();
    },
  });
  const wm = windows;
  let applied = settings.get();
  let unregisterShortcut = (): void => undefined;
  const registerShortcut = (): void => {
    unregisterShortcut();
    unregisterShortcut = registerQuickCreate(
      globalShortcut,
      settings.get().quickCreateShortcut,
      () => actions.quickCreate('incident'),
      log,
    );
  };
  const loginItemEnv = {
    platform: process.platform,
    exec: process.env.APPIMAGE ?? process.execPath,
    configHome: process.env.XDG_CONFIG_HOME ?? join(app.getPath('home'), '.config'),
  };
  const rebuildMenu = (): void => {
    const s = settings.get();
    const menu = appMenuTemplate(
      {
        appName: app.getName(),
        platform: process.platform,
        settings: s,
        displays: screen.getAllDisplays().map((d, i) => ({
          id: d.id,
          label: d.label || `Display ${i + 1} (${d.size.width}×${d.size.height})`,
        })),
        isPackaged: app.isPackaged,
        quickCreateAccelerator: s.quickCreateShortcut ?? undefined,
      },
      actions,
    );
    Menu.setApplicationMenu(Menu.buildFromTemplate(menu));
  };
  const actions = createAppActions({
    windows: wm,
    settings,
    onPreferencesChanged: () => {
      const s = settings.get();
      trayController.setPreferences({ workOffline: s.workOffline, doNotDisturb: s.doNotDisturb });
      if (s.launchAtLogin !== applied.launchAtLogin)
        applyLoginItem(app, loginItemEnv, s.launchAtLogin, log);
      if (s.quickCreateShortcut !== applied.quickCreateShortcut) registerShortcut();
      applied = s;
      rebuildMenu();
    },
    quit: () => app.quit(),
  });
  onConsoleLoaded = actions.announceWorkOffline;
  const trayController = createTray(
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
    { workOffline: applied.workOffline, doNotDisturb: applied.doNotDisturb },
  );
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
  const credentials = createCredentialStore(
    credentialsPath(app.getPath('userData')),
    safeStorage,
    process.platform,
    log,
  );
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
    'credentials:save': (c) => credentials.save(c),
    'credentials:sign-in': () =>
      signInWithSaved(
        credentials,
        `${couchUrl}/_session`,
        (u, init) => net.fetch(u, init),
        (name, value) =>
          session.defaultSession.cookies.set({
            url: `${APP_ORIGIN}/`,
            name,
            value,
            path: '/',
            httpOnly: true,
            sameSite: 'strict',
          }),
      ),
    'credentials:clear': () => credentials.clear(),
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
  watchPower(powerMonitor, {
    requestSync: (p) => {
      if (!settings.get().workOffline) wm.sendToConsole('sync:requested', p);
    },
    requestFlush: (p) => wm.sendToConsole('sync:flush-requested', p),
  });
  registerProtocolClient(app, {
    platform: process.platform,
    defaultApp: process.defaultApp,
    execPath: process.execPath,
    appPath: process.argv[1] === undefined ? undefined : resolve(process.argv[1]),
  });
  applyLoginItem(app, loginItemEnv, applied.launchAtLogin, log);
  const keychain = encryptionCheck(safeStorage, process.platform);
  log.info(`credential storage: ${keychain.ok ? 'OS keychain available' : keychain.reason}`);
  registerShortcut();
  rebuildMenu();
  screen.on('display-added', rebuildMenu);
  screen.on('display-removed', rebuildMenu);

  const openedAtLogin =
    process.platform === 'darwin' && app.getLoginItemSettings().wasOpenedAtLogin;
  wm.startConsole(!startsHidden(process.argv, openedAtLogin));
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
  app.on('will-quit', () => globalShortcut.unregisterAll());
});

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});
