/**
 * Every request to CouchDB goes through here, so that a non-OK answer becomes a typed error the
 * sync status can explain (401 means "session expired, sign in again" and pending changes stay),
 * instead of a JSON body that RxDB misreads as data.
 */

/** A CouchDB answer that was not 2xx. */
export class CouchHttpError extends Error {
  constructor(
    readonly status: number,
    readonly error: string,
    readonly reason: string,
    /** The server's sentence for people, when it gives one (the gateway's `message`). */
    detail?: string,
  ) {
    super(status === 401 ? 'Session expired: sign in again.' : (detail ?? `${error}: ${reason}`));
  }
}

/** The gateway's reason when an admin reset the password and a new one must be set first. */
export const PASSWORD_CHANGE_REQUIRED = 'password_change_required';
const passwordChangeListeners = new Set<() => void>();

/**
 * Calls `listener` whenever the server answers that this account must set a new password first
 * (a session remembered from before an admin's reset). Returns the unsubscribe.
 */
export function onPasswordChangeRequired(listener: () => void): () => void {
  passwordChangeListeners.add(listener);
  return () => {
    passwordChangeListeners.delete(listener);
  };
}

/** The request could not reach the server at all. */
export class NetworkError extends Error {}

/** The fetch a client uses: the browser's (cookie jar included) or, in Node, one with a jar. */
export type Fetch = (url: string, init?: RequestInit) => Promise<Response>;

const browserFetch: Fetch = (url, init) => fetch(url, init);

/** fetch with the session cookie, throwing CouchHttpError / NetworkError on failure. */
export async function couchFetch(
  url: string,
  init: RequestInit = {},
  fetchImpl: Fetch = browserFetch,
): Promise<Response> {
  let res: Response;
  try {
    res = await fetchImpl(url, {
      ...init,
      credentials: 'include',
      headers: {
        accept: 'application/json',
        ...(init.body ? { 'content-type': 'application/json' } : {}),
        ...init.headers,
      },
    });
  } catch (err) {
    if (isAbort(err)) throw err;
    throw new NetworkError(
      `Cannot reach the server: ${err instanceof Error ? err.message : String(err)}`,
    );
  }
  if (res.ok) return res;
  let error = 'http_error';
  let reason = `HTTP ${res.status}`;
  let detail: string | undefined;
  try {
    const body = (await res.json()) as { error?: unknown; reason?: unknown; message?: unknown };
    if (typeof body.error === 'string') error = body.error;
    if (typeof body.reason === 'string') reason = body.reason;
    if (typeof body.message === 'string') detail = body.message.slice(0, 500);
  } catch {
    // Not JSON: keep the status line as the reason.
  }
  if (res.status === 403 && reason === PASSWORD_CHANGE_REQUIRED)
    for (const l of [...passwordChangeListeners]) l();
  throw new CouchHttpError(res.status, error, reason, detail);
}

/** couchFetch + JSON body. */
export async function couchJson<T>(
  url: string,
  init: RequestInit = {},
  fetchImpl: Fetch = browserFetch,
): Promise<T> {
  const res = await couchFetch(url, init, fetchImpl);
  return (await res.json()) as T;
}

/** True for the error a fetch throws when its AbortSignal fires. */
export function isAbort(err: unknown): boolean {
  return err instanceof Error && err.name === 'AbortError';
}
