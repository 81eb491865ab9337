/**
 * The append-only activity of a ticket: one document per entry (work note, reply, field change,
 * conflict record, time entry…), never edited or deleted, so entries from any number of devices
 * merge by union and never conflict.
 */
import { checkIso, checkString, isRecord, type Problems } from './check';
import type { FieldConflict } from './merge';
import { isAdminImport } from './imported';
import { stableJson } from './merge';
import { kindOfNumber, stepError, stepName } from './steps';
import type { Ticket, Validated } from './ticket';

/** Kinds of activity entry. */
export const ACTIVITY_TYPES = [
  'work-note',
  'reply',
  'field-change',
  'state-change',
  'sla-event',
  'conflict',
  'time-entry',
  'checklist-tick',
  'part',
  'signature',
  'attachment',
  /** A mail's delivery to the requester: queued, sent, retrying or failed (desk services). */
  'delivery',
] as const;
/** One kind of activity entry. */
export type ActivityType = (typeof ACTIVITY_TYPES)[number];

/** One activity entry. `body` is markdown for notes and replies; `data` carries typed details. */
export type ActivityEntry = {
  readonly id: string;
  readonly ticketNumber: string;
  readonly type: ActivityType;
  readonly at: string;
  readonly by: string;
  readonly schemaVersion: 1;
  readonly body: string;
  readonly data: Readonly<Record<string, unknown>>;
};

/** Validates any value as an activity entry. */
export function validateActivity(doc: unknown): Validated<ActivityEntry> {
  const p: Problems = [];
  if (!isRecord(doc)) return { ok: false, errors: ['activity entry must be an object'] };
  checkString(p, doc.id, 'id', 1, 120);
  checkString(p, doc.ticketNumber, 'ticket number', 1, 40);
  if (!(ACTIVITY_TYPES as readonly unknown[]).includes(doc.type))
    p.push(`type must be one of ${ACTIVITY_TYPES.join(', ')}`);
  checkIso(p, doc.at, 'at');
  checkString(p, doc.by, 'by', 1, 200);
  if (doc.schemaVersion !== 1) p.push('schemaVersion must be 1');
  if (typeof doc.body !== 'string') p.push('body must be text');
  else if (doc.body.length > 50000) p.push('body must be at most 50000 characters');
  if (
    (doc.type === 'work-note' || doc.type === 'reply') &&
    typeof doc.body === 'string' &&
    doc.body.trim() === ''
  ) {
    p.push('a note needs some text');
  }
  if (!isRecord(doc.data)) p.push('data must be an object');
  return p.length > 0
    ? { ok: false, errors: p }
    : { ok: true, value: doc as unknown as ActivityEntry };
}

/** Server rule for activity: entries are created once by their author and never changed. */
export function validateActivityChange(
  oldDoc: Record<string, unknown> | null,
  newDoc: Record<string, unknown>,
  user: { readonly name: string; readonly roles: readonly string[] },
): { ok: true } | { ok: false; reason: string } {
  if (oldDoc !== null) {
    return stableJson(oldDoc) === stableJson(newDoc)
      ? { ok: true }
      : { ok: false, reason: 'Activity is append-only: entries cannot be changed.' };
  }
  const v = validateActivity(newDoc);
  if (!v.ok) return { ok: false, reason: v.errors.join('; ') };
  const isAdmin = user.roles.includes('_admin');
  // Each state change is one move of the state machine with the inputs it required, so the steps
  // of a run made offline are judged one by one (the ticket write only shows where they ended).
  // History imported by an admin keeps the source system's own moves.
  const importer = isAdmin || user.roles.includes('admin');
  if (newDoc.type === 'state-change' && !(importer && isRecord(newDoc.imported))) {
    const kind = kindOfNumber(String(newDoc.ticketNumber));
    const d = isRecord(newDoc.data) ? newDoc.data : {};
    const step = {
      from: d.from,
      to: d.to,
      at: newDoc.at,
      onHoldReason: d.onHoldReason,
      resolutionCode: d.resolutionCode,
    };
    const problem = kind === null ? 'the ticket number names no kind.' : stepError(kind, step);
    if (problem) return { ok: false, reason: `State change ${stepName(step)}: ${problem}` };
  }
  // Imported history names its original authors; only administrators may import it. Conflict
  // records are by the user whose device recorded the merge, like any other entry.
  if (!isAdmin && !isAdminImport(newDoc, user.roles) && newDoc.by !== user.name) {
    return {
      ok: false,
      reason: `An entry by ${String(newDoc.by)} cannot be written by ${user.name}.`,
    };
  }
  // A conflict record's id names its recorder, so no one can take the id another's record needs.
  if (
    !isAdmin &&
    newDoc.type === 'conflict' &&
    String(newDoc.id).indexOf(conflictIdPrefix(String(newDoc.ticketNumber), user.name)) !== 0
  ) {
    return {
      ok: false,
      reason: `A conflict record recorded by ${user.name} has an id starting ${conflictIdPrefix(String(newDoc.ticketNumber), user.name)}.`,
    };
  }
  return { ok: true };
}

/** The start of the id of a conflict record on `ticketNumber` recorded by `recorder`. */
export function conflictIdPrefix(ticketNumber: string, recorder: string): string {
  // The name is cut so an id stays within the replica's 80 characters.
  return `${ticketNumber}:conflict:${recorder.slice(0, 32)}:`;
}

function shortHash(text: string): string {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  return ((h1 >>> 0).toString(36) + (h2 >>> 0).toString(36)).slice(0, 14);
}

/**
 * Conflict records for a lossy merge, recorded by `recorder` (the signed-in user whose device
 * merged; the server checks it). Ids name the recorder and derive from the conflict itself: a
 * device recording the same merge again writes the same document, and two devices recording it
 * write one each instead of fighting over one.
 */
export function conflictActivity(
  ticketNumber: string,
  conflicts: readonly FieldConflict[],
  merged: Ticket,
  recorder: string,
): ActivityEntry[] {
  return conflicts.map((c) => ({
    // The id covers everything the entry says, so different records never share an id (activity
    // is append-only: a second write with other content under the same id would be refused).
    id: `${conflictIdPrefix(ticketNumber, recorder)}${shortHash(
      stableJson([
        c.field,
        c.local,
        c.remote,
        c.base ?? null,
        merged.updatedAt,
        merged.updatedBy,
        recorder,
      ]),
    )}`,
    ticketNumber,
    type: 'conflict' as const,
    at: merged.updatedAt,
    by: recorder,
    schemaVersion: 1 as const,
    body: `Both sides changed ${c.field}; kept the ${c.kept} value.`,
    data: {
      field: c.field,
      kept: c.kept === 'local' ? c.local : c.remote,
      lost: c.lostValue,
      base: c.base ?? null,
    },
  }));
}
