/**
 * Launch at login. macOS and Windows have app.setLoginItemSettings; Linux desktops read an XDG
 * autostart entry, which this module writes and removes. Started at login, the app opens to the
 * tray only (`--hidden`), so an agent's desk is syncing before they open it.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { App } from 'electron';
import type { Logger } from '../log';

/** The command-line flag that starts the app in the tray. */
export const HIDDEN_FLAG = '--hidden';

/** Whether this start should stay in the tray. */
export function startsHidden(argv: readonly string[], openedAtLogin: boolean): boolean {
  return openedAtLogin || argv.includes(HIDDEN_FLAG);
}

/** The XDG autostart entry for `exec` (the AppImage path or the installed binary). */
export function autostartEntry(exec: string): string {
  // Desktop entry Exec values quote arguments with double quotes and escape ", `, $ and \.
  const quoted = `"${exec.replace(/(["`$\\])/g, '\\$1')}"`;
  return [
    '[Desktop Entry]',
    'Type=Application',
    'Name=Switchboard',
    `Exec=${quoted} ${HIDDEN_FLAG}`,
    'X-GNOME-Autostart-enabled=true',
    'Terminal=false',
    '',
  ].join('\n');
}

/** Where the Linux autostart entry lives. */
export function autostartPath(configHome: string): string {
  return join(configHome, 'autostart', 'switchboard.desktop');
}

/** Applies the launch-at-login preference for this platform. */
export function applyLoginItem(
  app: Pick<App, 'setLoginItemSettings'>,
  env: {
    readonly platform: NodeJS.Platform;
    /** The executable to start: $APPIMAGE for an AppImage, else process.execPath. */
    readonly exec: string;
    /** $XDG_CONFIG_HOME or ~/.config. */
    readonly configHome: string;
  },
  enabled: boolean,
  log: Logger,
): void {
  if (env.platform === 'darwin' || env.platform === 'win32') {
    app.setLoginItemSettings({ openAtLogin: enabled, args: [HIDDEN_FLAG] });
    return;
  }
  const path = autostartPath(env.configHome);
  try {
    if (enabled) {
      mkdirSync(join(env.configHome, 'autostart'), { recursive: true });
      writeFileSync(path, autostartEntry(env.exec), { mode: 0o644 });
    } else {
      rmSync(path, { force: true });
    }
  } catch (err) {
    log.warn(`launch at login: could not update ${path}: ${String(err)}`);
  }
}
