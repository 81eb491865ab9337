/** Server-side configuration, read once from the environment with documented demo defaults. */
import { resolve } from 'node:path';

export type ServerConfig = {
  readonly host: string;
  readonly port: number;
  readonly dataDir: string;
  readonly adminUser: string;
  readonly adminPassword: string;
  /** Base URL of the CouchDB the provisioning CLI and web host talk to. */
  readonly couchUrl: string;
  readonly dbPrefix: string;
  readonly webPort: number;
};

/** The demo administrator password; `npm start` warns while it is in use. */
export const DEMO_ADMIN_PASSWORD = 'switchboard-admin';
/** The demo staff password shared by the seeded users (alice, ben, tara, sam, ada). */
export const DEMO_USER_PASSWORD = 'switchboard';

/** Reads the configuration from `env`, failing with a clear message on bad values. */
export function loadServerConfig(env: NodeJS.ProcessEnv = process.env): ServerConfig {
  const port = parsePort(env.SWITCHBOARD_PORT, 5984, 'SWITCHBOARD_PORT');
  const webPort = parsePort(env.SWITCHBOARD_WEB_PORT, 5173, 'SWITCHBOARD_WEB_PORT');
  const host = env.SWITCHBOARD_HOST ?? '127.0.0.1';
  const dbPrefix = env.SWITCHBOARD_DB_PREFIX ?? 'sb_';
  if (!/^[a-z][a-z0-9_$()+/-]*$/.test(dbPrefix)) {
    throw new Error(
      `SWITCHBOARD_DB_PREFIX "${dbPrefix}" is not a valid CouchDB database name start.`,
    );
  }
  return {
    host,
    port,
    dataDir: resolve(env.SWITCHBOARD_DATA_DIR ?? '.data/server'),
    adminUser: env.SWITCHBOARD_ADMIN_USER ?? 'admin',
    adminPassword: env.SWITCHBOARD_ADMIN_PASSWORD ?? DEMO_ADMIN_PASSWORD,
    couchUrl: (env.SWITCHBOARD_COUCH_URL ?? `http://127.0.0.1:${port}`).replace(/\/+$/, ''),
    dbPrefix,
    webPort,
  };
}

function parsePort(raw: string | undefined, fallback: number, name: string): number {
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0 || n > 65535) {
    throw new Error(`${name} must be a port number (0-65535), got "${raw}".`);
  }
  return n;
}
