/**
 * A minimal CouchDB admin client over fetch, using only documented CouchDB 3 endpoints, so the
 * provisioning CLI works unchanged against the embedded server and a real cluster.
 */
export type CouchAdmin = {
  readonly url: string;
  readonly request: <T>(method: string, path: string, body?: unknown) => Promise<T>;
  readonly tryRequest: (
    method: string,
    path: string,
    body?: unknown,
  ) => Promise<{ status: number; body: unknown }>;
};

/** Error for a CouchDB answer that is not 2xx. */
export class CouchError extends Error {
  constructor(
    readonly status: number,
    readonly error: string,
    readonly reason: string,
    readonly path: string,
  ) {
    super(`${path}: ${status} ${error}: ${reason}`);
  }
}

/** Creates a client that authenticates every request with HTTP basic auth. */
export function couchAdmin(baseUrl: string, user: string, password: string): CouchAdmin {
  const url = baseUrl.replace(/\/+$/, '');
  const auth = 'Basic ' + Buffer.from(`${user}:${password}`).toString('base64');
  const tryRequest = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(url + path, {
      method,
      headers: {
        authorization: auth,
        accept: 'application/json',
        'content-type': 'application/json',
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // Non-JSON bodies (proxies, HTML error pages) are reported as text.
    }
    return { status: res.status, body: parsed };
  };
  return {
    url,
    tryRequest,
    request: async <T>(method: string, path: string, body?: unknown): Promise<T> => {
      const r = await tryRequest(method, path, body);
      if (r.status >= 200 && r.status < 300) return r.body as T;
      const b = (typeof r.body === 'object' && r.body !== null ? r.body : {}) as {
        error?: string;
        reason?: string;
      };
      throw new CouchError(r.status, b.error ?? 'error', b.reason ?? String(r.body), path);
    },
  };
}

/** Waits until the server answers `GET /` (used right after starting it). */
export async function waitForCouch(baseUrl: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const res = await fetch(baseUrl.replace(/\/+$/, '') + '/');
      if (res.ok) return;
      last = `HTTP ${res.status}`;
    } catch (err) {
      last = err;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`CouchDB at ${baseUrl} did not answer within ${timeoutMs} ms: ${String(last)}`);
}
