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
  ) {
    super(status === 401 ? 'Session expired: sign in again.' : `${error}: ${reason}`);
  }
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
  try {
    const body = (await res.json()) as { error?: unknown; reason?: unknown };
    if (typeof body.error === 'string') error = body.error;
    if (typeof body.reason === 'string') reason = body.reason;
  } catch {
    // Not JSON: keep the status line as the reason.
  }
  throw new CouchHttpError(res.status, error, reason);
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
