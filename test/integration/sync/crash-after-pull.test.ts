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
 * Since then the pull stores no record of the server's version for what it has just written
 * (pull-metadata.ts): the mark is what tells a pulled document from a local edit, and a local edit
 * first writes the record, then the edit. The old version of this test dropped the record write
 * of the pull, which no longer happens, so it injected nothing. Here the crash is real as far as
 * the disk can tell: right after a chosen write, every later write of the session is lost (what
 * the disk holds after a kill -9 there), the replica is opened again on the same disk, and each
 * test first asserts that the crash happened where it should:
 * - after the first batch of a cold sync (its checkpoint lost): it resumes and takes server edits;
 * - between the record a local edit keeps and the edit itself: the edit is gone (never on disk),
 *   and both that ticket and one that only carries its pull mark take later server edits.
 * Both mutations checked by hand fail the second test: the pull not putting its mark back, and
 * the local edit not keeping the server's version first.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IDBFactory } from 'fake-indexeddb';
import makeFetchCookie from 'fetch-cookie';
import { startTestDesk, PREFIX, type TestDesk } from '../../support/desk-server';
import { replicateTickets } from '../../support/replicate-tickets';
import { storageWithWriteFaults } from '../../support/write-faults';
import { signIn } from '../../../renderer/src/data/session';
import { openDeskDatabase, type DeskDatabase } from '../../../renderer/src/data/database';
import { updateTicket } from '../../../renderer/src/data/tickets-repo';
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

/** Edits ticket `id` on the server; true once the edit reached `db`'s replica. */
async function editOnServerArrives(db: DeskDatabase, id: string, title: string) {
  const current = await desk.admin.request<Record<string, unknown>>(
    'GET',
    `/${PREFIX}tickets/${id}`,
  );
  await desk.admin.request('PUT', `/${PREFIX}tickets/${id}`, { ...current, title });
  return waitFor(async () => (await db.tickets.findOne(id).exec())?.get('title') === title, 30_000);
}

/**
 * Storage on `indexedDB` that "crashes" right after the first write `at` matches: that write
 * reaches the disk, every later one of the session is lost (recorded in `lost`) until `reset`.
 */
function crashingStorage(
  indexedDB: IDBFactory,
  at: (collection: string, context: string) => boolean,
) {
  const c = {
    crashed: false,
    armed: true,
    /** Ids of the documents of the write the crash came right after. */
    survivors: [] as string[],
    /** `collection context` of every write the crash lost. */
    lost: [] as string[],
    reset: () => {
      c.crashed = false;
      c.armed = false;
    },
  };
  const storage = storageWithWriteFaults(indexedDB, (collection, context, rows) => {
    if (c.crashed) {
      c.lost.push(`${collection} ${context}`);
      return 'lose';
    }
    if (!c.armed || !at(collection, context)) return undefined;
    c.armed = false;
    for (const r of rows) {
      const d = r.document as { number?: unknown; itemId?: unknown };
      c.survivors.push(String(d.number ?? d.itemId));
    }
    return { afterWrite: () => (c.crashed = true) };
  });
  return { storage, c };
}

describe('a crash in the middle of a pull or of a local edit', { timeout: 120_000 }, () => {
  it('after a cold sync batch is written: resumes, then takes later server changes', async () => {
    const { storage, c } = crashingStorage(
      new IDBFactory(),
      (collection, context) =>
        collection === 'tickets' && context.startsWith('replication-downstream-'),
    );

    // First session: the cold sync's first batch reaches the disk, then nothing does.
    const first = await openDeskDatabase('crash-mid-pull', { storage });
    const sync1 = await startSync(first.db);
    await sync1.state.awaitInitialReplication();
    await sync1.state.awaitInSync();
    await sync1.stop();
    await first.db.close();
    // The fault fired where it matters: documents written, the pull's checkpoint lost after it.
    expect(c.survivors.length).toBeGreaterThan(0);
    expect(c.lost.some((w) => w.startsWith('tickets replication-downstream-'))).toBe(true);
    expect(c.lost.some((w) => w.endsWith(' replication-set-checkpoint'))).toBe(true);

    // Second session, on the same disk, with nothing lost any more.
    c.reset();
    const second = await openDeskDatabase('crash-mid-pull', { storage });
    // What the disk held: the first batch only.
    expect(await second.db.tickets.count().exec()).toBe(c.survivors.length);
    const sync2 = await startSync(second.db);
    try {
      await sync2.state.awaitInitialReplication();
      await sync2.state.awaitInSync();
      expect(await second.db.tickets.count().exec()).toBe(TICKETS);
      // A ticket the crashed session had written, edited on the server afterwards.
      const id = c.survivors[0]!;
      expect(
        await editOnServerArrives(second.db, id, 'Edited on the server after the crash'),
        `ticket ${id} edited on the server reached the replica`,
      ).toBe(true);
    } finally {
      await sync2.stop();
      await second.db.close();
    }
  });

  it('between keeping the server version and the edit: the record alone survives, sync goes on', async () => {
    const { storage, c } = crashingStorage(
      new IDBFactory(),
      (_collection, context) => context === 'switchboard-keep-server-version',
    );
    const first = await openDeskDatabase('crash-mid-edit', { storage });
    const sync1 = await startSync(first.db);
    await sync1.state.awaitInitialReplication();
    await sync1.state.awaitInSync();
    const [edited, untouched] = (await first.db.tickets.find().exec()).map((d) =>
      String(d.primary),
    );
    if (!edited || !untouched) throw new Error('the test desk has too few tickets');
    // A local edit of a pulled ticket: its record (the server's version) is written first, then
    // the process dies before the edit itself reaches the disk.
    await updateTicket(first.db, edited, { title: 'Edited here, never on disk' }, 'alice');
    await sync1.stop();
    await first.db.close();
    expect(c.survivors).toEqual([edited]);
    expect(c.lost.some((w) => w.startsWith('tickets '))).toBe(true);

    c.reset();
    const second = await openDeskDatabase('crash-mid-edit', { storage });
    const sync2 = await startSync(second.db);
    try {
      // The edit never reached the disk: the ticket is the server's version, as pulled.
      const local = await second.db.tickets.findOne(edited).exec();
      expect(local?.get('title')).not.toBe('Edited here, never on disk');
      await sync2.state.awaitInitialReplication();
      await sync2.state.awaitInSync();
      // Both the ticket with a record and one that only carries its pull mark take server edits.
      expect(await editOnServerArrives(second.db, edited, 'Server edit after the crash')).toBe(
        true,
      );
      expect(await editOnServerArrives(second.db, untouched, 'Server edit of another')).toBe(true);
      const server = await desk.admin.request<{ title: string }>(
        'GET',
        `/${PREFIX}tickets/${edited}`,
      );
      expect(server.title).toBe('Server edit after the crash');
    } finally {
      await sync2.stop();
      await second.db.close();
    }
  });
});
