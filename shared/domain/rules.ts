/**
 * The server's rules for ticket writes, run in CouchDB's validate_doc_update: valid document,
 * immutable identity and creation fields, state moves along the state machine, and role rules.
 */
import { isAdminImportWrite } from './imported';
import { canMove } from './state-machine';
import { validateTicket } from './ticket';

/** The user making a write, as CouchDB's userCtx describes them. */
export type WriteUser = { readonly name: string; readonly roles: readonly string[] };

/** Verdict of a server-side rule. */
export type Verdict = { readonly ok: true } | { readonly ok: false; readonly reason: string };

const IMMUTABLE = ['number', 'kind', 'createdAt', 'createdBy'] as const;

const has = (u: WriteUser, role: string): boolean => u.roles.includes(role);

/** Checks one ticket write by `user` (`oldDoc` null for a new ticket). */
export function validateTicketChange(
  oldDoc: Record<string, unknown> | null,
  newDoc: Record<string, unknown>,
  user: WriteUser,
): Verdict {
  const v = validateTicket(newDoc);
  if (!v.ok) return { ok: false, reason: v.errors.join('; ') };
  const t = v.value;
  const admin = has(user, '_admin') || has(user, 'admin');
  const supervisor = admin || has(user, 'supervisor');
  const technicianOnly = has(user, 'technician') && !has(user, 'agent') && !supervisor;
  // An administrator's import writes the source's history as it was (see ./imported.ts).
  const adminImport = isAdminImportWrite(oldDoc, newDoc, user.roles);

  if (oldDoc === null) {
    if (t.createdBy !== user.name && !has(user, '_admin') && !adminImport) {
      return { ok: false, reason: `A ticket created by ${user.name} must say so (createdBy).` };
    }
    if (technicianOnly && t.kind !== 'workorder') {
      return { ok: false, reason: 'Technicians create work orders only.' };
    }
    return { ok: true };
  }
  for (const f of IMMUTABLE) {
    if (oldDoc[f] !== newDoc[f])
      return { ok: false, reason: `${f} cannot be changed once the ticket exists.` };
  }
  if (!adminImport && typeof oldDoc.state === 'string' && !canMove(t.kind, oldDoc.state, t.state)) {
    return { ok: false, reason: `A ${t.kind} cannot move from ${oldDoc.state} to ${t.state}.` };
  }
  if (
    technicianOnly &&
    (oldDoc.assigneeId !== user.name || t.assigneeId !== user.name || t.kind !== 'workorder')
  ) {
    return { ok: false, reason: 'Technicians may only update work orders assigned to them.' };
  }
  if (
    !supervisor &&
    oldDoc.groupId !== t.groupId &&
    typeof oldDoc.groupId === 'string' &&
    oldDoc.groupId !== ''
  ) {
    return { ok: false, reason: 'Only supervisors may reassign a ticket to another group.' };
  }
  return { ok: true };
}
