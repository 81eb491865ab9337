/**
 * What the gateway lets through to the engine. PouchDB Server 4.2 has no require_valid_user and
 * crashes on some requests (a non-admin `PUT /db`, `_changes?filter=_selector`), so the rules
 * CouchDB 3 enforces by itself are enforced here, before the engine sees the request.
 */

export type PolicyDecision =
  | { readonly kind: 'public' }
  | {
      readonly kind: 'reject';
      readonly status: number;
      readonly error: string;
      readonly reason: string;
    }
  | {
      readonly kind: 'authenticated';
      /** Only server admins (`_admin`) may do this. */
      readonly adminOnly: boolean;
      /** For `_users` documents: the user name whose own document this is, if any. */
      readonly ownUserDoc?: string;
    };

const PUBLIC_PATHS = new Set(['', '_session', '_up']);
/** `_changes` filters known not to crash the engine (see server/src/provision/design-docs.ts). */
export const SAFE_CHANGES_FILTERS = new Set([
  '_doc_ids',
  '_design',
  'switchboard/assigned',
  'switchboard/workorders',
]);
// Server-level endpoints a member may call; everything else starting with `_` is admin-only,
// as in CouchDB 3 (where `_all_dbs` is admin-only by default too).
const MEMBER_SERVER_ENDPOINTS = new Set(['_uuids']);
const ADMIN_DB_ENDPOINTS = new Set([
  '_security',
  '_compact',
  '_view_cleanup',
  '_purge',
  '_revs_limit',
]);
// Query parameters that crash the embedded engine or make it do unbounded work.
/** Largest request body accepted (attachments included). */
export const MAX_BODY_BYTES = 64 * 1024 * 1024;

/** Classifies one request by method, URL and declared body length. */
export function decide(method: string, rawUrl: string, contentLength: number): PolicyDecision {
  let url: URL;
  try {
    url = new URL(rawUrl, 'http://gateway.invalid');
  } catch {
    return reject(400, 'bad_request', 'Malformed URL.');
  }
  if (contentLength > MAX_BODY_BYTES) {
    return reject(413, 'too_large', `Request body over ${MAX_BODY_BYTES} bytes.`);
  }
  let segments: string[];
  try {
    segments = url.pathname
      .split('/')
      .filter((s) => s !== '')
      .map(decodeURIComponent);
  } catch {
    return reject(400, 'bad_request', 'Malformed percent-encoding in the path.');
  }
  const [first = '', second, third] = segments;

  if (segments.length <= 1 && PUBLIC_PATHS.has(first)) return { kind: 'public' };

  if (first.startsWith('_')) {
    if (first === '_users') {
      const own =
        second !== undefined && second.startsWith('org.couchdb.user:') && third === undefined;
      if (own && (method === 'GET' || method === 'PUT' || method === 'HEAD')) {
        return {
          kind: 'authenticated',
          adminOnly: false,
          ownUserDoc: second.slice('org.couchdb.user:'.length),
        };
      }
      return { kind: 'authenticated', adminOnly: true };
    }
    return { kind: 'authenticated', adminOnly: !MEMBER_SERVER_ENDPOINTS.has(first) };
  }

  // Database-level requests.
  if (segments.length === 1 && method !== 'GET' && method !== 'HEAD') {
    // Creating or deleting a database (and, in PouchDB Server, crashing on it) is admin work.
    return { kind: 'authenticated', adminOnly: true };
  }
  if (second === '_changes') {
    const filter = url.searchParams.get('filter');
    // PouchDB Server crashes on `_selector`, and on any filter function that throws (its
    // filters see no userCtx): only the built-in id filters and our own, defensive, design-document
    // filters reach the engine.
    if (filter !== null && !SAFE_CHANGES_FILTERS.has(filter)) {
      return reject(
        400,
        'bad_request',
        `filter=${filter} is not supported by the embedded server; use ${[...SAFE_CHANGES_FILTERS].join(', ')}.`,
      );
    }
  }
  if (second !== undefined && ADMIN_DB_ENDPOINTS.has(second) && method !== 'GET') {
    return { kind: 'authenticated', adminOnly: true };
  }
  // POST to a view is a query with a body of keys, not a write.
  const viewQuery = second === '_design' && segments[3] === '_view' && segments.length === 5;
  if (
    second === '_design' &&
    method !== 'GET' &&
    method !== 'HEAD' &&
    !(viewQuery && method === 'POST')
  ) {
    return { kind: 'authenticated', adminOnly: true };
  }
  return { kind: 'authenticated', adminOnly: false };
}

function reject(status: number, error: string, reason: string): PolicyDecision {
  return { kind: 'reject', status, error, reason };
}
