/**
 * Documents written by an import from another tool (`imported: { source, ... }`) carry history:
 * past times and other people's names. The server accepts that from administrators only (the
 * `admin` role or a server admin); for anyone else an `imported` marker changes nothing.
 */
import { isRecord } from './check';

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
