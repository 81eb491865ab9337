/** Structural equality of JSON documents, ignoring RxDB/CouchDB bookkeeping fields. */
const IGNORED = new Set(['_meta', '_rev', '_attachments', '_revisions', '_conflicts']);

/** True if two JSON values are equal (key order does not matter). */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((v, i) => jsonEqual(v, b[i]));
  }
  const ao = a as Record<string, unknown>;
  const bo = b as Record<string, unknown>;
  const ak = Object.keys(ao).filter((k) => !IGNORED.has(k) && ao[k] !== undefined);
  const bk = Object.keys(bo).filter((k) => !IGNORED.has(k) && bo[k] !== undefined);
  if (ak.length !== bk.length) return false;
  return ak.every((k) => jsonEqual(ao[k], bo[k]));
}
