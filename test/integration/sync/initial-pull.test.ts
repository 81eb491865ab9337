/**
 * The initial pull against the real embedded server: RxDB ends its catch-up at the first batch
 * that comes back short, so rows the pull drops (design documents, deletions of documents this
 * replica never had) must not make a batch short. Otherwise the "initial replication" ends after
 * a few documents and the rest arrives through the live feed, one long-poll at a time, with
 * RxDB's upstream re-reading everything written meanwhile.
 *
 * The live feed is held here (its probe and long-polls never answer), so whatever is in the
 * replica when the initial replication resolves came from the initial pull alone.
 *
 * Once the pull is written, RxDB's upstream must have nothing left to read: it reads every
 * document after its checkpoint on each start, and a checkpoint left mid-batch cost seconds of
 * re-reading after each reload (see renderer/src/data/ordered-checkpoints.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import makeFetchCookie from 'fetch-cookie';
import { getRxStorageDexie } from 'rxdb/plugins/storage-dexie';
import { ensureNotFalsy, getChangedDocumentsSince, getLastCheckpointDoc } from 'rxdb';
import { startTestDesk, PREFIX, type TestDesk } from '../../support/desk-server';
import { serverDocs } from '../../support/replica-checks';
import { replicateTickets } from '../../support/replicate-tickets';
import { signIn } from '../../../renderer/src/data/session';
import { openDeskDatabase, type DeskDatabase } from '../../../renderer/src/data/database';
import type { Fetch } from '../../../renderer/src/data/couch-http';

const BATCH = 10;
const TICKETS = 60;
const DELETED = BATCH + 3;
let desk: TestDesk;
const open: DeskDatabase[] = [];

beforeAll(async () => {
  desk = await startTestDesk({ tickets: TICKETS });
  // A run of deletions longer than a batch, of documents the new replica never had, in the
  // middle of the feed: tickets edited afterwards come after them, in descending id order (the
  // feed is in change order, not id order).
  const all = await desk.admin.request<{
    rows: { id: string; value: { rev: string }; doc: Record<string, unknown> }[];
  }>('GET', `/${PREFIX}tickets/_all_docs?include_docs=true`);
  const tickets = all.rows.filter((r) => !r.id.startsWith('_design/'));
  const gone = tickets.slice(0, DELETED);
  await desk.admin.request('POST', `/${PREFIX}tickets/_bulk_docs`, {
    docs: gone.map((r) => ({ _id: r.id, _rev: r.value.rev, _deleted: true })),
  });
  for (const r of tickets.slice(DELETED, DELETED + 15).reverse())
    await desk.admin.request('PUT', `/${PREFIX}tickets/${r.id}`, { ...r.doc, title: 'Edited' });
});
afterAll(async () => {
  for (const db of open) if (!db.closed) await db.close();
  await desk?.stop();
});

/** A fresh replica replicating the tickets database with the live feed held. */
async function replicateHeld(name: string, bootstrap: boolean) {
  const { db } = await openDeskDatabase(name, {
    storage: getRxStorageDexie({ indexedDB: new IDBFactory(), IDBKeyRange }),
  });
  open.push(db);
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
  const replication = replicateTickets(db, dbUrl, held, BATCH, { bootstrap });
  return { db, replication };
}

// Both ways an empty replica fills: the bootstrap, and RxDB's own pull (which every later
// catch-up takes).
describe.each([
  ['the bootstrap', true],
  ["RxDB's pull", false],
] as const)('initial pull through %s', { timeout: 60_000 }, (_how, bootstrap) => {
  it('reads the whole feed before the initial replication resolves, whatever rows it drops', async () => {
    const { db, replication } = await replicateHeld(`initial-pull-whole-${bootstrap}`, bootstrap);
    try {
      await replication.state.awaitInitialReplication();
      const server = await serverDocs(desk, 'tickets');
      const local = await db.tickets.find().exec();
      expect(server.size).toBe(TICKETS - DELETED);
      expect(local.map((d) => d.number).sort()).toEqual([...server.keys()].sort());
    } finally {
      await replication.stop();
      // (The free RxDB allows 16 open collections: one replica at a time.)
      await db.close();
    }
  });

  it("leaves RxDB's upstream nothing to re-read once the pull is written", async () => {
    const { db, replication } = await replicateHeld(
      `initial-pull-upstream-${bootstrap}`,
      bootstrap,
    );
    try {
      await replication.state.awaitInitialReplication();
      await replication.state.awaitInSync();
      const internal = ensureNotFalsy(replication.state.internalReplicationState);
      const up = await getLastCheckpointDoc(internal, 'up');
      expect(up).toBeDefined();
      const left = await getChangedDocumentsSince(db.tickets.storageInstance, 1000, up);
      expect(left.documents.map((d) => d.number)).toEqual([]);
    } finally {
      await replication.stop();
      // (The free RxDB allows 16 open collections: one replica at a time.)
      await db.close();
    }
  });
});
