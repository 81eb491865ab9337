/**
 * Entry point of the directory database's `validate_doc_update`: the rules of every database
 * (validate-entry.ts) plus the SLA configuration's (shared/domain/sla-config.ts: admins only, a
 * valid document, version one more than the stored one). Bundled separately so that the ticket
 * and activity databases, written all day, do not carry the calendar checks; the directory is
 * written rarely.
 */
import { isSlaConfigEntry, validateSlaConfigChange } from '../../../shared/domain/sla-config';
import { fromCouch, validate as validateAny, type CouchDoc, type UserCtx } from './validate-entry';

type Verdict = { ok: true } | { ok: false; reason: string };

/** Validates a write to the database of `kind` (the SLA configuration in the directory). */
export function validate(
  kind: Parameters<typeof validateAny>[0],
  newDoc: CouchDoc,
  oldDoc: CouchDoc | null,
  userCtx: UserCtx,
): Verdict {
  const base = validateAny(kind, newDoc, oldDoc, userCtx);
  if (!base.ok || kind !== 'directory') return base;
  const before = oldDoc && !oldDoc._deleted ? fromCouch(oldDoc, 'id') : null;
  const after = fromCouch(newDoc, 'id');
  if (!isSlaConfigEntry(after) && !isSlaConfigEntry(before)) return base;
  const isServerAdmin = userCtx.roles.indexOf('_admin') !== -1;
  if (newDoc._deleted)
    return isServerAdmin
      ? { ok: true }
      : { ok: false, reason: 'The SLA configuration is never deleted; change it instead.' };
  return validateSlaConfigChange(before, after, { name: userCtx.name ?? '', roles: userCtx.roles });
}
