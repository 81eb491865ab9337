/** The desk services account's writes, bundled into validate_doc_update with validate-entry. */
import {
  serviceActivityVerdict,
  serviceAttachmentVerdict,
  serviceDirectoryVerdict,
  serviceTicketVerdict,
} from '../../../shared/services/service-rules';

type CouchDoc = { _id: string; _rev?: string; _deleted?: boolean; [k: string]: unknown };
type Verdict = { ok: true } | { ok: false; reason: string };
type User = { readonly name: string; readonly roles: readonly string[] };

function fromCouch(doc: CouchDoc, primary: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(doc)) {
    if (k !== '_id' && k !== '_rev' && k !== '_revisions' && k !== '_attachments') out[k] = doc[k];
  }
  out[primary] = doc._id;
  return out;
}

/** Validates a write by the service account to the database of `kind`. */
export function serviceVerdict(
  kind: 'tickets' | 'activity' | 'directory' | 'presence' | 'attachments',
  newDoc: CouchDoc,
  oldDoc: CouchDoc | null,
  user: User,
): Verdict {
  if (newDoc._id.indexOf('_design/') === 0)
    return { ok: false, reason: 'Only server administrators may change design documents.' };
  if (newDoc._deleted) return { ok: false, reason: 'Desk services never delete.' };
  const old = oldDoc && !oldDoc._deleted ? oldDoc : null;
  switch (kind) {
    case 'tickets':
      return serviceTicketVerdict(
        old ? fromCouch(old, 'number') : null,
        fromCouch(newDoc, 'number'),
        user,
      );
    case 'activity':
      return serviceActivityVerdict(
        old ? fromCouch(old, 'id') : null,
        fromCouch(newDoc, 'id'),
        user,
      );
    case 'directory':
      return serviceDirectoryVerdict(old, newDoc);
    case 'attachments':
      return serviceAttachmentVerdict(old, newDoc, user);
    case 'presence':
      return { ok: false, reason: 'Desk services have no presence.' };
  }
}
