/**
 * validate_doc_update of the services database, bundled with the shared template rule
 * (shared/services/mail-templates.ts): server admins and desk services (role `service`) write
 * their jobs, claims, checkpoints and status; admins (role `admin`) save mail templates from the
 * Templates page and file staff requests in their own name; nobody else writes here. Desk
 * services only read templates. Runs inside CouchDB's JavaScript engine and PouchDB Server's
 * evaluator: no Node or DOM APIs.
 */
import { templateWriteError } from '../../../shared/services/mail-templates';

type CouchDoc = { _id: string; _rev?: string; _deleted?: boolean; [k: string]: unknown };
type UserCtx = { name: string | null; roles: string[] };
type Verdict = { ok: true } | { ok: false; reason: string };

/** The role of the desk services account (shared/services/service-rules.ts: SERVICE_ROLE). */
const SERVICE = 'service';
const STAFF_ACTIONS = ['create', 'set-roles', 'set-groups', 'reset-password', 'disable'];

export function validate(newDoc: CouchDoc, oldDoc: CouchDoc | null, userCtx: UserCtx): Verdict {
  const roles = userCtx.roles || [];
  if (roles.indexOf('_admin') !== -1) return { ok: true };
  if (newDoc._id.indexOf('_design/') === 0)
    return { ok: false, reason: 'Only server administrators change design documents.' };
  if (newDoc._id.indexOf('template:') === 0) {
    const reason = templateWriteError(newDoc, oldDoc, userCtx);
    return reason === null ? { ok: true } : { ok: false, reason };
  }
  if (roles.indexOf(SERVICE) !== -1) return { ok: true };
  if (
    roles.indexOf('admin') !== -1 &&
    newDoc._id.indexOf('staff-request:') === 0 &&
    !oldDoc &&
    !newDoc._deleted
  ) {
    if (newDoc.by !== userCtx.name)
      return { ok: false, reason: 'A staff request says who asked (by).' };
    if (STAFF_ACTIONS.indexOf(String(newDoc.action)) === -1)
      return {
        ok: false,
        reason: 'A staff request is create, set-roles, set-groups, reset-password or disable.',
      };
    return { ok: true };
  }
  return {
    ok: false,
    reason:
      'Only desk services write here (admins save template: documents and file staff-request: documents).',
  };
}
