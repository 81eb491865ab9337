/**
 * Server-side truth for the metadata of a write (docs/security.md, "Metadata"): who and when a
 * document says it was written, and the SLA clock, checked against the signed-in user and the
 * server's clock. Run in validate_doc_update next to the other rules; pure (the time is a
 * parameter). Offline work keeps its past times: only times ahead of the server's clock by more
 * than MAX_CLOCK_SKEW_MS are refused, whatever the device's clock said when it was written.
 *
 * Server admins (`_admin`: the server's own tools, the conflict resolver, provisioning) are not
 * checked here. The `admin` role may write other people's names (an import writes history as it
 * happened, issue 27), but not times ahead of the server.
 */
import { isDoneState, isPausedState, STATE_MACHINES } from './state-machine';
import type { TicketKind } from './kinds';
import { ON_HOLD_REASONS } from './ticket';
import { stableJson } from './merge';
import { isAdminImportWrite } from './imported';

/** How far ahead of the server's clock a written time may be (device clocks drift). */
export const MAX_CLOCK_SKEW_MS = 5 * 60_000;
/** Largest `data` of an activity entry, serialised (a signature image fits many times). */
export const MAX_ACTIVITY_DATA_CHARS = 1024 * 1024;

type Doc = Record<string, unknown>;
type User = { readonly name: string; readonly roles: readonly string[] };

const aheadOf = (iso: unknown, nowMs: number): boolean =>
  typeof iso === 'string' && Date.parse(iso) > nowMs + MAX_CLOCK_SKEW_MS;

type Pause = { readonly from: unknown; readonly to: unknown };
type Clock = { respondedAt?: unknown; resolvedAt?: unknown; pauses?: unknown };

const clockOf = (d: Doc): Clock => (typeof d.sla === 'object' && d.sla !== null ? d.sla : {});
const pausesOf = (c: Clock): Pause[] =>
  Array.isArray(c.pauses) ? (c.pauses as Pause[]).filter((p) => typeof p === 'object' && p) : [];

/** Why the SLA clock of `next` is not one transitions (and merges of them) could have made. */
function slaError(
  kind: TicketKind,
  prev: Doc | null,
  next: Doc,
  nowMs: number,
  imported: boolean,
): string | null {
  const before = prev ? clockOf(prev) : null;
  const after = clockOf(next);
  if (before && JSON.stringify(before) === JSON.stringify(after)) return null;
  const timesOf = (c: Clock): unknown[] => [
    c.respondedAt,
    c.resolvedAt,
    ...pausesOf(c).flatMap((p) => [p.from, p.to]),
  ];
  // Only times this write brings are judged: a stored one (a desk's data from before this rule)
  // must not block every later edit of the ticket.
  const stored = new Set(before ? timesOf(before) : []);
  if (timesOf(after).some((t) => !stored.has(t) && aheadOf(t, nowMs)))
    return 'SLA times cannot be ahead of the server’s clock.';
  const state = String(next.state);
  const done = isDoneState(kind, state);
  if (done !== (after.resolvedAt !== null && after.resolvedAt !== undefined))
    return done
      ? 'A resolved ticket says when it was resolved (sla.resolvedAt).'
      : 'Only a resolved ticket has sla.resolvedAt; it changes only by a transition.';
  if (state !== STATE_MACHINES[kind].initial && (after.respondedAt ?? null) === null)
    return 'A ticket that has moved on says when it was first responded to (sla.respondedAt).';
  if (before) {
    // Merges take the earliest response; nothing else moves a recorded one.
    if (
      typeof before.respondedAt === 'string' &&
      (typeof after.respondedAt !== 'string' || after.respondedAt > before.respondedAt)
    )
      return 'The recorded first response (sla.respondedAt) cannot be cleared or moved later.';
    // Recorded pauses stay; an open one may only be closed.
    const kept = new Map(pausesOf(after).map((p) => [String(p.from), p.to]));
    for (const p of pausesOf(before)) {
      if (!kept.has(String(p.from))) return 'Recorded SLA pauses cannot be removed.';
      if (p.to !== null && kept.get(String(p.from)) !== p.to)
        return 'A closed SLA pause cannot be changed.';
    }
  }
  // An administrator's import writes the source's pauses as they were (./imported.ts).
  return imported ? null : newPauseError(kind, prev, next, before ? pausesOf(before) : []);
}

/** Reasons a pause may carry: the on-hold reasons, the kind's paused states, time resolved. */
const pauseReasons = (kind: TicketKind): readonly string[] => [
  ...ON_HOLD_REASONS,
  ...STATE_MACHINES[kind].paused,
  'resolved',
];

/**
 * Why the pauses this write adds are not ones a state change made. A transition into a paused
 * state opens one pause with the reason the ticket is paused for; leaving it closes it; a reopen
 * adds the time spent resolved as a closed pause. So a new open pause needs the ticket in a
 * paused state: moved into it by this write (and then with its reason), or already paused on
 * the server, which is how a merge of two holds made on two devices arrives (each side opened
 * its own). A new closed pause (a hold and back, or a reopen, made offline and arriving as one
 * write) cannot be told from one made up, so it is held only to the ticket's life: within
 * createdAt and the write's updatedAt (docs/security.md, "What remains undecidable").
 */
function newPauseError(
  kind: TicketKind,
  prev: Doc | null,
  next: Doc,
  stored: readonly Pause[],
): string | null {
  const known = new Set(stored.map((p) => String(p.from)));
  const fresh = pausesOf(clockOf(next)).filter((p) => !known.has(String(p.from)));
  if (fresh.length === 0) return null;
  const state = String(next.state);
  const pausedNow = isPausedState(kind, state);
  const movedIn = pausedNow && (prev === null || !isPausedState(kind, String(prev.state)));
  const reasonNow = state === 'on-hold' ? next.onHoldReason : state;
  const open = fresh.filter((p) => p.to === null);
  if (open.length > 0) {
    if (!pausedNow)
      return 'An SLA pause opens only when the ticket moves into a paused state (on hold).';
    if (open.length > 1) return 'One move into a paused state opens one SLA pause.';
    const reason = (open[0] as { reason?: unknown }).reason;
    if (movedIn ? reason !== reasonNow : !pauseReasons(kind).includes(String(reason)))
      return `The new SLA pause is for ${String(reasonNow)}, the reason the ticket is paused for.`;
  }
  const start = typeof next.createdAt === 'string' ? next.createdAt : '';
  const end = typeof next.updatedAt === 'string' ? next.updatedAt : '';
  for (const p of fresh) {
    if (p.to === null) continue;
    const reason = (p as { reason?: unknown }).reason;
    if (!pauseReasons(kind).includes(String(reason)))
      return 'A new SLA pause says what paused the clock (its reason).';
    const from = typeof p.from === 'string' ? p.from : '';
    const to = typeof p.to === 'string' ? p.to : '';
    if (from < start || to < from || to > end)
      return 'A new SLA pause lies within the ticket’s life: after it was opened, before this change.';
  }
  return null;
}

/** The ticket without who wrote it and when: what a merge or a re-send may leave unchanged. */
const contentOf = (d: Doc): string => {
  const { updatedBy: _by, updatedAt: _at, ...rest } = d;
  return stableJson(rest);
};

/**
 * Metadata rules for a ticket write by `user` at the server's `nowIso`: the ticket names its
 * writer (only a write identical in content to the stored version may keep the stored name and
 * time), its time is not ahead of the server, and its SLA clock is one transitions could have
 * made: pauses included, each opened by a move into a paused state.
 */
export function ticketMetadataError(
  oldDoc: Doc | null,
  newDoc: Doc,
  user: User,
  nowIso: string,
): string | null {
  if (user.roles.includes('_admin')) return null;
  const nowMs = Date.parse(nowIso);
  if (aheadOf(newDoc.updatedAt, nowMs))
    return `updatedAt ${String(newDoc.updatedAt)} is ahead of the server’s clock.`;
  // A write that changes nothing but sends the stored version again (a re-send, a replicator's
  // retry) may keep the stored name and time; any change of content names its writer, merges
  // included (the client's conflict handler stamps the merged ticket with the signed-in user).
  const resent =
    oldDoc !== null &&
    newDoc.updatedBy === oldDoc.updatedBy &&
    newDoc.updatedAt === oldDoc.updatedAt &&
    contentOf(newDoc) === contentOf(oldDoc);
  if (newDoc.updatedBy !== user.name && !resent && !user.roles.includes('admin'))
    return `A change by ${user.name} must say so (updatedBy).`;
  return slaError(
    newDoc.kind as TicketKind,
    oldDoc,
    newDoc,
    nowMs,
    isAdminImportWrite(oldDoc, newDoc, user.roles),
  );
}

/** Metadata rules for a new activity entry: its time is not ahead of the server, its data bounded. */
export function activityMetadataError(newDoc: Doc, user: User, nowIso: string): string | null {
  if (user.roles.includes('_admin')) return null;
  if (aheadOf(newDoc.at, Date.parse(nowIso)))
    return `An entry at ${String(newDoc.at)} is ahead of the server’s clock.`;
  if (JSON.stringify(newDoc.data ?? null).length > MAX_ACTIVITY_DATA_CHARS)
    return `An entry’s data is at most ${MAX_ACTIVITY_DATA_CHARS} characters.`;
  if (newDoc.type === 'conflict') {
    // Checked like other entries: what a merge records, nothing else.
    const d = newDoc.data as Doc | null;
    if (typeof d !== 'object' || d === null || typeof d.field !== 'string')
      return 'A conflict record names the field both sides changed.';
    for (const k of Object.keys(d))
      if (!['field', 'kept', 'lost', 'base'].includes(k))
        return `A conflict record does not carry ${k}.`;
  }
  return null;
}
