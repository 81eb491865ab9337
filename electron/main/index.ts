/**
 * Electron main process: single instance, the app:// protocol, hardened sessions, the console
 * window and the IPC handlers. Kept thin: logic lives in modules tested in Node with a fake
 * `electron`; this file only wires them to the real one.
 */
import { app, BrowserWindow, ipcMain, net, protocol, session, shell } from 'electron';
import { join, resolve } from 'node:path';
import { handleAppRequest } from './app-protocol';
import { registerIpc } from './ipc/register';
import type { Logger } from './log';
import { createDeepLinkRouter, registerProtocolClient } from './os/deep-links';
import { APP_ORIGIN, hardenApp, isAllowedExternalUrl } from './security';

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

const log: Logger = { info: () => undefined, warn: () => undefined, error: () => undefined };
let consoleWindow: BrowserWindow | undefined;

if (!app.requestSingleInstanceLock()) app.quit();

const deepLinks = createDeepLinkRouter(
  {
    deliver: (url) => consoleWindow?.webContents.send('deeplink:opened', { url }),
    focus: () => showConsole(),
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

function createConsoleWindow(): BrowserWindow {
  const win = new BrowserWindow({
    width: 1400,
    height: 900,
    show: false,
    title: 'Switchboard',
    webPreferences: {
      preload: join(__dirname, 'preload.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      // The console replicates and raises SLA warnings while hidden in the tray.
      backgroundThrottling: false,
    },
  });
  win.once('ready-to-show', () => win.show());
  win.webContents.on('did-start-loading', () => deepLinks.setReady(false));
  win.webContents.on('did-finish-load', () => deepLinks.setReady(true));
  win.webContents.on('render-process-gone', () => win.reload());
  void win.loadURL(`${APP_ORIGIN}/index.html`);
  return win;
}

void app.whenReady().then(() => {
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
  registerIpc(ipcMain, {
    'app:get-info': () => ({
      name: app.getName(),
      version: app.getVersion(),
      platform: process.platform,
      shell: 'electron',
    }),
    'config:get-client': () => ({ couchUrl: `${APP_ORIGIN}/couch/`, dbPrefix }),
    'notifications:show': () => undefined,
    'sync:report-status': () => undefined,
  });
  registerProtocolClient(app, {
    platform: process.platform,
    defaultApp: process.defaultApp,
    execPath: process.execPath,
    appPath: process.argv[1] === undefined ? undefined : resolve(process.argv[1]),
  });
  showConsole();
  deepLinks.receiveArgv(process.argv, 'command line');
  app.on('second-instance', (_event, argv) => {
    showConsole();
    deepLinks.receiveArgv(argv, 'second instance');
  });
  app.on('activate', () => showConsole());
});

function showConsole(): void {
  if (!app.isReady()) return;
  if (!consoleWindow || consoleWindow.isDestroyed()) consoleWindow = createConsoleWindow();
  if (consoleWindow.isMinimized()) consoleWindow.restore();
  consoleWindow.show();
  consoleWindow.focus();
}

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});
