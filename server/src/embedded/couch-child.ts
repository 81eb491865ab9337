/**
 * The CouchDB-compatible engine (express-pouchdb on LevelDB), run as a child process of the
 * supervisor. It listens on an owner-only Unix socket (a loopback port on Windows); only the
 * gateway talks to it, so a request
 * that crashes PouchDB Server takes down this process alone and the supervisor restarts it.
 */
import { chmodSync, mkdirSync, writeFileSync, existsSync, readFileSync, rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import type { Server } from 'node:http';

const require = createRequire(import.meta.url);

type PouchStatic = { plugin(p: unknown): PouchStatic; defaults(o: object): PouchStatic };
type ExpressApp = { listen(port: number, host: string, cb: () => void): Server };

const dataDir = process.env.SB_CHILD_DATA_DIR;
const port = Number(process.env.SB_CHILD_PORT ?? '0');
// Where the platform has them, the engine listens on a Unix socket in a directory only this
// user can enter, and the socket itself is owner-only: no other local process reaches it.
const socketPath = process.env.SB_CHILD_SOCKET;
const adminUser = process.env.SB_CHILD_ADMIN_USER;
const adminPassword = process.env.SB_CHILD_ADMIN_PASSWORD;
if (!dataDir || !adminUser || !adminPassword) {
  process.stderr.write('couch-child: SB_CHILD_DATA_DIR and admin credentials are required\n');
  process.exit(2);
}

const dbDir = join(dataDir, 'db');
mkdirSync(dbDir, { recursive: true });
const configPath = join(dataDir, 'config.json');
if (!existsSync(configPath)) {
  // express-pouchdb hashes plain admin passwords in this file on first load, so the demo
  // password never stays on disk in clear text; "admin party" is never possible.
  writeFileSync(
    configPath,
    JSON.stringify(
      {
        admins: { [adminUser]: adminPassword },
        couch_httpd_auth: {
          timeout: 3600,
          allow_persistent_cookies: false,
          secret: randomBytes(32).toString('hex'),
        },
        log: { level: 'warning' },
      },
      null,
      2,
    ),
    { mode: 0o600 },
  );
}

// Sessions must survive an engine restart (the supervisor restarts it after a crash): the cookie
// secret is persisted. express-pouchdb only registers a random one per process by default.
{
  const cfg = JSON.parse(readFileSync(configPath, 'utf8')) as {
    couch_httpd_auth?: Record<string, unknown>;
  };
  // express-pouchdb 4.2 gives persistent cookies a Max-Age of `timeout` *milliseconds* (3 s for
  // an hour), so sessions use browser-session cookies; the server still enforces the timeout.
  const auth = cfg.couch_httpd_auth ?? {};
  if (typeof auth.secret !== 'string' || auth.allow_persistent_cookies !== false) {
    cfg.couch_httpd_auth = {
      ...auth,
      secret: typeof auth.secret === 'string' ? auth.secret : randomBytes(32).toString('hex'),
      allow_persistent_cookies: false,
    };
    writeFileSync(configPath, JSON.stringify(cfg, null, 2), { mode: 0o600 });
  }
}

const core = require('pouchdb-core') as PouchStatic;
const PouchDB = core
  .plugin(require('pouchdb-adapter-leveldb'))
  .plugin(require('pouchdb-adapter-http'))
  .plugin(require('pouchdb-mapreduce'))
  .plugin(require('pouchdb-replication'))
  .defaults({ prefix: dbDir + '/' });

const expressPouchDB = require('express-pouchdb') as (
  pouch: PouchStatic,
  opts: object,
) => ExpressApp;
const app = expressPouchDB(PouchDB, {
  configPath,
  logPath: join(dataDir, 'log.txt'),
  mode: 'fullCouchDB',
  // Fauxton would serve remote-loading web UI code; the replicator lets users make the server
  // fetch arbitrary URLs. Neither belongs in an embedded desk server.
  overrideMode: { exclude: ['routes/fauxton', 'routes/replicate', 'replicator'] },
});

const onListening = () => {
  if (socketPath) {
    chmodSync(socketPath, 0o600);
    process.send?.({ type: 'listening', socketPath });
    return;
  }
  const address = server.address();
  const actual = typeof address === 'object' && address ? address.port : port;
  process.send?.({ type: 'listening', port: actual });
};
if (socketPath && existsSync(socketPath)) rmSync(socketPath);
const server: Server = socketPath
  ? (app as unknown as { listen(path: string, cb: () => void): Server }).listen(
      socketPath,
      onListening,
    )
  : app.listen(port, '127.0.0.1', onListening);
server.keepAliveTimeout = 65_000;
