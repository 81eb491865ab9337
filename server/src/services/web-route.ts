/**
 * The web host's `/desk-services/*` route: GET-only pass-through to desk services' own endpoint
 * (status, demo mailbox), so the console and the mailbox share the web host's origin.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

/** Answers `/desk-services/<path>` from desk services at `target`. */
export function serveDeskServices(
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  target: string | undefined,
): void {
  if (req.method !== 'GET') {
    res.writeHead(405).end();
    return;
  }
  if (!target) {
    res
      .writeHead(503, { 'content-type': 'application/json' })
      .end(JSON.stringify({ error: 'unavailable', reason: 'Desk services are not running.' }));
    return;
  }
  const path = url.pathname.slice('/desk-services'.length);
  fetch(new URL(path + url.search, target)).then(
    async (r) => {
      const body = Buffer.from(await r.arrayBuffer());
      const headers: Record<string, string> = {};
      for (const h of [
        'content-type',
        'content-security-policy',
        'x-content-type-options',
        'cache-control',
      ]) {
        const v = r.headers.get(h);
        if (v) headers[h] = v;
      }
      res.writeHead(r.status, headers).end(body);
    },
    () => {
      if (!res.headersSent)
        res
          .writeHead(502, { 'content-type': 'application/json' })
          .end(JSON.stringify({ error: 'bad_gateway', reason: 'Desk services do not answer.' }));
    },
  );
}
