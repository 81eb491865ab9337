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
