/**
 * The web shell's host: serves the built renderer and proxies `/couch/*` to the CouchDB server,
 * so the console and the database share one origin (cookie sessions, no CORS) exactly as they
 * do inside Electron.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, resolve, sep } from 'node:path';
import type { AddressInfo } from 'node:net';
import httpProxy from 'http-proxy';
import { createLogger } from './log';
import { serveDeskServices } from './services/web-route';
import { CONTENT_SECURITY_POLICY, RENDERER_MIME_TYPES } from '../../shared/security/content-policy';

const log = createLogger('web');

export type WebHostOptions = {
  readonly host: string;
  readonly port: number;
  readonly rendererDir: string;
  readonly couchUrl: string;
  readonly dbPrefix: string;
  /** Desk services' status endpoint, served under /desk-services/ (status, demo mailbox). */
  readonly servicesUrl?: () => string | undefined;
};

export type WebHost = { readonly url: string; readonly close: () => Promise<void> };

/** Starts the web host. */
export async function startWebHost(opts: WebHostOptions): Promise<WebHost> {
  const root = resolve(opts.rendererDir);
  const proxy = httpProxy.createProxyServer({
    target: opts.couchUrl,
    changeOrigin: true,
    proxyTimeout: 0,
  });
  proxy.on('error', (err, _req, res) => {
    log.warn('couch proxy error', err);
    if ('writeHead' in res && !res.headersSent) {
      res.writeHead(502, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({ error: 'bad_gateway', reason: 'The CouchDB server is not reachable.' }),
      );
    } else if ('destroy' in res) res.destroy();
  });
  const configJson = JSON.stringify({ couchUrl: '/couch/', dbPrefix: opts.dbPrefix });

  const serveFile = async (
    req: IncomingMessage,
    res: ServerResponse,
    pathname: string,
  ): Promise<void> => {
    const rel = normalize(decodeURIComponent(pathname)).replace(/^([/\\])+/, '');
    let file = join(root, rel);
    if (file !== root && !file.startsWith(root + sep)) {
      res.writeHead(403).end();
      return;
    }
    let s = await stat(file).catch(() => null);
    if (!s || s.isDirectory()) {
      file = join(root, 'index.html');
      s = await stat(file).catch(() => null);
    }
    if (!s) {
      res
        .writeHead(503, { 'content-type': 'text/plain' })
        .end('The renderer is not built: run `npm run build:renderer`.');
      return;
    }
    const body = await readFile(file);
    res.writeHead(200, {
      'content-type': RENDERER_MIME_TYPES[extname(file)] ?? 'application/octet-stream',
      'content-security-policy': CONTENT_SECURITY_POLICY,
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      // The page and the service worker (the offline shell's version) are checked on every load.
      'cache-control': /(^|[/\\])(index\.html|sw\.js)$/.test(file)
        ? 'no-cache'
        : 'public, max-age=3600',
    });
    res.end(req.method === 'HEAD' ? undefined : body);
  };

  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://web.invalid');
    if (url.pathname === '/couch' || url.pathname.startsWith('/couch/')) {
      req.url = (url.pathname.slice('/couch'.length) || '/') + url.search;
      proxy.web(req, res);
      return;
    }
    if (url.pathname.startsWith('/desk-services/')) {
      serveDeskServices(req, res, url, opts.servicesUrl?.());
      return;
    }
    if (url.pathname === '/switchboard-config.json') {
      res
        .writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' })
        .end(configJson);
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405).end();
      return;
    }
    serveFile(req, res, url.pathname).catch((err: unknown) => {
      log.error('static file error', err);
      if (!res.headersSent) res.writeHead(500).end();
    });
  });
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(opts.port, opts.host, () => ok());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${opts.host}:${port}/`,
    close: () =>
      new Promise((ok) => {
        proxy.close();
        server.close(() => ok());
        server.closeAllConnections();
      }),
  };
}
