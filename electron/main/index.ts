/**
 * Electron main process: single instance, the app:// protocol, hardened sessions, the console
 * window and the IPC handlers. Kept thin: logic lives in modules tested in Node with a fake
 * `electron`; this file only wires them to the real one.
 */
import { app, BrowserWindow, ipcMain, net, protocol, session, shell } from 'electron';
import { join } from 'node:path';
import { handleAppRequest } from './app-protocol';
import { registerIpc } from './ipc/register';
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

if (!app.requestSingleInstanceLock()) app.quit();

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
  let win = createConsoleWindow();
  app.on('second-instance', () => {
    if (win.isDestroyed()) win = createConsoleWindow();
    if (win.isMinimized()) win.restore();
    win.focus();
  });
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) win = createConsoleWindow();
  });
});

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});
