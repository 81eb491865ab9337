/**
 * A Switchboard client in Node for integration tests: the product's own data layer (RxDB, Dexie
 * storage, our CouchDB replication, conflict handlers, outbox) over fake-indexeddb, talking to a
 * real embedded server with its own cookie jar. Each client has its own IndexedDB factory, so
 * two clients are two devices; "network down" makes every request of this client fail as a real
 * unreachable server does (TypeError from fetch).
 */
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import makeFetchCookie from 'fetch-cookie';
import { BehaviorSubject, filter, firstValueFrom, timeout } from 'rxjs';
import { getRxStorageDexie } from 'rxdb/plugins/storage-dexie';
import { signIn, type StaffSession } from '../../renderer/src/data/session';
import { openWorkspace, type OpenWorkspace } from '../../renderer/src/data/workspace';
import type { SyncView } from '../../renderer/src/data/sync';
import type { Fetch } from '../../renderer/src/data/couch-http';
import { PREFIX, type TestDesk } from './desk-server';

export type NodeClient = {
  readonly name: string;
  readonly session: StaffSession;
  readonly fetch: Fetch;
  ws: OpenWorkspace;
  /** Cuts or restores this client's network. */
  readonly setOnline: (online: boolean) => void;
  /**
   * Fails the next `count` requests matching `match` after the server answered (the answer is
   * lost); `lost()` says how many it has failed so far (a test asserts its fault fired).
   */
  readonly loseAnswers: (
    match: (url: string, init?: RequestInit) => boolean,
    count: number,
  ) => { readonly lost: () => number };
  /** Closes the workspace and opens it again on the same local data (an app restart). */
  readonly restart: () => Promise<void>;
  /** Resolves when sync is idle: in sync with nothing pending. */
  readonly settled: (ms?: number) => Promise<SyncView>;
  readonly close: () => Promise<void>;
};

let clients = 0;

/** Signs `user` in and opens their replica with live sync. */
export async function startNodeClient(
  desk: TestDesk,
  user: string,
  password = 'switchboard',
  opts: { readonly url?: string } = {},
): Promise<NodeClient> {
  const base = (opts.url ?? desk.url).replace(/\/+$/, '') + '/';
  const id = ++clients;
  const indexedDB = new IDBFactory();
  const storage = getRxStorageDexie({ indexedDB, IDBKeyRange });
  const online$ = new BehaviorSubject(true);
  const lose: { match: (url: string, init?: RequestInit) => boolean; left: number }[] = [];
  const jarFetch = makeFetchCookie(fetch) as unknown as Fetch;
  const clientFetch: Fetch = async (url, init) => {
    if (!online$.value) throw new TypeError('fetch failed (network down in test)');
    const res = await jarFetch(url, init);
    const rule = lose.find((r) => r.left > 0 && r.match(url, init));
    if (rule) {
      rule.left -= 1;
      await res.arrayBuffer().catch(() => undefined);
      throw new TypeError('fetch failed (answer lost in test)');
    }
    return res;
  };
  const session = await signIn(base, user, password, clientFetch);
  // Unique per process too: RxDB elects one leader per database name across processes on one
  // machine (its broadcast channel goes through the file system), and each device must lead.
  const name = `client${id}_${process.pid}_${user}`;
  const open = () =>
    openWorkspace(base, PREFIX, session, {
      name,
      storage,
      fetch: clientFetch,
      online$,
      fileIdb: { indexedDB, IDBKeyRange },
    });
  const client: NodeClient = {
    name,
    session,
    fetch: clientFetch,
    ws: await open(),
    setOnline: (online) => online$.next(online),
    loseAnswers: (match, count) => {
      const rule = { match, left: count };
      lose.push(rule);
      return { lost: () => count - rule.left };
    },
    restart: async () => {
      await client.ws.close();
      client.ws = await open();
    },
    settled: async (ms = 30_000) => {
      // The outbox itself must be empty (the status may not have seen a fresh write yet).
      const deadline = Date.now() + ms;
      while ((await client.ws.db.outbox.count().exec()) > 0) {
        if (Date.now() > deadline) {
          const left = await client.ws.db.outbox.find().exec();
          const view = await firstValueFrom(client.ws.sync.view$);
          throw new Error(
            `${name}: outbox not empty after ${ms} ms: ${left
              .slice(0, 5)
              .map((d) => String(d.primary))
              .join(', ')} (${left.length}); status ${JSON.stringify(view)}`,
          );
        }
        await new Promise((r) => setTimeout(r, 50));
      }
      return firstValueFrom(
        client.ws.sync.view$.pipe(
          filter((v) => v.status.state === 'in-sync' && v.pending === 0),
          timeout(Math.max(1, deadline - Date.now())),
        ),
      );
    },
    close: () => client.ws.close(),
  };
  return client;
}
