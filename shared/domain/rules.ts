/**
 * The server's rules for ticket writes, run in CouchDB's validate_doc_update: valid document,
 * immutable identity and creation fields, a new state reachable from the server's by valid moves
 * (several moves made offline arrive as one write), and role rules.
 */
import { isAdminImportWrite } from './imported';
import { pathBetween } from './state-machine';
import { validateTicket } from './ticket';

/** The user making a write, as CouchDB's userCtx describes them. */
export type WriteUser = { readonly name: string; readonly roles: readonly string[] };

/** Verdict of a server-side rule. */
export type Verdict = { readonly ok: true } | { readonly ok: false; readonly reason: string };

const IMMUTABLE = ['number', 'kind', 'createdAt', 'createdBy'] as const;

const has = (u: WriteUser, role: string): boolean => u.roles.includes(role);

/** True if `user` may move a ticket to another assignment group (supervisors and admins). */
export function mayChangeGroup(user: WriteUser): boolean {
  return has(user, '_admin') || has(user, 'admin') || has(user, 'supervisor');
}

/** Checks one ticket write by `user` (`oldDoc` null for a new ticket). */
export function validateTicketChange(
  oldDoc: Record<string, unknown> | null,
  newDoc: Record<string, unknown>,
  user: WriteUser,
): Verdict {
  const v = validateTicket(newDoc);
  if (!v.ok) return { ok: false, reason: v.errors.join('; ') };
  const t = v.value;
  const supervisor = mayChangeGroup(user);
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
  if (
    !adminImport &&
    typeof oldDoc.state === 'string' &&
    pathBetween(t.kind, oldDoc.state, t.state, t.resolution !== null) === null
  ) {
    const via = pathBetween(t.kind, oldDoc.state, t.state, true);
    return {
      ok: false,
      reason:
        via === null
          ? `A ${t.kind} cannot move from ${oldDoc.state} to ${t.state} by any valid moves.`
          : `A ${t.kind} cannot move from ${oldDoc.state} to ${t.state} without the resolution ` +
            `its "${via.find((s) => s.rule.requires.includes('resolution'))?.rule.label ?? 'resolve'}" step requires.`,
    };
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
