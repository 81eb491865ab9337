/** Cookie-session authentication against CouchDB's `_session`. */
import { couchJson, couchFetch, CouchHttpError, type Fetch } from './couch-http';

/** The signed-in staff member as CouchDB knows them. */
export type StaffSession = { readonly name: string; readonly roles: readonly string[] };

/** Signs in with name and password; the server sets the AuthSession cookie. */
export async function signIn(
  couchUrl: string,
  name: string,
  password: string,
  fetchImpl?: Fetch,
): Promise<StaffSession> {
  try {
    const r = await couchJson<{ name: string; roles: string[] }>(
      `${couchUrl}_session`,
      {
        method: 'POST',
        body: JSON.stringify({ name, password }),
      },
      fetchImpl,
    );
    return { name: r.name, roles: r.roles };
  } catch (err) {
    if (err instanceof CouchHttpError && err.status === 401) {
      throw new Error('Name or password is incorrect.', { cause: err });
    }
    throw err;
  }
}

/** The current session, or null when the cookie is missing or expired. */
export async function currentSession(
  couchUrl: string,
  fetchImpl?: Fetch,
): Promise<StaffSession | null> {
  const r = await couchJson<{ userCtx: { name: string | null; roles: string[] } }>(
    `${couchUrl}_session`,
    {},
    fetchImpl,
  );
  return r.userCtx.name === null ? null : { name: r.userCtx.name, roles: r.userCtx.roles };
}

/**
 * Ends the session (the local replica and its pending changes stay). CouchDB renews the session
 * cookie on every answer, so an answer to a request still in flight can bring it back after the
 * DELETE: sign-out is checked, and repeated once if the session is still there. Stop sync first.
 */
export async function signOut(couchUrl: string, fetchImpl?: Fetch): Promise<void> {
  for (let attempt = 0; attempt < 2; attempt++) {
    await couchFetch(`${couchUrl}_session`, { method: 'DELETE' }, fetchImpl);
    if ((await currentSession(couchUrl, fetchImpl)) === null) return;
  }
}

const ownUserDoc = (couchUrl: string, name: string) =>
  `${couchUrl}_users/${encodeURIComponent(`org.couchdb.user:${name}`)}`;

/**
 * Whether the signed-in account must set a new password first (an admin reset it on the Staff
 * page: desk services marks the account `mustChangePassword`). Read from the member's own
 * `_users` document, which CouchDB and our gateway let a member read.
 */
export async function mustChangePassword(
  couchUrl: string,
  name: string,
  fetchImpl?: Fetch,
): Promise<boolean> {
  const doc = await couchJson<{ mustChangePassword?: unknown }>(
    ownUserDoc(couchUrl, name),
    {},
    fetchImpl,
  );
  return doc.mustChangePassword === true;
}

/** Why `password` (typed twice) cannot be the new password, or null. */
export function newPasswordError(password: string, again: string): string | null {
  if (password.length < 10) return 'A password has at least 10 characters.';
  if (password.length > 1024) return 'A password has at most 1024 characters.';
  if (password !== again) return 'The two passwords differ.';
  return null;
}

/** Fields CouchDB derives from a password; a member's write leaves them out with a new one. */
const HASH_FIELDS = ['password_scheme', 'derived_key', 'salt', 'iterations', 'pbkdf2_prf'];

/**
 * The member sets their own new password and clears `mustChangePassword`, in one write of their
 * own `_users` document (what CouchDB 3 and the gateway's `userDocError` allow: same name, type
 * and roles; the hash fields replaced by `password`). The new salt ends the cookie session, so
 * this signs in again with the new password.
 */
export async function changeOwnPassword(
  couchUrl: string,
  name: string,
  password: string,
  fetchImpl?: Fetch,
): Promise<StaffSession> {
  const doc = await couchJson<Record<string, unknown>>(ownUserDoc(couchUrl, name), {}, fetchImpl);
  const next: Record<string, unknown> = { ...doc, password, mustChangePassword: false };
  for (const k of HASH_FIELDS) delete next[k];
  delete next.password_sha;
  await couchJson(
    ownUserDoc(couchUrl, name),
    { method: 'PUT', body: JSON.stringify(next) },
    fetchImpl,
  );
  return signIn(couchUrl, name, password, fetchImpl);
}
