/**
 * Presence: who is looking at or editing which ticket right now. Online-only by nature, so it
 * lives in its own server database (one document per person, `presence:<name>`) that is never
 * replicated into the local store; each person may write only their own document. Pure.
 */

/** How long a presence report counts without a heartbeat. */
export const PRESENCE_TTL_MS = 60_000;
/** How often a client repeats its report while it stays on a ticket. */
export const PRESENCE_HEARTBEAT_MS = 20_000;

/** One person's report. */
export type Presence = {
  readonly user: string;
  readonly ticketNumber: string | null;
  readonly editing: boolean;
  /** When the client reported it (ISO 8601). */
  readonly at: string;
};

/** The document id for `user`. */
export function presenceId(user: string): string {
  return `presence:${user}`;
}

/** Reads a stored document as a Presence, or null when it is not one. */
export function toPresence(doc: unknown): Presence | null {
  if (typeof doc !== 'object' || doc === null) return null;
  const d = doc as Record<string, unknown>;
  if (typeof d.user !== 'string' || typeof d.at !== 'string' || typeof d.editing !== 'boolean')
    return null;
  if (d.ticketNumber !== null && typeof d.ticketNumber !== 'string') return null;
  if (Number.isNaN(Date.parse(d.at))) return null;
  return { user: d.user, ticketNumber: d.ticketNumber, editing: d.editing, at: d.at };
}

/** Server-side check of a presence write by `userName` (null reason = allowed). */
export function presenceWriteError(
  doc: Record<string, unknown> & { readonly _id: string; readonly _deleted?: boolean },
  userName: string,
): string | null {
  if (doc._id !== presenceId(userName)) return 'You may only report your own presence.';
  if (doc._deleted) return null;
  const p = toPresence(doc);
  if (!p) return 'A presence report needs user, ticketNumber (or null), editing and at.';
  if (p.user !== userName) return 'You may only report your own presence.';
  if (p.ticketNumber !== null && p.ticketNumber.length > 40) return 'Ticket number too long.';
  return null;
}

/** The other people on `ticketNumber` whose reports are fresh at `now`, editors first. */
export function othersOn(
  reports: Iterable<Presence>,
  ticketNumber: string,
  me: string,
  now: number,
): readonly Presence[] {
  const out: Presence[] = [];
  for (const p of reports) {
    if (p.user === me || p.ticketNumber !== ticketNumber) continue;
    if (now - Date.parse(p.at) > PRESENCE_TTL_MS) continue;
    out.push(p);
  }
  return out.sort((a, b) => Number(b.editing) - Number(a.editing) || a.user.localeCompare(b.user));
}

/** Everyone whose report is fresh at `now` (for "online" on the wallboard). */
export function onlineUsers(reports: Iterable<Presence>, now: number): ReadonlySet<string> {
  const out = new Set<string>();
  for (const p of reports) if (now - Date.parse(p.at) <= PRESENCE_TTL_MS) out.add(p.user);
  return out;
}
