/**
 * What a signed-in user was doing on this device (open ticket tabs, the selected view, unsent
 * notes and replies), kept in `localStorage` under a key of their own so it survives a reload
 * and a second user on the same device never sees it. Storage is not trusted (another
 * version, a hand edit, a full disk): what is read back is checked field by field and whatever
 * does not parse is dropped, so bad data never stops the console from starting.
 */
import type { ComposerMode } from '../features/ticket/Composer';

/** An unsent note or reply in a ticket's composer. */
export type Draft = { readonly mode: ComposerMode; readonly body: string };

export type UserSession = {
  readonly tabs: readonly string[];
  readonly activeTab: string | null;
  /** null: none stored (the console's default view applies). */
  readonly viewId: string | null;
  /** Unsent drafts by ticket number. */
  readonly drafts: Readonly<Record<string, Draft>>;
};

export const EMPTY_USER_SESSION: UserSession = {
  tabs: [],
  activeTab: null,
  viewId: null,
  drafts: {},
};

/** Limits on what is kept: most tabs (as the tab strip), drafts, and characters per draft. */
export const MAX_STORED_TABS = 8;
export const MAX_DRAFTS = 100;
export const MAX_DRAFT_CHARS = 100_000;

const STORAGE_VERSION = 1;
const KEY_PREFIX = 'switchboard.session.';

/** The storage key of one user's session on this device. */
export function userSessionKey(user: string): string {
  return `${KEY_PREFIX}${encodeURIComponent(user)}`;
}

// A ticket number as stored: the kind prefix and a short upper-case body (any numbering
// scheme the desk has used; tabs naming a ticket not on this device show as not found).
const TICKET_NUMBER_RE = /^[A-Z]{2,5}-[A-Z0-9]{1,24}$/;
const VIEW_ID_RE = /^[a-z0-9-]{1,60}$/;

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

const isTicketNumber = (v: unknown): v is string =>
  typeof v === 'string' && TICKET_NUMBER_RE.test(v);

/** A stored session read back: each field checked; a bad field is dropped, good ones kept. */
export function parseUserSession(raw: unknown): UserSession {
  if (!isObject(raw) || raw.v !== STORAGE_VERSION) return EMPTY_USER_SESSION;
  const tabs = Array.isArray(raw.tabs)
    ? [...new Set(raw.tabs.filter(isTicketNumber))].slice(-MAX_STORED_TABS)
    : [];
  const activeTab =
    isTicketNumber(raw.activeTab) && tabs.includes(raw.activeTab) ? raw.activeTab : null;
  const viewId = typeof raw.viewId === 'string' && VIEW_ID_RE.test(raw.viewId) ? raw.viewId : null;
  const drafts: Record<string, Draft> = {};
  if (isObject(raw.drafts)) {
    let kept = 0;
    for (const [number, d] of Object.entries(raw.drafts)) {
      if (kept >= MAX_DRAFTS) break;
      if (!isTicketNumber(number) || !isObject(d)) continue;
      if (d.mode !== 'work-note' && d.mode !== 'reply') continue;
      if (typeof d.body !== 'string' || d.body.trim() === '' || d.body.length > MAX_DRAFT_CHARS)
        continue;
      // defineProperty: a key such as `__proto__` is data here, never the prototype.
      Object.defineProperty(drafts, number, {
        value: { mode: d.mode, body: d.body },
        enumerable: true,
        writable: true,
        configurable: true,
      });
      kept++;
    }
  }
  return { tabs, activeTab, viewId, drafts };
}

/** The text stored for a session (the inverse of `parseUserSession` on valid input). */
export function serializeUserSession(s: UserSession): string {
  return JSON.stringify({
    v: STORAGE_VERSION,
    tabs: s.tabs,
    activeTab: s.activeTab,
    viewId: s.viewId,
    drafts: s.drafts,
  });
}

/** Reads a user's session from `storage`; unreadable text gives the empty session. */
export function readUserSession(storage: Pick<Storage, 'getItem'>, user: string): UserSession {
  try {
    const text = storage.getItem(userSessionKey(user));
    return text === null ? EMPTY_USER_SESSION : parseUserSession(JSON.parse(text));
  } catch {
    return EMPTY_USER_SESSION;
  }
}

/**
 * Writes a user's session to `storage`. A failed write (storage full or disabled) is reported
 * as false: the console keeps working with what is in memory.
 */
export function writeUserSession(
  storage: Pick<Storage, 'setItem'>,
  user: string,
  s: UserSession,
): boolean {
  try {
    storage.setItem(userSessionKey(user), serializeUserSession(s));
    return true;
  } catch {
    return false;
  }
}
