/**
 * A real embedded server for integration and e2e tests: free port on 127.0.0.1, a fresh data
 * directory, provisioned like production, optionally seeded, stopped (and removed) at the end.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmbeddedServer, type EmbeddedServer } from '../../server/src/embedded';
import { couchAdmin, type CouchAdmin } from '../../server/src/provision/couch-admin';
import { provision } from '../../server/src/provision/provision';
import { DEMO_STAFF } from '../../server/src/provision/demo-directory';
import { seedDemoDesk } from '../../server/src/provision/seed';
import { startWebHost, type WebHost } from '../../server/src/web-host';
import { createTicket, newTicketNumber } from '../../shared/domain';

export const TEST_ADMIN = { user: 'admin', password: 'test-admin-pw' } as const;
export const PREFIX = 'sb_';

export type TestDesk = {
  readonly server: EmbeddedServer;
  readonly url: string;
  readonly admin: CouchAdmin;
  readonly dataDir: string;
  readonly stop: () => Promise<void>;
};

/** Starts a provisioned desk; `tickets` > 0 seeds the demo data. */
export async function startTestDesk(
  opts: { tickets?: number; dataDir?: string; stallMs?: number } = {},
): Promise<TestDesk> {
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'switchboard-test-'));
  const server = await startEmbeddedServer({
    port: 0,
    dataDir,
    adminUser: TEST_ADMIN.user,
    adminPassword: TEST_ADMIN.password,
    ...(opts.stallMs !== undefined ? { stallMs: opts.stallMs } : {}),
  });
  const admin = couchAdmin(server.url, TEST_ADMIN.user, TEST_ADMIN.password);
  try {
    await provision(admin, PREFIX, DEMO_STAFF);
    if (opts.tickets)
      await seedDemoDesk(admin, PREFIX, {
        tickets: opts.tickets,
        days: 30,
        seed: 7,
        now: Date.now(),
        sameEveryDay: true,
      });
  } catch (err) {
    // Never leave an engine process behind when set-up fails.
    await server.stop();
    if (!opts.dataDir) rmSync(dataDir, { recursive: true, force: true });
    throw err;
  }
  return {
    server,
    url: server.url,
    admin,
    dataDir,
    stop: async () => {
      await server.stop();
      if (!opts.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * Serves the built renderer in front of `desk` (as `npm run web` does) on a free port, or on
 * `port` (a web host started again where it was, same origin).
 */
export function startTestWeb(desk: TestDesk, port = 0): Promise<WebHost> {
  return startWebHost({
    host: '127.0.0.1',
    port,
    rendererDir: 'dist/renderer',
    couchUrl: desk.url,
    dbPrefix: PREFIX,
  });
}

/** A plain HTTP client acting as one staff user (basic auth), for checks from outside the app. */
export function asUser(desk: TestDesk, name: string, password = 'switchboard'): CouchAdmin {
  return couchAdmin(desk.url, name, password);
}

/**
 * Writes a fresh unassigned incident straight to the server as `sam` (as another desk would);
 * returns its number.
 */
export async function putIncident(
  desk: TestDesk,
  title: string,
  o: { readonly description: string; readonly deviceId: string },
): Promise<string> {
  const now = new Date();
  const number = newTicketNumber('incident', {
    now: now.getTime(),
    deviceId: o.deviceId,
    random: Math.random,
  });
  const r = createTicket(
    {
      kind: 'incident',
      title,
      description: o.description,
      requesterId: 'person:caller-0001',
      ciId: null,
      category: 'hardware',
      impact: 3,
      urgency: 3,
      groupId: 'group:service-desk',
      assigneeId: null,
    },
    { now: now.toISOString(), actor: 'sam', number },
  );
  if (!r.ok) throw new Error(r.errors.join('; '));
  const { number: id, ...body } = r.value;
  await desk.admin.request('PUT', `/${PREFIX}tickets/${id}`, body);
  return id;
}
