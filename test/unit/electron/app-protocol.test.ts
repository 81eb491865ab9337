/**
 * The `app://switchboard/` protocol handler (electron/main/app-protocol.ts), without Electron: it
 * takes a WHATWG Request and gives a Response. Files come from a real renderer directory in a
 * temporary folder with a secret beside it; `/couch/*` goes to a real HTTP server on 127.0.0.1
 * that answers with what it received.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handleAppRequest, type ProtocolDeps } from '../../../electron/main/app-protocol';
import { CONTENT_SECURITY_POLICY } from '../../../shared/security/content-policy';

const SECRET = 'the secret beside the renderer';
let top: string;
let deps: ProtocolDeps;
let server: Server;

type Echo = {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
};

beforeAll(async () => {
  top = mkdtempSync(join(tmpdir(), 'sb-protocol-'));
  const renderer = join(top, 'renderer');
  mkdirSync(join(renderer, 'assets'), { recursive: true });
  writeFileSync(join(renderer, 'index.html'), '<!doctype html><title>Switchboard</title>');
  writeFileSync(join(renderer, 'assets', 'app.js'), 'console.log(1)');
  writeFileSync(join(renderer, 'assets', 'a b.css'), 'body{}');
  writeFileSync(join(top, 'secret.txt'), SECRET);
  // A sibling whose name starts like the renderer's: a prefix check must not let it through.
  mkdirSync(join(top, 'renderer-evil'));
  writeFileSync(join(top, 'renderer-evil', 'x.txt'), SECRET);

  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const echo: Echo = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      if (req.url?.startsWith('/redirect'))
        res.writeHead(302, { location: 'http://elsewhere.example/' }).end();
      else res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(echo));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  deps = {
    rendererDir: renderer,
    couchUrl: `http://127.0.0.1:${port}/`,
    dbPrefix: 'sb_',
    fetch: (url, init) => fetch(url, init),
  };
});
afterAll(async () => {
  await new Promise((r) => server.close(r));
  rmSync(top, { recursive: true, force: true });
});

const get = (path: string, init?: RequestInit) =>
  handleAppRequest(new Request(`app://switchboard${path}`, init), deps);

describe('app:// files', () => {
  it('serves the renderer with its type, the CSP and nosniff', async () => {
    const r = await get('/assets/app.js');
    expect(r.status).toBe(200);
    expect(await r.text()).toBe('console.log(1)');
    expect(r.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(r.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(r.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await (await get('/assets/a%20b.css')).text()).toBe('body{}');
  });

  it('serves index.html at the root and for unknown paths (the app routes them)', async () => {
    for (const path of ['/', '/queue/INC-1', '/assets', '/nope.js']) {
      const r = await get(path);
      expect(r.status, path).toBe(200);
      expect(await r.text(), path).toContain('<title>Switchboard</title>');
      expect(r.headers.get('content-type'), path).toBe('text/html; charset=utf-8');
    }
  });

  it('never serves a file outside the renderer, however the path is written', async () => {
    const attempts = [
      '/../secret.txt',
      '/%2e%2e/secret.txt',
      '/..%2fsecret.txt',
      '/..%2f..%2f..%2fetc%2fpasswd',
      '/assets/..%2f..%2fsecret.txt',
      '/%2e%2e%2fsecret.txt',
      '/..%5csecret.txt',
      '/%2F..%2Fsecret.txt',
      '/..%2frenderer-evil%2fx.txt',
      '/secret.txt%00.js',
    ];
    for (const path of attempts) {
      const r = await get(path);
      const body = await r.text();
      expect(body, path).not.toContain(SECRET);
      expect(body, path).not.toContain('root:');
      // Either refused or the app's own page.
      if (r.status === 200) expect(body, path).toContain('<title>Switchboard</title>');
      else expect(r.status, path).toBe(403);
    }
  });

  it('answers a malformed percent-encoding with 400 instead of throwing', async () => {
    for (const path of ['/a%E0%A4%A', '/%', '/assets/%zz.js']) {
      const r = await get(path);
      expect(r.status, path).toBe(400);
    }
  });

  it('refuses other hosts', async () => {
    const r = await handleAppRequest(new Request('app://elsewhere/index.html'), deps);
    expect(r.status).toBe(404);
  });

  it('gives the renderer its configuration: the /couch/ proxy and the prefix', async () => {
    const r = await get('/switchboard-config.json');
    expect(await r.json()).toEqual({ couchUrl: '/couch/', dbPrefix: 'sb_' });
  });
});

describe('app://switchboard/couch proxy', () => {
  it('forwards path, query, method, headers and body; drops Origin', async () => {
    const r = await get('/couch/sb_tickets/_bulk_docs?new_edits=false&x=%2F', {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        cookie: 'AuthSession=abc',
        origin: 'app://switchboard',
      },
      body: JSON.stringify({ docs: [{ _id: 'INC-1' }] }),
    });
    expect(r.status).toBe(200);
    const echo = (await r.json()) as Echo;
    expect(echo.method).toBe('POST');
    expect(echo.url).toBe('/sb_tickets/_bulk_docs?new_edits=false&x=%2F');
    expect(echo.body).toBe('{"docs":[{"_id":"INC-1"}]}');
    expect(echo.headers.cookie).toBe('AuthSession=abc');
    expect(echo.headers['content-type']).toBe('application/json');
    expect(echo.headers.origin).toBeUndefined();
  });

  it('sends no body with GET and maps /couch to the server root', async () => {
    const root = (await (await get('/couch')).json()) as Echo;
    expect(root).toMatchObject({ method: 'GET', url: '/', body: '' });
    const db = (await (await get('/couch/sb_tickets/?x=1')).json()) as Echo;
    expect(db).toMatchObject({ method: 'GET', url: '/sb_tickets/?x=1' });
  });

  it('does not follow the server’s redirects', async () => {
    const r = await get('/couch/redirect');
    expect(r.status).toBe(302);
    expect(r.headers.get('location')).toBe('http://elsewhere.example/');
  });

  it('only /couch and /couch/… are proxied, not /couchdb', async () => {
    const r = await get('/couchdb/x');
    expect(await r.text()).toContain('<title>Switchboard</title>');
  });

  it('a dot-dot after /couch leaves the proxy before it is forwarded', async () => {
    // The URL parser resolves `/couch/%2e%2e/_config` to `/_config`: a file path (the app page).
    const r = await get('/couch/%2e%2e/_config');
    expect(await r.text()).toContain('<title>Switchboard</title>');
  });
});
