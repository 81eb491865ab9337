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
import { activityMetadataError, ticketMetadataError } from '../../../shared/domain/write-truth';
import { SERVICE_ROLE } from '../../../shared/services/service-rules';
import { serviceVerdict } from './service-entry';

/** A document as validate_doc_update receives it. */
export type CouchDoc = { _id: string; _rev?: string; _deleted?: boolean; [k: string]: unknown };
/** The writer, as CouchDB describes them. */
export type UserCtx = { name: string | null; roles: string[] };
type Verdict = { ok: true } | { ok: false; reason: string };

const STAFF = ['agent', 'technician', 'supervisor', 'admin'];

/** The document without CouchDB's own fields, its `_id` under the collection's primary key. */
export function fromCouch(doc: CouchDoc, primary: string): Record<string, unknown> {
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
  // Desk services have their own, narrower rights (shared/services/service-rules.ts).
  if (
    userCtx.name &&
    userCtx.roles.indexOf(SERVICE_ROLE) !== -1 &&
    userCtx.roles.indexOf('_admin') === -1
  ) {
    const service = { name: userCtx.name, roles: userCtx.roles };
    const v = serviceVerdict(kind, newDoc, oldDoc, service);
    if (!v.ok) return v;
    // The server's clock and the writer's name hold for desk services too (write-truth.ts).
    const nowIso = new Date().toISOString();
    const prev = oldDoc && !oldDoc._deleted ? oldDoc : null;
    const truth =
      kind === 'tickets'
        ? ticketMetadataError(
            prev ? fromCouch(prev, 'number') : null,
            fromCouch(newDoc, 'number'),
            service,
            nowIso,
          )
        : kind === 'activity' && prev === null
          ? activityMetadataError(fromCouch(newDoc, 'id'), service, nowIso)
          : null;
    return truth === null ? { ok: true } : { ok: false, reason: truth };
  }
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
      const prev = oldDoc && !oldDoc._deleted ? fromCouch(oldDoc, 'number') : null;
      const next = fromCouch(newDoc, 'number');
      const r = validateTicketChange(prev, next, user);
      if (!r.ok) return { ok: false, reason: r.reason };
      // The server's clock: metadata may not run ahead of it (docs/security.md, "Metadata").
      const truth = ticketMetadataError(prev, next, user, new Date().toISOString());
      return truth === null ? { ok: true } : { ok: false, reason: truth };
    }
    case 'activity': {
      // Server admins may delete a losing revision when resolving a replication conflict.
      if (newDoc._deleted)
        return isServerAdmin
          ? { ok: true }
          : { ok: false, reason: 'Activity is append-only; entries are never deleted.' };
      const prevEntry = oldDoc && !oldDoc._deleted ? fromCouch(oldDoc, 'id') : null;
      const entry = fromCouch(newDoc, 'id');
      const r = validateActivityChange(prevEntry, entry, user);
      if (!r.ok) return { ok: false, reason: r.reason };
      const truth = prevEntry ? null : activityMetadataError(entry, user, new Date().toISOString());
      return truth === null ? { ok: true } : { ok: false, reason: truth };
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
      // The SLA configuration has its own rule (validate-directory-entry.ts).
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
