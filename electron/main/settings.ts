/**
 * Desktop settings (tray, wallboard, shortcut, window bounds per display layout), kept as JSON in
 * the user-data directory. The file is validated on read: a missing, corrupt or foreign file gives
 * the defaults and a log line, never a crash. Writes go to a temporary file then rename, so a
 * crash mid-write leaves the old file intact.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import type { Logger } from './log';

const rectSchema = z.object({
  x: z.number().int().min(-100_000).max(100_000),
  y: z.number().int().min(-100_000).max(100_000),
  width: z.number().int().min(1).max(100_000),
  height: z.number().int().min(1).max(100_000),
});

const windowStateSchema = z.object({ bounds: rectSchema, maximized: z.boolean().default(false) });

/** Layouts remembered at most (oldest dropped): docking stations make new keys all the time. */
export const MAX_LAYOUTS = 16;

/** Default quick-create shortcut. */
export const DEFAULT_QUICK_CREATE = 'CommandOrControl+Alt+N';

/** The settings file's schema; every field has a default so old files keep loading. */
export const settingsSchema = z.object({
  version: z.literal(1).default(1),
  /** Closing the console hides it to the tray instead of quitting. */
  closeToTray: z.boolean().default(true),
  launchAtLogin: z.boolean().default(false),
  doNotDisturb: z.boolean().default(false),
  /** The user's "Work offline" toggle from the tray. */
  workOffline: z.boolean().default(false),
  /** Electron accelerator, or null for no global shortcut. */
  quickCreateShortcut: z.string().min(1).max(60).nullable().default(DEFAULT_QUICK_CREATE),
  wallboard: z
    .object({
      /** Display id chosen by the user; null = automatic (non-primary when there are two). */
      displayId: z.number().int().nullable().default(null),
      fullScreen: z.boolean().default(true),
      /** Kiosk: full screen with no way out but the app's own menu (wall TVs). */
      kiosk: z.boolean().default(false),
    })
    .prefault({}),
  /** Console window state per display layout key (see placement.ts layoutKey). */
  layouts: z
    .record(z.string().max(2000), z.object({ console: windowStateSchema.optional() }))
    .default({}),
});

/** Validated settings. */
export type Settings = z.infer<typeof settingsSchema>;

/** The defaults. */
export function defaultSettings(): Settings {
  return settingsSchema.parse({});
}

/** The settings file's path in a user-data directory. */
export function settingsPath(userDataDir: string): string {
  return join(userDataDir, 'settings.json');
}

/** Where an unreadable settings file is kept, so the next save does not destroy it. */
export function setAsidePath(path: string): string {
  return `${path}.invalid`;
}

function setAside(path: string): string {
  try {
    renameSync(path, setAsidePath(path));
    return `kept as ${setAsidePath(path)}`;
  } catch (err) {
    return `could not keep a copy (${String(err)})`;
  }
}

/**
 * Reads settings; anything wrong with the file gives the defaults and a warning, and the bad file
 * is kept next to it (`settings.json.invalid`) for the user or support to look at.
 */
export function loadSettings(path: string, log: Logger): Settings {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT')
      log.warn(`settings: could not read ${path}: ${String(err)}; using defaults`);
    return defaultSettings();
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    log.warn(`settings: ${path} is not JSON; ${setAside(path)}; using defaults`);
    return defaultSettings();
  }
  const parsed = settingsSchema.safeParse(raw);
  if (!parsed.success) {
    log.warn(
      `settings: ${path} is invalid (${parsed.error.issues.length} issues); ${setAside(path)}; using defaults`,
    );
    return defaultSettings();
  }
  return parsed.data;
}

/** Writes settings atomically. Returns false (and logs) when the disk refuses. */
export function saveSettings(path: string, settings: Settings, log: Logger): boolean {
  const valid = settingsSchema.parse(settings);
  const tmp = `${path}.${process.pid}.tmp`;
  try {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(tmp, JSON.stringify(valid, null, 2), { encoding: 'utf8', mode: 0o600 });
    renameSync(tmp, path);
    return true;
  } catch (err) {
    log.error(`settings: could not write ${path}: ${String(err)}`);
    return false;
  }
}

/** Settings with the console's state for `layout` remembered (bounded number of layouts). */
export function rememberConsoleState(
  settings: Settings,
  layout: string,
  state: Settings['layouts'][string]['console'],
): Settings {
  const rest = Object.entries(settings.layouts).filter(([k]) => k !== layout);
  const kept = rest.slice(Math.max(0, rest.length - (MAX_LAYOUTS - 1)));
  return { ...settings, layouts: Object.fromEntries([...kept, [layout, { console: state }]]) };
}

/** The live settings of the running app: read once, written on every change. */
export type SettingsStore = {
  readonly get: () => Settings;
  readonly update: (change: (s: Settings) => Settings) => Settings;
};

/** Opens the settings file at `path`. */
export function openSettingsStore(path: string, log: Logger): SettingsStore {
  let current = loadSettings(path, log);
  return {
    get: () => current,
    update: (change) => {
      const next = settingsSchema.safeParse(change(current));
      if (!next.success) {
        log.error(`settings: refused an invalid change: ${next.error.message}`);
        return current;
      }
      current = next.data;
      saveSettings(path, current, log);
      return current;
    },
  };
}
