/**
 * Entry point bundled (with the rule modules of shared/domain) into each database's
 * `validate_doc_update`, so the server enforces the same rules the client assumes. Runs inside
 * CouchDB's JavaScript engine and PouchDB Server's evaluator: no Node or DOM APIs, failures are
 * thrown as `{ forbidden }`.
 */
// The rule modules themselves, not shared/domain's index: the index also brings the SLA engine, its
// default tables and luxon, which PouchDB Server would recompile on every write for nothing.
import { validateActivityChange } from '../../../shared/domain/activity';
import { validateTicketChange } from '../../../shared/domain/rules';
import { presenceWriteError } from '../../../shared/presence/presence';
import { validateAttachmentWrite } from '../../../shared/field/attachments';

type CouchDoc = { _id: string; _rev?: string; _deleted?: boolean; [k: string]: unknown };
type UserCtx = { name: string | null; roles: string[] };
type Verdict = { ok: true } | { ok: false; reason: string };

const STAFF = ['agent', 'technician', 'supervisor', 'admin'];

function fromCouch(doc: CouchDoc, primary: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(doc)) {
    if (k !== '_id' && k !== '_rev' && k !== '_revisions' && k !== '_attachments') out[k] = doc[k];
  }
  out[primary] = doc._id;
  return out;
}

function staffCheck(user: UserCtx): Verdict {
  if (user.roles.indexOf('_admin') !== -1) return { ok: true };
  if (!user.name) return { ok: false, reason: 'You must be signed in.' };
  for (const r of user.roles) if (STAFF.indexOf(r) !== -1) return { ok: true };
  return { ok: false, reason: 'Only service desk staff may write here.' };
}

/** Validates a write to the database of `kind`. */
export function validate(
  kind: 'tickets' | 'activity' | 'directory' | 'presence' | 'attachments',
  newDoc: CouchDoc,
  oldDoc: CouchDoc | null,
  userCtx: UserCtx,
): Verdict {
  const staff = staffCheck(userCtx);
  if (!staff.ok) return staff;
  const isServerAdmin = userCtx.roles.indexOf('_admin') !== -1;
  if (newDoc._id.indexOf('_design/') === 0) {
    return isServerAdmin
      ? { ok: true }
      : { ok: false, reason: 'Only server administrators may change design documents.' };
  }
  const user = { name: userCtx.name ?? '', roles: userCtx.roles };
  switch (kind) {
    case 'tickets': {
      if (newDoc._deleted) {
        return isServerAdmin || userCtx.roles.indexOf('admin') !== -1
          ? { ok: true }
          : { ok: false, reason: 'Tickets are never deleted; cancel or close them instead.' };
      }
      const r = validateTicketChange(
        oldDoc && !oldDoc._deleted ? fromCouch(oldDoc, 'number') : null,
        fromCouch(newDoc, 'number'),
        user,
      );
      return r.ok ? { ok: true } : { ok: false, reason: r.reason };
    }
    case 'activity': {
      // Server admins may delete a losing revision when resolving a replication conflict.
      if (newDoc._deleted)
        return isServerAdmin
          ? { ok: true }
          : { ok: false, reason: 'Activity is append-only; entries are never deleted.' };
      const r = validateActivityChange(
        oldDoc && !oldDoc._deleted ? fromCouch(oldDoc, 'id') : null,
        fromCouch(newDoc, 'id'),
        user,
      );
      return r.ok ? { ok: true } : { ok: false, reason: r.reason };
    }
    case 'presence': {
      if (isServerAdmin) return { ok: true };
      const reason = presenceWriteError(newDoc, user.name);
      return reason === null ? { ok: true } : { ok: false, reason };
    }
    case 'attachments': {
      if (isServerAdmin) return { ok: true };
      const reason = validateAttachmentWrite(newDoc, oldDoc, user.name);
      return reason === null ? { ok: true } : { ok: false, reason };
    }
    case 'directory': {
      const manager =
        isServerAdmin ||
        userCtx.roles.indexOf('admin') !== -1 ||
        userCtx.roles.indexOf('supervisor') !== -1;
      return manager
        ? { ok: true }
        : { ok: false, reason: 'Only supervisors and admins change reference data.' };
    }
  }
}
