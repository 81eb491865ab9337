/**
 * The console's preferences as kept in this device's storage (`localStorage`), checked field by
 * field when read back: storage is not trusted (another version, a hand edit, a broken disk),
 * so a bad field falls back to its default and every good one is kept.
 */
import { validateView, type QueueView } from '../../../shared/queue';

export type ThemeMode = 'system' | 'light' | 'dark';

/** The wallboard's settings (this device's). */
export type WallSettings = {
  /** Seconds between views in wall mode; 0 = no rotation. */
  readonly rotateSeconds: number;
  /** Desktop notification when a tile turns red. */
  readonly notifyOnRed: boolean;
  /** Compliance-now rate (0..1) under which the tile is amber / red. */
  readonly complianceAmber: number;
  readonly complianceRed: number;
  /** Breached tickets from which the tile is amber / red. */
  readonly breachedAmber: number;
  readonly breachedRed: number;
};

export const DEFAULT_WALL_SETTINGS: WallSettings = {
  rotateSeconds: 20,
  notifyOnRed: false,
  complianceAmber: 0.9,
  complianceRed: 0.8,
  breachedAmber: 1,
  breachedRed: 10,
};

/** What is persisted. */
export type UiPrefs = {
  readonly themeMode: ThemeMode;
  /** Saved custom views, by user name (this device's copy). */
  readonly savedViews: Readonly<Record<string, readonly QueueView[]>>;
  readonly viewId: string;
  readonly wall: WallSettings;
};

/** Most saved views kept per user, and most users per device. */
export const MAX_SAVED_VIEWS = 50;
const MAX_USERS = 50;

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function num(v: unknown, min: number, max: number, fallback: number, integer = false): number {
  return typeof v === 'number' &&
    Number.isFinite(v) &&
    v >= min &&
    v <= max &&
    (!integer || Number.isInteger(v))
    ? v
    : fallback;
}

/** Wall settings from storage or a form: each field checked, out-of-range ones defaulted. */
export function checkWallSettings(v: unknown): WallSettings {
  const o = isObject(v) ? v : {};
  const d = DEFAULT_WALL_SETTINGS;
  return {
    rotateSeconds: num(o.rotateSeconds, 0, 3600, d.rotateSeconds, true),
    notifyOnRed: typeof o.notifyOnRed === 'boolean' ? o.notifyOnRed : d.notifyOnRed,
    complianceAmber: num(o.complianceAmber, 0, 1, d.complianceAmber),
    complianceRed: num(o.complianceRed, 0, 1, d.complianceRed),
    breachedAmber: num(o.breachedAmber, 0, 1_000_000, d.breachedAmber, true),
    breachedRed: num(o.breachedRed, 0, 1_000_000, d.breachedRed, true),
  };
}

/** Preferences read back from storage, over `current` (the defaults). */
export function restoreUiPrefs(saved: unknown, current: UiPrefs): UiPrefs {
  const o = isObject(saved) ? saved : {};
  const savedViews: Record<string, QueueView[]> = {};
  if (isObject(o.savedViews)) {
    for (const [user, list] of Object.entries(o.savedViews).slice(0, MAX_USERS)) {
      if (!Array.isArray(list) || user.length > 200) continue;
      const views = list.flatMap((v: unknown) => {
        const r = validateView(v);
        return r.ok ? [r.view] : [];
      });
      Object.defineProperty(savedViews, user, {
        value: views.slice(0, MAX_SAVED_VIEWS),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
  }
  const themeMode =
    o.themeMode === 'system' || o.themeMode === 'light' || o.themeMode === 'dark'
      ? o.themeMode
      : current.themeMode;
  const viewId =
    typeof o.viewId === 'string' && /^[a-z0-9-]{1,60}$/.test(o.viewId) ? o.viewId : current.viewId;
  return { themeMode, savedViews, viewId, wall: checkWallSettings(o.wall) };
}
