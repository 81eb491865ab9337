/**
 * The initial pull against the real embedded server: RxDB ends its catch-up at the first batch
 * that comes back short, so rows the pull drops (design documents, deletions of documents this
 * replica never had) must not make a batch short. Otherwise the "initial replication" ends after
 * a few documents and the rest arrives through the live feed, one long-poll at a time, with
 * RxDB's upstream re-reading everything written meanwhile.
 *
 * The live feed is held here (its probe and long-polls never answer), so whatever is in the
 * replica when the initial replication resolves came from the initial pull alone.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import makeFetchCookie from 'fetch-cookie';
import { getRxStorageDexie } from 'rxdb/plugins/storage-dexie';
import { startTestDesk, PREFIX, type TestDesk } from '../../support/desk-server';
import { serverDocs } from '../../support/replica-checks';
import { signIn } from '../../../renderer/src/data/session';
import { openDeskDatabase, type DeskDatabase } from '../../../renderer/src/data/database';
import { replicateCollection } from '../../../renderer/src/data/couch-replication';
import type { Fetch } from '../../../renderer/src/data/couch-http';
import { validateTicket } from '../../../shared/domain';

const BATCH = 10;
let desk: TestDesk;
let db: DeskDatabase;

beforeAll(async () => {
  desk = await startTestDesk({ tickets: 60 });
  // A run of deletions longer than a batch, of documents the new replica never had, in the
  // middle of the feed: tickets edited afterwards come after them.
  const all = await desk.admin.request<{
    rows: { id: string; value: { rev: string }; doc: Record<string, unknown> }[];
  }>('GET', `/${PREFIX}tickets/_all_docs?include_docs=true`);
  const tickets = all.rows.filter((r) => !r.id.startsWith('_design/'));
  const gone = tickets.slice(0, BATCH + 3);
  await desk.admin.request('POST', `/${PREFIX}tickets/_bulk_docs`, {
    docs: gone.map((r) => ({ _id: r.id, _rev: r.value.rev, _deleted: true })),
  });
  await desk.admin.request('POST', `/${PREFIX}tickets/_bulk_docs`, {
    docs: tickets.slice(BATCH + 3, BATCH + 3 + 15).map((r) => ({ ...r.doc, title: 'Edited' })),
  });
  ({ db } = await openDeskDatabase('initial-pull', {
    storage: getRxStorageDexie({ indexedDB: new IDBFactory(), IDBKeyRange }),
  }));
});
afterAll(async () => {
  await db?.close();
  await desk?.stop();
});

describe('initial pull', { timeout: 60_000 }, () => {
  it('reads the whole feed before the initial replication resolves, whatever rows it drops', async () => {
    const jar = makeFetchCookie(fetch) as unknown as Fetch;
    const base = `${desk.url}/`;
    await signIn(base, 'alice', 'switchboard', jar);
    const dbUrl = `${base}${PREFIX}tickets/`;
    // Hold the live feed: the probe (GET of the database) and every long-poll wait until aborted.
    const held: Fetch = (url, init) =>
      url === dbUrl || url.includes('feed=longpoll')
        ? new Promise((_, reject) =>
            init?.signal?.addEventListener('abort', () =>
              reject(new DOMException('aborted', 'AbortError')),
            ),
          )
        : jar(url, init);
    const replication = replicateCollection({
      collection: db.tickets,
      primaryKey: 'number',
      dbUrl,
      pullBatchSize: BATCH,
      pushBatchSize: BATCH,
      fetch: held,
      validate: (doc) => {
        const r = validateTicket(doc);
        return r.ok ? [] : r.errors;
      },
      onQuarantine: () => Promise.resolve(),
      onRejected: () => Promise.resolve(),
      onPushed: () => Promise.resolve(),
      markRejected: () => undefined,
    });
    try {
      await replication.state.awaitInitialReplication();
      const server = await serverDocs(desk, 'tickets');
      const local = await db.tickets.find().exec();
      expect(server.size).toBe(60 - (BATCH + 3));
      expect(local.map((d) => d.number).sort()).toEqual([...server.keys()].sort());
    } finally {
      await replication.stop();
    }
  });
});
