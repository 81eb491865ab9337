/**
 * The embedded server's public face on 127.0.0.1: checks every request against the policy,
 * authenticates it against the engine's own `_session`, and proxies it (long-poll `_changes`
 * included) to the supervised engine. While the engine restarts, callers get a 503 they retry.
 */
import {
  createServer,
  request as httpRequest,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import httpProxy from 'http-proxy';
import { decide } from './request-policy';
import { createLogger } from '../log';

const log = createLogger('gateway');

type UserCtx = { readonly name: string | null; readonly roles: readonly string[] };

export type Gateway = {
  readonly port: number;
  readonly setEnginePort: (port: number | undefined) => void;
  readonly close: () => Promise<void>;
};

const SESSION_CACHE_MS = 5_000;

/** Starts the gateway on `host:port` (0 = any free port). */
export async function startGateway(host: string, port: number): Promise<Gateway> {
  let enginePort: number | undefined;
  const sessions = new Map<string, { ctx: UserCtx; expires: number }>();
  const proxy = httpProxy.createProxyServer({ xfwd: false, ws: false, proxyTimeout: 0 });
  proxy.on('error', (err, _req, res) => {
    log.warn('proxy error', err);
    if ('writeHead' in res)
      sendError(res, 503, 'unavailable', 'The server is restarting; retry shortly.');
  });

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const method = req.method ?? 'GET';
    const decision = decide(method, req.url ?? '/', Number(req.headers['content-length'] ?? 0));
    if (decision.kind === 'reject') {
      sendError(res, decision.status, decision.error, decision.reason);
      return;
    }
    if (enginePort === undefined) {
      sendError(res, 503, 'unavailable', 'The server is restarting; retry shortly.');
      return;
    }
    if (decision.kind === 'authenticated') {
      const ctx = await sessionOf(req);
      if (ctx.name === null) {
        sendError(res, 401, 'unauthorized', 'Authentication required.');
        return;
      }
      const isAdmin = ctx.roles.includes('_admin');
      const userDoc = decision.ownUserDoc;
      const foreignUserDoc = userDoc !== undefined && userDoc !== ctx.name;
      if (!isAdmin && (decision.adminOnly || foreignUserDoc)) {
        sendError(res, 403, 'forbidden', 'Only server administrators may do this.');
        return;
      }
    }
    if (method === 'DELETE' && (req.url ?? '').startsWith('/_session')) sessions.clear();
    proxy.web(req, res, { target: `http://127.0.0.1:${enginePort}` });
  };

  const sessionOf = async (req: IncomingMessage): Promise<UserCtx> => {
    const cookie = req.headers.cookie ?? '';
    const authorization = req.headers.authorization ?? '';
    if (!/AuthSession=/.test(cookie) && authorization === '') return { name: null, roles: [] };
    const key = `${cookie}\n${authorization}`;
    const hit = sessions.get(key);
    if (hit && hit.expires > Date.now()) return hit.ctx;
    const ctx = await fetchSession(enginePort ?? 0, cookie, authorization);
    if (sessions.size > 10_000) sessions.clear();
    sessions.set(key, { ctx, expires: Date.now() + SESSION_CACHE_MS });
    return ctx;
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      log.error('request failed', err);
      if (!res.headersSent)
        sendError(res, 503, 'unavailable', 'The server is restarting; retry shortly.');
      else res.destroy();
    });
  });
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    setEnginePort: (p) => {
      enginePort = p;
      sessions.clear();
    },
    close: () =>
      new Promise<void>((resolve) => {
        proxy.close();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function fetchSession(enginePort: number, cookie: string, authorization: string): Promise<UserCtx> {
  return new Promise((resolve) => {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (cookie) headers.cookie = cookie;
    if (authorization) headers.authorization = authorization;
    const req = httpRequest(
      { host: '127.0.0.1', port: enginePort, path: '/_session', method: 'GET', headers },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => {
          try {
            const parsed = JSON.parse(body) as { userCtx?: { name?: unknown; roles?: unknown } };
            const name = typeof parsed.userCtx?.name === 'string' ? parsed.userCtx.name : null;
            const roles = Array.isArray(parsed.userCtx?.roles)
              ? parsed.userCtx.roles.filter((r): r is string => typeof r === 'string')
              : [];
            resolve({ name, roles });
          } catch {
            resolve({ name: null, roles: [] });
          }
        });
      },
    );
    req.on('error', () => resolve({ name: null, roles: [] }));
    req.end();
  });
}

function sendError(res: ServerResponse, status: number, error: string, reason: string): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  res.writeHead(status, {
    'content-type': 'application/json',
    ...(status === 503 ? { 'retry-after': '1' } : {}),
  });
  res.end(JSON.stringify({ error, reason }));
}
