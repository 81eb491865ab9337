/**
 * Serves the renderer from `app://switchboard/` and forwards `app://switchboard/couch/*` to the
 * CouchDB server, so page and database share one origin (cookie session, no CORS) as in the
 * web shell. Only files inside the renderer directory are ever served.
 */
import { readFile } from 'node:fs/promises';
import { CONTENT_SECURITY_POLICY, RENDERER_MIME_TYPES } from '../../shared/security/content-policy';
import { extname, join, normalize, resolve, sep } from 'node:path';

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
    const file = isAttachmentPath(url.pathname);
    // Files come from the server: this origin holds window.desk, so they are fetched as data
    // (the console shows them from their bytes) and never opened here as a page or frame.
    const dest = request.headers.get('sec-fetch-dest');
    if (file && dest !== null && dest !== 'empty')
      return new Response('Files are not opened in the app window.', { status: 403 });
    const hasBody = request.method !== 'GET' && request.method !== 'HEAD';
    const answer = await deps.fetch(target, {
      method: request.method,
      headers,
      ...(hasBody ? { body: await request.arrayBuffer() } : {}),
      redirect: 'manual',
    });
    if (!file) return answer;
    const out = new Headers(answer.headers);
    out.set('content-security-policy', "sandbox; default-src 'none'");
    out.set('x-content-type-options', 'nosniff');
    out.set('content-disposition', 'attachment');
    return new Response(answer.body, { status: answer.status, headers: out });
  }
  if (url.pathname === '/switchboard-config.json') {
    return Response.json({ couchUrl: '/couch/', dbPrefix: deps.dbPrefix });
  }
  let path: string;
  try {
    path = decodeURIComponent(url.pathname);
  } catch {
    // Malformed percent-encoding (`%E0%A4%A`): refused, never thrown into Electron.
    return new Response('Bad request', { status: 400 });
  }
  const root = resolve(deps.rendererDir);
  const rel = normalize(path).replace(/^([/\\])+/, '');
  let file = join(root, rel || 'index.html');
  if (!file.startsWith(root + sep)) return new Response('Forbidden', { status: 403 });
  let body: Buffer;
  try {
    body = await readFile(file);
  } catch {
    file = join(root, 'index.html');
    body = await readFile(file);
  }
  return new Response(new Uint8Array(body), {
    headers: {
      'content-type': RENDERER_MIME_TYPES[extname(file)] ?? 'application/octet-stream',
      'content-security-policy': CONTENT_SECURITY_POLICY,
      'x-content-type-options': 'nosniff',
    },
  });
}

/** True for `/couch/<db>/<doc>/<file>`: an attachment, not a document, `_design` or `_local`. */
export function isAttachmentPath(pathname: string): boolean {
  const parts = pathname.split('/').slice(2);
  return (
    parts.length >= 3 &&
    parts[1] !== '_design' &&
    parts[1] !== '_local' &&
    !parts[1]!.startsWith('_')
  );
}
