/**
 * What the desk services account (role `service`) may write, checked in validate_doc_update:
 * exactly the rights mail needs. It creates incidents from mail and reopens resolved tickets
 * a requester answers; it appends requester replies that came by mail and delivery records;
 * it creates unverified requester records; it stores mail attachments as itself; it sets a staff
 * member's assignment groups for the Staff page. Nothing else.
 */
import { validateActivityChange } from '../domain/activity';
import { validateTicketChange } from '../domain/rules';
import { validateAttachmentWrite } from '../field/attachments';

/** The role of the desk services account. */
export const SERVICE_ROLE = 'service';

type Doc = Record<string, unknown>;
type Verdict = { readonly ok: true } | { readonly ok: false; readonly reason: string };
type User = { readonly name: string; readonly roles: readonly string[] };

const OK: Verdict = { ok: true };
const no = (reason: string): Verdict => ({ ok: false, reason });

/** Ticket fields a reopen by mail may change. */
const REOPEN_FIELDS = ['state', 'updatedAt', 'updatedBy', 'sla', 'resolution', 'onHoldReason'];

function keysChanged(a: Doc, b: Doc): string[] {
  const keys: Record<string, true> = {};
  for (const k of Object.keys(a)) keys[k] = true;
  for (const k of Object.keys(b)) keys[k] = true;
  return Object.keys(keys).filter((k) => JSON.stringify(a[k]) !== JSON.stringify(b[k]));
}

/** Ticket writes by the service account (documents as shared/domain sees them). */
export function serviceTicketVerdict(oldDoc: Doc | null, newDoc: Doc, user: User): Verdict {
  const base = validateTicketChange(oldDoc, newDoc, user);
  if (!base.ok) return base;
  if (oldDoc === null) {
    return newDoc.kind === 'incident' ? OK : no('Desk services create incidents only.');
  }
  const changed = keysChanged(oldDoc, newDoc).filter((k) => REOPEN_FIELDS.indexOf(k) === -1);
  if (changed.length > 0) return no(`Desk services do not change ${changed.join(', ')}.`);
  if (newDoc.updatedBy !== user.name) return no('A reopen by desk services must say so.');
  const reopen =
    (oldDoc.state === 'resolved' && newDoc.state === 'in-progress') ||
    oldDoc.state === newDoc.state;
  return reopen ? OK : no('Desk services only reopen resolved tickets.');
}

/** Activity writes by the service account: mail replies from requesters and delivery records. */
export function serviceActivityVerdict(oldDoc: Doc | null, newDoc: Doc, user: User): Verdict {
  const data = (newDoc.data ?? {}) as Doc;
  if (newDoc.type === 'reply') {
    if (
      data.channel !== 'email' ||
      typeof newDoc.by !== 'string' ||
      !newDoc.by.startsWith('person:')
    )
      return no('Desk services write only replies that came by mail from a requester.');
    return validateActivityChange(oldDoc, newDoc, { name: newDoc.by, roles: [] });
  }
  if (newDoc.type === 'delivery' || newDoc.type === 'attachment')
    return validateActivityChange(oldDoc, newDoc, user);
  return no('Desk services write mail replies, mail attachments and delivery records only.');
}

/** The largest number of assignment groups a staff member has. */
export const MAX_GROUPS = 50;

/** Why `ids` is not a list of assignment group ids, or null. */
export function groupIdsError(ids: unknown): string | null {
  if (!Array.isArray(ids) || ids.length > MAX_GROUPS)
    return `Assignment groups are a list of at most ${MAX_GROUPS} group ids.`;
  const seen: Record<string, true> = {};
  for (const g of ids) {
    if (typeof g !== 'string' || g.indexOf('group:') !== 0 || g.length > 100)
      return 'An assignment group id starts with group:.';
    if (seen[g]) return 'An assignment group is listed once.';
    seen[g] = true;
  }
  return null;
}

/** Fields of a staff record desk services may create (the Staff page's groups, for a new account). */
const STAFF_RECORD_FIELDS = ['type', 'name', 'username', 'staff', 'groupIds'];

/**
 * Directory writes by the service account: new, unverified requesters; and a staff member's
 * assignment groups (`groupIds` of `person:<username>`, nothing else), creating that record
 * with exactly its name and groups when the account has none yet.
 */
export function serviceDirectoryVerdict(oldDoc: Doc | null, newDoc: Doc): Verdict {
  const id = typeof newDoc._id === 'string' ? newDoc._id : '';
  const staffId = id.indexOf('person:') === 0 && id.indexOf('person:mail-') !== 0;
  if (oldDoc !== null && !oldDoc._deleted) {
    if (!staffId || oldDoc.staff !== true || oldDoc.type !== 'person')
      return no("Desk services never change a directory record but a staff member's groups.");
    const changed = keysChanged(oldDoc, newDoc).filter((k) => k.charAt(0) !== '_');
    if (changed.length !== 1 || changed[0] !== 'groupIds')
      return no('Desk services change only the assignment groups of a staff member.');
    const bad = groupIdsError(newDoc.groupIds);
    return bad === null ? OK : no(bad);
  }
  if (staffId && newDoc.staff === true) {
    const extra = Object.keys(newDoc).filter(
      (k) => k.charAt(0) !== '_' && STAFF_RECORD_FIELDS.indexOf(k) === -1,
    );
    if (extra.length > 0) return no(`Desk services do not write ${extra.join(', ')}.`);
    if (newDoc.type !== 'person' || newDoc.username !== id.slice('person:'.length))
      return no('A staff record is person:<username> with that username.');
    if (typeof newDoc.name !== 'string' || newDoc.name === '' || newDoc.name.length > 200)
      return no('A staff record has a name.');
    const bad = groupIdsError(newDoc.groupIds);
    return bad === null ? OK : no(bad);
  }
  if (newDoc.type !== 'person' || newDoc.unverified !== true || typeof newDoc.email !== 'string')
    return no('Desk services add unverified requesters (type person, unverified, email) only.');
  if (id.indexOf('person:mail-') !== 0)
    return no('A requester added from mail has an id starting with person:mail-.');
  return OK;
}

/** Attachment writes by the service account: mail attachments, as itself. */
export function serviceAttachmentVerdict(
  oldDoc: (Doc & { _id: string; _deleted?: boolean }) | null,
  newDoc: Doc & { _id: string; _deleted?: boolean },
  user: User,
): Verdict {
  const reason = validateAttachmentWrite(newDoc, oldDoc, user.name);
  return reason === null ? OK : no(reason);
}
