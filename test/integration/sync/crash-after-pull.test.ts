/**
 * A crash between the two writes of a pull, against the real embedded server.
 *
 * RxDB's replication writes each pulled document to the replica, then, in a second transaction,
 * its record of the server's version (the replication metadata). When the process dies between
 * the two (a kill -9 or power loss in the middle of a cold sync), the next start finds a document
 * with no record of the server's version. RxDB tells such a pulled document from a local edit by
 * a mark it puts on it (`_meta.o`), but its storage layer drops that mark on inserts, so every
 * document of a cold sync lost it: after the restart, the pull took it for an unpushed local edit
 * and skipped every later server change to it, for good (see renderer/src/data/pull-metadata.ts).
 *
 * Here the replication metadata write of the first session is lost (exactly what the disk holds
 * after a crash between the two transactions), the replica is closed and opened again, and a
 * ticket edited on the server afterwards must reach it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IDBFactory } from 'fake-indexeddb';
import makeFetchCookie from 'fetch-cookie';
import { startTestDesk, PREFIX, type TestDesk } from '../../support/desk-server';
import { serverDocs } from '../../support/replica-checks';
import { replicateTickets } from '../../support/replicate-tickets';
import { storageWithWriteFaults } from '../../support/write-faults';
import { signIn } from '../../../renderer/src/data/session';
import { openDeskDatabase, type DeskDatabase } from '../../../renderer/src/data/database';
import type { Fetch } from '../../../renderer/src/data/couch-http';

const TICKETS = 30;
let desk: TestDesk;

beforeAll(async () => {
  desk = await startTestDesk({ tickets: TICKETS });
});
afterAll(async () => {
  await desk?.stop();
});

async function startSync(db: DeskDatabase) {
  const jar = makeFetchCookie(fetch) as unknown as Fetch;
  const base = `${desk.url}/`;
  await signIn(base, 'alice', 'switchboard', jar);
  // RxDB's own pull from the start (the bootstrap writes no records: see bootstrap.test.ts).
  return replicateTickets(db, `${base}${PREFIX}tickets/`, jar, 10, { bootstrap: false });
}

async function waitFor(check: () => Promise<boolean>, ms: number): Promise<boolean> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (await check()) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return check();
}

describe('a crash between the two writes of a pull', { timeout: 60_000 }, () => {
  it('still takes later server changes to the documents it had pulled', async () => {
    const indexedDB = new IDBFactory();
    let losing = true;
    // The pull's metadata writes are lost while `losing`.
    const storage = storageWithWriteFaults(indexedDB, (collection, context) =>
      losing &&
      collection.startsWith('rx-replication-meta-') &&
      context === 'replication-down-write-meta'
        ? 'lose'
        : undefined,
    );

    // First session: the cold sync writes every ticket, but none of its metadata.
    const first = await openDeskDatabase('crash-after-pull', { storage });
    const sync1 = await startSync(first.db);
    await sync1.state.awaitInitialReplication();
    await sync1.state.awaitInSync();
    expect(await first.db.tickets.count().exec()).toBe(TICKETS);
    await sync1.stop();
    await first.db.close();

    // Second session, on the same disk, with nothing lost any more.
    losing = false;
    const second = await openDeskDatabase('crash-after-pull', { storage });
    const sync2 = await startSync(second.db);
    try {
      await sync2.state.awaitInitialReplication();
      await sync2.state.awaitInSync();

      const [id, doc] = [...(await serverDocs(desk, 'tickets'))][0] ?? [];
      if (!id || !doc) throw new Error('the test desk has no tickets');
      const current = await desk.admin.request<Record<string, unknown>>(
        'GET',
        `/${PREFIX}tickets/${id}`,
      );
      await desk.admin.request('PUT', `/${PREFIX}tickets/${id}`, {
        ...current,
        title: 'Edited on the server after the crash',
      });

      const arrived = await waitFor(async () => {
        const local = await second.db.tickets.findOne(id).exec();
        return local?.get('title') === 'Edited on the server after the crash';
      }, 10_000);
      expect(arrived, `ticket ${id} edited on the server reached the replica`).toBe(true);
    } finally {
      await sync2.stop();
      await second.db.close();
    }
  });
});
