/**
 * Documents written by an import from another tool (`imported: { source, ... }`) carry history:
 * past times and other people's names. The server accepts that from administrators only (the
 * `admin` role or a server admin); for anyone else an `imported` marker changes nothing.
 */
import { isRecord } from './check';

/**
 * True if a write of `newDoc` over `oldDoc` (null: a new document) is an import by an
 * administrator: marked, and for an update carrying a new digest of what the import wrote (an
 * admin's ordinary edit of an imported ticket keeps the old digest, and the ordinary rules).
 */
export function isAdminImportWrite(
  oldDoc: Record<string, unknown> | null,
  newDoc: Record<string, unknown>,
  roles: readonly string[],
): boolean {
  if (!isAdminImport(newDoc, roles)) return false;
  if (oldDoc === null) return true;
  const digest = (d: Record<string, unknown>): unknown =>
    isRecord(d.imported) ? d.imported.digest : undefined;
  return typeof digest(newDoc) === 'string' && digest(newDoc) !== digest(oldDoc);
}

/** True if `doc` is marked as imported and `roles` make its writer an administrator. */
export function isAdminImport(doc: Record<string, unknown>, roles: readonly string[]): boolean {
  const marker = doc.imported;
  return (
    isRecord(marker) &&
    typeof marker.source === 'string' &&
    marker.source !== '' &&
    (roles.includes('_admin') || roles.includes('admin'))
  );
}
