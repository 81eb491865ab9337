/**
 * Serves the renderer from `app://switchboard/` and forwards `app://switchboard/couch/*` to the
 * CouchDB server, so page and database share one origin (cookie session, no CORS) as in the
 * web shell. Only files inside the renderer directory are ever served.
 */
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.map': 'application/json',
};

/** Content-Security-Policy sent with every page of the app. */
export const APP_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; " +
  "font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

export type ProtocolDeps = {
  readonly rendererDir: string;
  readonly couchUrl: string;
  readonly dbPrefix: string;
  readonly fetch: (url: string, init: RequestInit) => Promise<Response>;
};

/** Handles one `app://switchboard/...` request. */
export async function handleAppRequest(request: Request, deps: ProtocolDeps): Promise<Response> {
  const url = new URL(request.url);
  if (url.host !== 'switchboard') return new Response('Not found', { status: 404 });
  if (url.pathname === '/couch' || url.pathname.startsWith('/couch/')) {
    const target =
      deps.couchUrl.replace(/\/+$/, '') + (url.pathname.slice('/couch'.length) || '/') + url.search;
    const headers = new Headers(request.headers);
    headers.delete('origin');
    const hasBody = request.method !== 'GET' && request.method !== 'HEAD';
    return deps.fetch(target, {
      method: request.method,
      headers,
      ...(hasBody ? { body: await request.arrayBuffer() } : {}),
      redirect: 'manual',
    });
  }
  if (url.pathname === '/switchboard-config.json') {
    return Response.json({ couchUrl: '/couch/', dbPrefix: deps.dbPrefix });
  }
  const rel = normalize(decodeURIComponent(url.pathname)).replace(/^([/\\])+/, '');
  let file = join(deps.rendererDir, rel || 'index.html');
  if (!file.startsWith(deps.rendererDir + sep)) return new Response('Forbidden', { status: 403 });
  let body: Buffer;
  try {
    body = await readFile(file);
  } catch {
    file = join(deps.rendererDir, 'index.html');
    body = await readFile(file);
  }
  return new Response(new Uint8Array(body), {
    headers: {
      'content-type': MIME[extname(file)] ?? 'application/octet-stream',
      'content-security-policy': APP_CSP,
      'x-content-type-options': 'nosniff',
    },
  });
}
