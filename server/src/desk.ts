/**
 * Brings up a complete desk: the embedded server (unless SWITCHBOARD_COUCH_URL points at a real
 * CouchDB), provisioning, and the demo data when the desk is empty. Used by `npm start`,
 * `npm run web` and the end-to-end tests.
 */
import { mkdirSync } from 'node:fs';
import { loadServerConfig, type ServerConfig } from './config';
import { startEmbeddedServer, type EmbeddedServer } from './embedded';
import { couchAdmin, waitForCouch } from './provision/couch-admin';
import { isEmptyDesk, provision } from './provision/provision';
import { DEMO_STAFF } from './provision/demo-directory';
import { seedDemoDesk } from './provision/seed';
import { createLogger } from './log';
import { startConflictResolver, type ConflictResolver } from './sync/conflict-resolver';
import { startServicesFor } from './services/boot';
import type { ServicesSupervisor } from './services/supervise';

const log = createLogger('desk');

export type Desk = {
  readonly config: ServerConfig;
  readonly couchUrl: string;
  readonly embedded?: EmbeddedServer;
  /** Desk services (mail), unless SWITCHBOARD_SERVICES=off. */
  readonly services?: ServicesSupervisor;
  readonly stop: () => Promise<void>;
};

export type DeskOptions = {
  readonly demo: boolean;
  readonly tickets?: number;
  readonly env?: NodeJS.ProcessEnv;
};

/** Starts (or connects to) the server, provisions it and seeds the demo desk if empty. */
export async function bootDesk(opts: DeskOptions): Promise<Desk> {
  const env = opts.env ?? process.env;
  const config = loadServerConfig(env);
  let embedded: EmbeddedServer | undefined;
  if (!env.SWITCHBOARD_COUCH_URL) {
    mkdirSync(config.dataDir, { recursive: true });
    embedded = await startEmbeddedServer(config);
    log.info(`embedded server on ${embedded.url} (data in ${config.dataDir})`);
  }
  const couchUrl = embedded?.url ?? config.couchUrl;
  let resolver: ConflictResolver | undefined;
  let services: ServicesSupervisor | undefined;
  try {
    await waitForCouch(couchUrl);
    const couch = couchAdmin(couchUrl, config.adminUser, config.adminPassword);
    await provision(couch, config.dbPrefix, DEMO_STAFF);
    if (opts.demo && (await isEmptyDesk(couch, config.dbPrefix))) {
      const n = opts.tickets ?? 5000;
      log.info(`seeding the demo desk with ${n} tickets…`);
      await seedDemoDesk(couch, config.dbPrefix, {
        tickets: n,
        days: 90,
        seed: 20260301,
        now: Date.now(),
      });
    }
    // Conflicts other replicators leave on the server are merged like the clients merge.
    resolver = startConflictResolver(couch, config.dbPrefix, { intervalMs: 5_000 });
    services = await startServicesFor(couchUrl, config.dbPrefix, env, {
      user: config.adminUser,
      password: config.adminPassword,
    });
  } catch (err) {
    await resolver?.stop();
    await embedded?.stop();
    throw err;
  }
  return {
    config,
    couchUrl,
    ...(embedded ? { embedded } : {}),
    ...(services ? { services } : {}),
    stop: async () => {
      await services?.stop();
      await resolver?.stop();
      await embedded?.stop();
    },
  };
}
